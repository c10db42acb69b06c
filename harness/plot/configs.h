// The configs of one sweep as plotted: collect's rows grouped by label (runs that differ only in
// their seed), each with its finished runs' figures summarised as mean, min and max, numbered once
// so that a number names the same config in every plot and on the sweep's page.
//
//   SweepConfigs c = sweep_configs(rows, runs);    // rows = make_rows(runs), one sweep
//   for (const auto& p : c.points) p.number, p.label, p.metric.mean, p.latency.at("fast").mean
//
// Only runs with status "done" count (a running run's last epoch is not its result). Numbering:
// families by name, then within a family by width (the model's width option), then MACs, then label.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "harness/report/collect.h"
#include "modules/options.h"

namespace espbench::plot {

struct Spread {
  double mean = 0, min = 0, max = 0;
  int n = 0;
};

// Mean, min and max of `values` (n = 0 when empty).
Spread spread_of(const std::vector<double>& values);

struct ConfigPoint {
  int number = 0;  // 1-based
  std::string label, family;
  json width;                             // null when the model has none
  Spread metric;                          // the sweep's accuracy metric over the finished seeds
  json macs, params;                      // numbers, or null
  std::map<std::string, Spread> latency;  // latency path -> p50 (ms) over the seeds that have it
  std::vector<std::string> run_ids;       // the finished runs
};

struct SweepConfigs {
  std::string metric_key = "test_top1";       // or "test_miou" for a segmentation sweep
  std::string metric_name = "test top-1";     // for axis titles
  std::vector<ConfigPoint> points;            // by number
  std::vector<std::string> families;          // by name; a family's colour is its index here
  std::vector<std::string> latency_paths;     // in the order the reports list them, headline first
  json latency_conditions;                    // threads, batch, input, cpu_model of the first block read
  std::vector<std::string> latency_problems;  // "run ID: what is missing", for blocks that could not be read
  size_t finished_runs = 0;
};

SweepConfigs sweep_configs(const json& rows, const std::vector<report::RunRecord>& runs);

}  // namespace espbench::plot
