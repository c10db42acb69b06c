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

std::string spread_cols(const std::vector<double>& v, int decimals) {
  const Spread s = spread_of(v);
  return fmt::format("{:.{}f} {:.{}f} {:.{}f}", s.mean, decimals, s.min, decimals, s.max, decimals);
}

}  // namespace

void curves_plot(const json& rows, const std::vector<report::RunRecord>& runs, const std::string& sweep,
                 const std::string& dir, SweepPlots& out) {
  const std::string metric = epoch_metric(runs);
  std::map<std::string, Curve> curves;
  int64_t last_epoch = 1;
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
  if (curves.empty()) {
    out.notes.push_back("curves: skipped, no run has a finished epoch yet");
    return;
  }
  const std::string name = metric == "test_miou" ? "test mIoU (%)" : "test top-1 (%)";
  std::string data = fmt::format(
      "# epoch (1-based), {} mean min max, runs, training loss mean min max; one block per config\n", metric);
  std::vector<std::string> acc_plots, loss_plots;
  std::vector<int> counts;
  size_t index = 0;
  for (const auto& [label, c] : curves) {  // by label: a config keeps its colour from sweep to sweep
    const std::string colour = palette_colour(index);
    data += fmt::format("# config {} (n runs: {})\n", label, fmt::join(c.run_ids, " "));
    for (const auto& [epoch, acc] : c.acc) {
      const auto l = c.loss.find(epoch);
      data += fmt::format("{} {} {} {}\n", epoch, spread_cols(acc, 4), acc.size(),
                          l == c.loss.end() ? "NaN NaN NaN" : spread_cols(l->second, 5));
    }
    data += "\n\n";
    counts.push_back(static_cast<int>(c.run_ids.size()));
    const std::string title = gp_string(fmt::format("{} ({})", label, seeds_phrase({counts.back()})));
    acc_plots.push_back(
        fmt::format("'curves.dat' index {} using 1:3:4 with filledcurves fc rgb '{}' fs transparent solid "
                    "0.18 noborder notitle",
                    index, colour));
    acc_plots.push_back(
        fmt::format("'curves.dat' index {} using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '{}' title {}",
                    index, colour, title));
    loss_plots.push_back(
        fmt::format("'curves.dat' index {} using 1:7:8 with filledcurves fc rgb '{}' fs transparent solid "
                    "0.18 noborder notitle",
                    index, colour));
    loss_plots.push_back(
        fmt::format("'curves.dat' index {} using 1:6 with linespoints lw 2 pt 7 ps 0.6 lc rgb '{}' notitle",
                    index, colour));
    ++index;
  }
  const int step = integer_tic_step(static_cast<int>(last_epoch));
  const std::string x_axis = fmt::format(
      "set xlabel 'epoch'\nset xrange [{}:{}]\nset xtics 1,{} format '%.0f'\nunset mxtics\nset grid lc rgb "
      "'#dddddd'\n",
      last_epoch == 1 ? 0.5 : 1.0, last_epoch == 1 ? 1.5 : static_cast<double>(last_epoch), step);
  const std::string aggregated =
      fmt::format("mean of {}, band: lowest to highest seed", seeds_phrase(counts));
  const std::string script = fmt::format(
      "set multiplot title {}\n{}"
      "set lmargin at screen 0.07\nset rmargin at screen 0.38\nset bmargin at screen 0.11\nset tmargin at "
      "screen 0.90\n"
      "set ylabel {}\nset key at screen 0.78,0.90 left top Left reverse samplen 2 font ',9'\nplot {}\n"
      "set lmargin at screen 0.46\nset rmargin at screen 0.77\nset ylabel {}\nplot {}\nunset multiplot\n",
      gp_string(fmt::format("training curves: {} ({} configs, {} runs)", sweep, curves.size(),
                            [&] {
                              size_t n = 0;
                              for (const auto& [l, c] : curves) n += c.run_ids.size();
                              return n;
                            }())),
      x_axis, gp_string(name + ": " + aggregated), join(acc_plots, ", \\\n     "),
      gp_string("training loss: " + aggregated), join(loss_plots, ", \\\n     "));
  write_plot(dir, "curves", data, script, out.files);
}

}  // namespace espbench::plot
