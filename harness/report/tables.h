// `espbench report`: collect.h's rows grouped over seeds, printed as a console or Markdown table.
//
//   json groups = group_rows(make_rows(find_runs("sweeps/blocks")));
//   std::cout << format_table(groups, /*markdown=*/false);
//
// A group is the runs of one sweep with the same label (collect.h), i.e. whose configs differ only
// in the seed. Each metric is summarised over the group's runs that have it as {"mean", "std", "n"}
// (std: the sample standard deviation, 0 for n = 1; null when no run has the metric). Groups are
// sorted by sweep, then label.
#pragma once
#include <string>

#include "modules/options.h"

namespace espbench::report {

// [{"sweep", "label", "model", "family", "runs", "seeds": [...], "states": {"done": 3, ...},
//   "params", "macs" (of the first run that has them), "test_top1", "best_test_top1", "test_top5",
//   "test_miou", "best_test_miou" (segmentation), "latency_ms", "wall_time_s": {"mean", "std", "n"},
//   "run_ids": [...]}]
// The table shows mIoU columns when a group has an mIoU.
json group_rows(const json& rows);

// {"mean", "std", "n"} of the numbers in `values` (nulls skipped).
json summarize(const std::vector<json>& values);

std::string format_table(const json& groups, bool markdown);

// 1234567 -> "1.23M", 12345 -> "12.3k", 999 -> "999" (G, M with 2 decimals, k with 1).
std::string si_number(double v);

}  // namespace espbench::report
