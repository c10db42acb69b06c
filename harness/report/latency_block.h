// Reading a report's `latency` block (harness/train/final_latency.h) for plots and pages, never
// throwing: what cannot be read is named in `problems`, one phrase each.
//
//   LatencyBlock b = read_latency_block(report);
//   for (const auto& p : b.paths) use(p.name, p.p50_ms);     // "plain", "fast", ...
//   for (const auto& why : b.problems) show(why);             // "paths.fast: no p50_ms"
//
// Also read: a bare number (`"latency": 3.2`, path "measured") and a `measure --latency --json`
// object (p50_ms at its top, path "measured").
#pragma once
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::report {

struct LatencyPath {
  std::string name;  // "plain", "fast", "fast=PARTS" or "measured"
  double p50_ms = 0;
  json p90_ms, cv, valid, samples;  // null where the block lacks them
  std::vector<std::string> fast_applied;
};

struct LatencyBlock {
  bool present = false;               // the report has a `latency` key
  std::vector<LatencyPath> paths;     // the readable paths, the headline (primary) first
  std::vector<std::string> problems;  // what is missing or malformed
  json threads, batch, input, cpu_model;
};

LatencyBlock read_latency_block(const json& report);

// "plain LibTorch", "--fast (fold_bn,eesp_kernel,...)" style words for a path name.
std::string describe_latency_path(const std::string& name);

}  // namespace espbench::report
