#include "harness/plot/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numeric>

#include "harness/plot/edf.h"
#include "harness/plot/gnuplot.h"
#include "harness/report/atomic_file.h"
#include "harness/report/collect.h"
#include "harness/report/tables.h"
#include "modules/error.h"

namespace espbench::plot {

namespace {

namespace fs = std::filesystem;

// Per group label: its plot line (the rows' `series`, the label without the model's width) and
// its width (null when the model has none), from collect's rows.
struct Series {
  std::map<std::string, std::string> line;
  std::map<std::string, json> width;
};

Series series_of(const json& rows) {
  Series s;
  for (const auto& r : rows) {
    const std::string label = r["label"].get<std::string>();
    s.line[label] = r.value("series", r["model"].get<std::string>());
    s.width[label] = r.value("width", json());
  }
  return s;
}

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("'") : std::string(1, c);
  return q + "\"";
}

// Accuracy against a cost (a group key such as "macs", or "latency_ms" whose mean is used).
void cost_plot(const json& groups, const Series& series, const std::string& cost_key, const std::string& name,
               const std::string& xlabel, bool log_x, const std::string& title, const std::string& dir,
               SweepPlots& out) {
  struct Point {
    double x, y, err;
    std::string label;
    json width;
  };
  std::map<std::string, std::vector<Point>> families;
  std::vector<std::string> order;
  std::vector<Point> all;
  for (const auto& g : groups) {
    const json& c = g[cost_key];
    const json x = c.is_object() ? c["mean"] : c;
    if (!x.is_number() || g["test_top1"]["n"].get<int64_t>() == 0) continue;
    const std::string label = g["label"].get<std::string>();
    Point p{x.get<double>(), g["test_top1"]["mean"].get<double>(), g["test_top1"]["std"].get<double>(), label,
            series.width.count(label) ? series.width.at(label) : json()};
    const std::string fam = series.line.count(label) ? series.line.at(label) : g["model"].get<std::string>();
    if (!families.count(fam)) order.push_back(fam);
    families[fam].push_back(p);
    all.push_back(p);
  }
  if (all.empty()) {
    out.notes.push_back(fmt::format("{}: skipped, no run has both {} and a finished epoch", name, cost_key));
    return;
  }
  std::string data =
      fmt::format("# {}: x = {}, y = test top-1 % (mean over seeds), err = its std; label\n", name, cost_key);
  std::vector<std::string> plots;
  size_t index = 0;
  for (const auto& fam : order) {
    auto& pts = families[fam];
    // Along the model's width where it has one (the family's line), else along the cost.
    std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) {
      if (a.width.is_number() && b.width.is_number() && a.width != b.width)
        return a.width.get<double>() < b.width.get<double>();
      return a.x < b.x;
    });
    data += fmt::format("# family {}\n", fam);
    for (const auto& p : pts)
      data += fmt::format("{:.10g} {:.6f} {:.6f} {}\n", p.x, p.y, p.err, quoted(p.label));
    data += "\n\n";
    // An explicit colour per family: the label plots below would otherwise take every other one
    // from gnuplot's cycle, and the fifth family would repeat the first's colour.
    plots.push_back(
        fmt::format("'{}.dat' index {} using 1:2:3 with yerrorlines lw 1.5 pt 7 ps 0.8 lc {} title {}", name,
                    index, index % 8 + 1, quoted(fam)));
    // Labels of alternate families above and below their points, so that two families at one cost
    // (EESP and EESP-A have equal MACs) stay readable.
    plots.push_back(fmt::format("'{}.dat' index {} using 1:2:4 with labels offset 0,{} font ',8' notitle",
                                name, index, index % 2 == 0 ? "0.9" : "-0.9"));
    ++index;
  }
  std::vector<std::pair<double, double>> ca;
  for (const auto& p : all) ca.emplace_back(p.x, p.y);
  data += "# Pareto front\n";
  for (size_t i : pareto_front(ca)) data += fmt::format("{:.10g} {:.6f}\n", all[i].x, all[i].y);
  plots.push_back(fmt::format(
      "'{}.dat' index {} using 1:2 with linespoints dt 2 lw 2 pt 6 ps 2 lc rgb 'black' title 'Pareto front'",
      name, index));
  const std::string settings = fmt::format(
      "set title {}\nset xlabel {}\nset ylabel 'test top-1 (%), mean +- std over seeds'\n{}"
      "set grid\nset key outside right top\nset offsets graph 0.05, graph 0.15, graph 0.08, graph 0.05\n",
      quoted(title), quoted(xlabel), log_x ? "set logscale x\nset format x '%.0s%c'\n" : "");
  write_plot(dir, name, data, settings + "plot " + join(plots, ", \\\n     ") + "\n", out.files);
}

void curves_plot(const json& rows, const std::vector<report::RunRecord>& runs, const std::string& sweep,
                 const std::string& dir, SweepPlots& out) {
  std::string data = "# epoch (1-based), test top-1 %, train loss; one block per run\n";
  std::vector<std::string> top1, loss;
  size_t index = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const json& rep = runs[i].report;
    if (!rep.is_object() || !rep.contains("epochs") || !rep["epochs"].is_array() || rep["epochs"].empty())
      continue;
    const std::string title =
        fmt::format("{} seed={}", rows[i]["label"].get<std::string>(),
                    rows[i]["seed"].is_null() ? std::string("?") : rows[i]["seed"].dump());
    data += fmt::format("# run {} {}\n", rows[i]["run_id"].get<std::string>(), title);
    for (const auto& e : rep["epochs"])
      data += fmt::format("{} {:.6f} {:.6f}\n", e.value("epoch", int64_t{0}) + 1, e.value("test_top1", 0.0),
                          e.value("train_loss", 0.0));
    data += "\n\n";
    top1.push_back(fmt::format("'curves.dat' index {} using 1:2 with linespoints pt 7 ps 0.5 title {}", index,
                               quoted(title)));
    loss.push_back(
        fmt::format("'curves.dat' index {} using 1:3 with linespoints pt 7 ps 0.5 notitle", index));
    ++index;
  }
  if (index == 0) {
    out.notes.push_back("curves: skipped, no run has a finished epoch yet");
    return;
  }
  const std::string script = fmt::format(
      "set multiplot layout 1,2 title {}\nset grid\nset xlabel 'epoch'\nset key bottom right font ',8'\n"
      "set ylabel 'test top-1 (%)'\nplot {}\nset ylabel 'training loss'\nset key off\nplot {}\nunset "
      "multiplot\n",
      quoted("training curves: " + sweep), join(top1, ", \\\n     "), join(loss, ", \\\n     "));
  write_plot(dir, "curves", data, script, out.files);
}

}  // namespace

std::vector<size_t> pareto_front(const std::vector<std::pair<double, double>>& ca) {
  std::vector<size_t> idx(ca.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    return ca[a].first != ca[b].first ? ca[a].first < ca[b].first : ca[a].second > ca[b].second;
  });
  std::vector<size_t> front;
  for (size_t i : idx)
    if (front.empty() || ca[i].second > ca[front.back()].second) front.push_back(i);
  return front;
}

std::vector<SweepPlots> plot_dir(const std::string& dir, const PlotOptions& options) {
  const auto runs = report::find_runs(dir);
  std::map<std::string, std::vector<report::RunRecord>> by_sweep;
  std::vector<std::string> order;
  for (const auto& r : runs) {
    if (!by_sweep.count(r.sweep)) order.push_back(r.sweep);
    by_sweep[r.sweep].push_back(r);
  }
  std::vector<SweepPlots> result;
  for (const auto& sweep : order) {
    const auto& recs = by_sweep[sweep];
    SweepPlots out;
    out.sweep = sweep;
    out.dir = (fs::path(recs.front().dir).parent_path() / "plots").string();
    const json rows = report::make_rows(recs);
    const json groups = report::group_rows(rows);
    const Series series = series_of(rows);
    cost_plot(groups, series, "macs", "acc_vs_macs", "MACs per image (conv + linear), log scale", true,
              "test top-1 vs MACs: " + sweep, out.dir, out);
    cost_plot(groups, series, "params", "acc_vs_params", "parameters, log scale", true,
              "test top-1 vs parameters: " + sweep, out.dir, out);
    const bool latency = std::any_of(groups.begin(), groups.end(),
                                     [](const json& g) { return g["latency_ms"]["n"].get<int64_t>() > 0; });
    if (latency)
      cost_plot(groups, series, "latency_ms", "acc_vs_latency", "measured latency (ms)", false,
                "test top-1 vs latency: " + sweep, out.dir, out);
    else
      out.notes.push_back("acc_vs_latency: skipped, no report carries a latency block");
    curves_plot(rows, recs, sweep, out.dir, out);
    edf_plot(rows, sweep, out.dir, out);
    if (options.render) render_all(out.dir, out.files);
    result.push_back(out);
  }
  return result;
}

}  // namespace espbench::plot
