#include "harness/plot/configs.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/report/latency_block.h"

namespace espbench::plot {

namespace {

// The accuracy the sweep reports: top-1 for classification, mIoU for segmentation.
void choose_metric(const json& rows, SweepConfigs& c) {
  const bool top1 = std::any_of(rows.begin(), rows.end(),
                                [](const json& r) { return r.value("test_top1", json()).is_number(); });
  const bool miou = std::any_of(rows.begin(), rows.end(),
                                [](const json& r) { return r.value("test_miou", json()).is_number(); });
  if (!top1 && miou) c.metric_key = "test_miou", c.metric_name = "test mIoU";
}

void read_latency(const report::RunRecord& run, const std::string& run_id, SweepConfigs& c,
                  std::map<std::string, std::vector<double>>& by_path) {
  const report::LatencyBlock b = report::read_latency_block(run.report);
  for (const auto& why : b.problems) c.latency_problems.push_back(fmt::format("run {}: {}", run_id, why));
  for (const auto& p : b.paths) {
    if (std::find(c.latency_paths.begin(), c.latency_paths.end(), p.name) == c.latency_paths.end())
      c.latency_paths.push_back(p.name);
    by_path[p.name].push_back(p.p50_ms);
  }
  if (c.latency_conditions.is_null() && !b.paths.empty())
    c.latency_conditions = {
        {"threads", b.threads}, {"batch", b.batch}, {"input", b.input}, {"cpu_model", b.cpu_model}};
}

bool number_order(const ConfigPoint& a, const ConfigPoint& b) {
  if (a.family != b.family) return a.family < b.family;
  if (a.width.is_number() && b.width.is_number() && a.width != b.width)
    return a.width.get<double>() < b.width.get<double>();
  const double ma = a.macs.is_number() ? a.macs.get<double>() : 0,
               mb = b.macs.is_number() ? b.macs.get<double>() : 0;
  if (ma != mb) return ma < mb;
  return a.label < b.label;
}

}  // namespace

Spread spread_of(const std::vector<double>& v) {
  Spread s;
  if (v.empty()) return s;
  s.n = static_cast<int>(v.size());
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  return s;
}

SweepConfigs sweep_configs(const json& rows, const std::vector<report::RunRecord>& runs) {
  SweepConfigs c;
  choose_metric(rows, c);
  std::map<std::string, ConfigPoint> by_label;
  std::map<std::string, std::vector<double>> metric;
  std::map<std::string, std::map<std::string, std::vector<double>>> latency;
  for (size_t i = 0; i < rows.size() && i < runs.size(); ++i) {
    const json& r = rows[i];
    const json m = r.value(c.metric_key, json());
    if (r.value("status", "") != "done" || !m.is_number()) continue;
    const std::string label = r.value("label", "?");
    ConfigPoint& p = by_label[label];
    if (p.label.empty()) {
      p.label = label;
      p.family = r.contains("series") && r["series"].is_string() ? r["series"].get<std::string>()
                                                                 : r.value("model", "?");
      p.width = r.value("width", json());
      p.macs = r.value("macs", json());
      p.params = r.value("params", json());
    }
    p.run_ids.push_back(r.value("run_id", "?"));
    metric[label].push_back(m.get<double>());
    read_latency(runs[i], r.value("run_id", "?"), c, latency[label]);
    ++c.finished_runs;
  }
  for (auto& [label, p] : by_label) {
    p.metric = spread_of(metric[label]);
    for (const auto& [path, v] : latency[label]) p.latency[path] = spread_of(v);
    c.points.push_back(p);
    if (std::find(c.families.begin(), c.families.end(), p.family) == c.families.end())
      c.families.push_back(p.family);
  }
  std::sort(c.families.begin(), c.families.end());
  std::sort(c.points.begin(), c.points.end(), number_order);
  for (size_t k = 0; k < c.points.size(); ++k) c.points[k].number = static_cast<int>(k + 1);
  return c;
}

}  // namespace espbench::plot
