#include "harness/plot/curves.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "harness/plot/configs.h"
#include "harness/plot/gnuplot.h"
#include "harness/plot/style.h"

namespace espbench::plot {

namespace {

struct Curve {
  std::string label;
  std::vector<std::string> run_ids;
  std::map<int64_t, std::vector<double>> acc, loss;  // 1-based epoch -> one value per run
};

// The accuracy key of the epoch records: test_top1, or test_miou for segmentation.
std::string epoch_metric(const std::vector<report::RunRecord>& runs) {
  for (const auto& r : runs)
    if (r.report.is_object() && r.report.contains("epochs") && r.report["epochs"].is_array())
      for (const auto& e : r.report["epochs"]) {
        if (e.contains("test_top1")) return "test_top1";
        if (e.contains("test_miou")) return "test_miou";
      }
  return "test_top1";
}

std::string name_of(const std::string& metric) {
  return metric == "test_miou" ? "test mIoU (%)" : "test top-1 (%)";
}

std::string spread_cols(const std::vector<double>& v, int decimals) {
  const Spread s = spread_of(v);
  return fmt::format("{:.{}f} {:.{}f} {:.{}f}", s.mean, decimals, s.min, decimals, s.max, decimals);
}

// Every config's curve, by label, and the last epoch any run reached.
std::map<std::string, Curve> curves_of(const json& rows, const std::vector<report::RunRecord>& runs,
                                       const std::string& metric, int64_t& last_epoch) {
  std::map<std::string, Curve> curves;
  for (size_t i = 0; i < runs.size() && i < rows.size(); ++i) {
    const json& rep = runs[i].report;
    if (!rep.is_object() || !rep.contains("epochs") || !rep["epochs"].is_array() || rep["epochs"].empty())
      continue;
    Curve& c = curves[rows[i].value("label", "?")];
    c.label = rows[i].value("label", "?");
    c.run_ids.push_back(rows[i].value("run_id", "?"));
    for (const auto& e : rep["epochs"]) {
      if (!e.is_object() || !e.contains(metric) || !e[metric].is_number()) continue;
      const int64_t epoch = e.value("epoch", int64_t{0}) + 1;
      c.acc[epoch].push_back(e[metric].get<double>());
      if (e.contains("train_loss") && e["train_loss"].is_number())
        c.loss[epoch].push_back(e["train_loss"].get<double>());
      last_epoch = std::max(last_epoch, epoch);
    }
  }
  return curves;
}

// Config k's line style: its own colour; past the palette's 12 colours, a dash pattern and another
// point type keep it apart from the config that shares its colour.
std::string style(size_t k) {
  static const int kPoints[] = {7, 5, 9, 11, 13};
  return fmt::format("lc rgb '{}' dt {} pt {}", palette_colour(k), 1 + k / 12, kPoints[(k / 12) % 5]);
}

}  // namespace

void curves_plot(const json& rows, const std::vector<report::RunRecord>& runs, const std::string& sweep,
                 const std::string& dir, SweepPlots& out) {
  const std::string metric = epoch_metric(runs);
  int64_t last_epoch = 1;
  const std::map<std::string, Curve> curves = curves_of(rows, runs, metric, last_epoch);
  if (curves.empty()) {
    out.notes.push_back("curves: skipped, no run has a finished epoch yet");
    return;
  }
  std::vector<int> counts;
  size_t runs_shown = 0;
  for (const auto& [label, c] : curves)
    counts.push_back(static_cast<int>(c.run_ids.size())), runs_shown += c.run_ids.size();
  const bool same_n = std::all_of(counts.begin(), counts.end(), [&](int n) { return n == counts.front(); });
  std::string data = fmt::format(
      "# epoch (1-based), {} mean min max, runs, training loss mean min max; one block per config\n", metric);
  std::vector<std::string> acc_plots, loss_plots;
  size_t k = 0;
  for (const auto& [label, c] : curves) {  // by label: a config keeps its colour from plot to plot
    data += fmt::format("# config {} (n runs: {})\n", label, fmt::join(c.run_ids, " "));
    for (const auto& [epoch, acc] : c.acc) {
      const auto l = c.loss.find(epoch);
      data += fmt::format("{} {} {} {}\n", epoch, spread_cols(acc, 4), acc.size(),
                          l == c.loss.end() ? "NaN NaN NaN" : spread_cols(l->second, 5));
    }
    data += "\n\n";
    const std::string title =
        gp_string(same_n ? label : fmt::format("{} ({})", label, seeds_phrase({counts[k]})));
    const std::string band =
        fmt::format("fc rgb '{}' fs transparent solid 0.18 noborder notitle", palette_colour(k));
    acc_plots.push_back(fmt::format("'curves.dat' index {} using 1:3:4 with filledcurves {}", k, band));
    acc_plots.push_back(fmt::format(
        "'curves.dat' index {} using 1:2 with linespoints lw 2 ps 0.6 {} title {}", k, style(k), title));
    loss_plots.push_back(fmt::format("'curves.dat' index {} using 1:7:8 with filledcurves {}", k, band));
    loss_plots.push_back(
        fmt::format("'curves.dat' index {} using 1:6 with linespoints lw 2 ps 0.6 {} notitle", k, style(k)));
    ++k;
  }
  const int step = integer_tic_step(static_cast<int>(last_epoch));
  const std::string x_axis = fmt::format(
      "set xlabel 'epoch'\nset xrange [{}:{}]\nset xtics 1,{} format '%.0f'\nunset mxtics\nset grid lc rgb "
      "'#dddddd'\n",
      last_epoch == 1 ? 0.5 : 1.0, last_epoch == 1 ? 1.5 : static_cast<double>(last_epoch), step);
  // A log axis for the loss only when it spans more than a factor of 5 (a run that diverged early).
  double lo = 1e300, hi = 0;
  for (const auto& [label, c] : curves)
    for (const auto& [epoch, v] : c.loss)
      for (double x : v) lo = std::min(lo, x), hi = std::max(hi, x);
  const bool log_loss = lo > 0 && hi > 5 * lo;
  const std::string seeds = seeds_phrase(counts);
  const std::string aggregated = seeds == "one seed"
                                     ? "one seed per config"
                                     : fmt::format("mean of {}, band: lowest to highest seed", seeds);
  const std::string script = fmt::format(
      "set multiplot title {}\n{}"
      "set lmargin at screen 0.07\nset rmargin at screen 0.36\nset bmargin at screen 0.11\nset tmargin at "
      "screen 0.90\nset ylabel {}\nset key at screen 0.735,0.90 left top Left reverse samplen 2.5 font ',9'\n"
      "plot {}\nset lmargin at screen 0.43\nset rmargin at screen 0.72\n{}set ylabel {}\nplot {}\n"
      "unset multiplot\n",
      gp_string(fmt::format("training curves: {} ({} configs, {} runs)", sweep, curves.size(), runs_shown)),
      x_axis, gp_string(name_of(metric) + ": " + aggregated), join(acc_plots, ", \\\n     "),
      log_loss ? "set logscale y\n" : "",
      gp_string(std::string("training loss") + (log_loss ? " (log scale)" : "") + ": " + aggregated),
      join(loss_plots, ", \\\n     "));
  write_plot(dir, "curves", data, script, out.files);
}

}  // namespace espbench::plot
