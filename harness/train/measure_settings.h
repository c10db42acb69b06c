// The run config's "measure" section: what is measured on the trained model once its last epoch is
// done (harness/train/final_latency.h). Measuring changes no trained result, so the section is not
// part of the run id (run_config.h).
//
//   "measure": {"latency": {"threads": 1, "batch": 1, "paths": ["plain", "fast"],
//                           "samples": 100, "warmup_s": 0.5, "max_cv": 0.25, "quiet": true}}
//
// latency: batch-`batch` inference latency of the trained weights on the CPU at the training
// resolution, on the code path of `espbench measure --latency` (harness/latency/latency.h), once per
// entry of `paths`: "plain" (LibTorch modules as trained, eval mode), "fast" (the --fast transform
// with its default parts) or "fast=PARTS" (a comma list of parts, as --fast=PARTS). The first path
// is the run's headline latency (collect's latency_ms). quiet: the other espbench processes of the
// machine that train or evaluate pause while the model is timed (harness/runtime/quiet.h), so the
// workers of a sweep do not time each other's training. An empty object takes every default shown.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::train {

struct LatencyRequest {
  int64_t threads = 1;
  int64_t batch = 1;
  std::vector<std::string> paths = {"plain", "fast"};
  int64_t samples = 100;
  double warmup_s = 0.5;
  double max_cv = 0.25;
  bool quiet = true;
};

struct MeasureSettings {
  std::optional<LatencyRequest> latency;
  bool empty() const { return !latency.has_value(); }
};

// The "measure" key of a run config (absent or null: nothing is measured). Throws espbench::Error
// "SOURCE: measure.latency.KEY: message" for unknown keys (with a did-you-mean) and bad values.
MeasureSettings resolve_measure(const json& config, const std::string& source);

// The resolved section, every key present: {"latency": {...}} ({} when nothing is measured).
json measure_json(const MeasureSettings& settings);

// The --fast argument of a path: "" for "plain", "default" for "fast", PARTS for "fast=PARTS".
std::string fast_argument(const std::string& path);

}  // namespace espbench::train
