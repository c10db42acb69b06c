#include "harness/plot/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>

#include "harness/plot/configs.h"
#include "harness/plot/curves.h"
#include "harness/plot/edf.h"
#include "harness/plot/gnuplot.h"
#include "harness/plot/scatter.h"
#include "harness/plot/style.h"
#include "harness/report/collect.h"
#include "harness/report/latency_block.h"

namespace espbench::plot {

namespace {

namespace fs = std::filesystem;

std::optional<Spread> constant(const json& v) {
  if (!v.is_number()) return std::nullopt;
  const double d = v.get<double>();
  return Spread{d, d, d, 1};
}

std::optional<Spread> latency_of(const ConfigPoint& p, const std::string& path) {
  const auto it = p.latency.find(path);
  return it == p.latency.end() ? std::nullopt : std::optional<Spread>(it->second);
}

std::string ms_tic(double v) { return fmt::format("{:g}", v); }

// "acc_vs_latency_fast_fold_bn_gemm" from "fast=fold_bn,gemm".
std::string slug(const std::string& path) {
  std::string s;
  for (char ch : path) s += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return s;
}

// "1 thread, batch 1, input 1x1x28x28" from the first latency block read.
std::string conditions(const json& c) {
  std::vector<std::string> parts;
  if (c.value("threads", json()).is_number())
    parts.push_back(fmt::format("{} thread{}", c["threads"].get<int64_t>(), c["threads"] == 1 ? "" : "s"));
  if (c.value("batch", json()).is_number())
    parts.push_back(fmt::format("batch {}", c["batch"].get<int64_t>()));
  if (c.value("input", json()).is_array()) {
    std::vector<std::string> dims;
    for (const auto& d : c["input"]) dims.push_back(d.dump());
    parts.push_back("input " + join(dims, "x"));
  }
  return join(parts, ", ");
}

struct Words {
  std::string metric_axis;  // "test top-1 (%): mean of 3 seeds, bars: lowest to highest seed"
  std::string summary;      // "14 configs, 42 finished runs"
};

Words words_of(const SweepConfigs& c) {
  std::vector<int> counts;
  for (const auto& p : c.points) counts.push_back(p.metric.n);
  const std::string seeds = seeds_phrase(counts);
  Words w;
  w.metric_axis = fmt::format(
      "{} (%): {}", c.metric_name,
      seeds == "one seed" ? "one seed per config" : "mean of " + seeds + ", bars: lowest to highest seed");
  w.summary = fmt::format("{} configs, {} finished runs", c.points.size(), c.finished_runs);
  return w;
}

void cost_plots(const SweepConfigs& c, const std::string& sweep, SweepPlots& out) {
  const Words w = words_of(c);
  auto metric = [](const ConfigPoint& p) { return std::optional<Spread>(p.metric); };
  ScatterSpec macs{"acc_vs_macs", fmt::format("{} vs MACs: {} ({})", c.metric_name, sweep, w.summary),
                   "MACs per image (conv + linear, at the training resolution), log scale", w.metric_axis};
  macs.pareto = true;
  macs.layers = {{"", 7, [](const ConfigPoint& p) { return constant(p.macs); }, metric}};
  if (!scatter_plot(macs, c, out.dir, out.files))
    out.notes.push_back("acc_vs_macs: skipped, no finished run has both MACs and " + c.metric_name);
  ScatterSpec params{"acc_vs_params",
                     fmt::format("{} vs parameters: {} ({})", c.metric_name, sweep, w.summary),
                     "parameters, log scale", w.metric_axis};
  params.pareto = true;
  params.layers = {{"", 7, [](const ConfigPoint& p) { return constant(p.params); }, metric}};
  if (!scatter_plot(params, c, out.dir, out.files))
    out.notes.push_back("acc_vs_params: skipped, no finished run has both parameters and " + c.metric_name);
}

void latency_plots(const SweepConfigs& c, const std::string& sweep, SweepPlots& out) {
  if (c.latency_paths.empty()) {
    out.notes.push_back(c.latency_problems.empty()
                            ? "acc_vs_latency: skipped, no report carries a latency block"
                            : "acc_vs_latency: skipped, no latency block could be read (" +
                                  c.latency_problems.front() + ")");
    return;
  }
  if (!c.latency_problems.empty())
    out.notes.push_back(fmt::format("latency: {} block(s) left out: {}", c.latency_problems.size(),
                                    join(c.latency_problems, "; ")));
  const Words w = words_of(c);
  const std::string cond = conditions(c.latency_conditions);
  const std::string cpu = c.latency_conditions.value("cpu_model", json()).is_string()
                              ? " on " + c.latency_conditions["cpu_model"].get<std::string>()
                              : "";
  auto metric = [](const ConfigPoint& p) { return std::optional<Spread>(p.metric); };
  std::vector<ScatterLayer> per_path;
  const int point_types[] = {7, 9, 5, 11, 13};
  for (size_t i = 0; i < c.latency_paths.size(); ++i) {
    const std::string path = c.latency_paths[i], words = report::describe_latency_path(path);
    auto lat = [path](const ConfigPoint& p) { return latency_of(p, path); };
    ScatterSpec s{
        "acc_vs_latency_" + slug(path),
        fmt::format("{} vs measured latency ({}): {} ({}){}", c.metric_name, words, sweep, w.summary, cpu),
        fmt::format("latency p50 (ms), {}: {} (log scale)", words, cond), w.metric_axis};
    s.pareto = true;
    s.x_tic = ms_tic;
    s.layers = {{"", 7, lat, metric}};
    scatter_plot(s, c, out.dir, out.files);
    per_path.push_back(
        {words, point_types[i % 5], [](const ConfigPoint& p) { return constant(p.macs); }, lat});
  }
  ScatterSpec lvm{"latency_vs_macs",
                  fmt::format("measured latency vs MACs: {} ({}){}", sweep, w.summary, cpu),
                  "MACs per image (conv + linear, at the training resolution), log scale",
                  fmt::format("latency p50 (ms), {}: mean over seeds, log scale", cond)};
  lvm.log_y = true;
  lvm.y_tic = ms_tic;
  lvm.layers = per_path;
  scatter_plot(lvm, c, out.dir, out.files);
}

// Pictures an earlier `plot` drew that this one did not (a latency path no longer measured, say).
void remove_stale(const std::string& dir, const std::vector<std::string>& files) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string stem = e.path().stem().string(), ext = e.path().extension().string();
    const bool ours =
        stem.rfind("acc_vs_", 0) == 0 || stem == "curves" || stem == "edf" || stem == "latency_vs_macs";
    if (ours && (ext == ".dat" || ext == ".gp" || ext == ".svg" || ext == ".png") &&
        std::find(files.begin(), files.end(), e.path().string()) == files.end())
      fs::remove(e.path(), ec);
  }
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
    const SweepConfigs configs = sweep_configs(rows, recs);
    cost_plots(configs, sweep, out);
    latency_plots(configs, sweep, out);
    curves_plot(rows, recs, sweep, out.dir, out);
    edf_plot(rows, sweep, out.dir, out);
    remove_stale(out.dir, out.files);
    if (options.render) render_all(out.dir, out.files);
    result.push_back(out);
  }
  return result;
}

}  // namespace espbench::plot
