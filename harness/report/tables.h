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
#include <functional>
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

// A table as Markdown (numbers right-aligned: column i is left-aligned where left_markdown(i)) or
// as aligned text (column i padded on the right where left_text(i), on the left otherwise).
std::string render_columns(const std::vector<std::string>& head,
                           const std::vector<std::vector<std::string>>& cells, bool markdown,
                           const std::function<bool(size_t)>& left_markdown,
                           const std::function<bool(size_t)>& left_text);

// 1234567 -> "1.23M", 12345 -> "12.3k", 999 -> "999" (G, M with 2 decimals, k with 1).
std::string si_number(double v);

}  // namespace espbench::report
