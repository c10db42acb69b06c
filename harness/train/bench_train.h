// Training throughput of a RunConfig (`espbench bench-train`): real training steps of the config's
// model on its data, timed in windows.
#pragma once
#include <cstdint>

#include "harness/train/run_config.h"

namespace espbench::train {

// Training throughput: `warmup_steps` untimed steps, then `steps` timed steps in windows of
// `window_steps`, each step including the wait for the real loader's next batch. Uses the config's
// model, data, batch size, optimizer settings, threads, workers and seed (lr fixed at the
// schedule's first value).
struct BenchTrainOptions {
  int64_t steps = 60;
  int64_t warmup_steps = 10;
  int64_t window_steps = 10;
  bool profile = false;  // time every op of the timed steps (adds "op_profile"; slows the steps)
};
// {"model", "data", "batch_size", "threads", "workers", "steps", "warmup_steps", "window_steps",
//  "images_per_s": {"median", "min", "max", "windows": [...]}, "step_ms_median", "macs", "context"}.
json bench_train(const RunConfig& config, const BenchTrainOptions& options = {});

}  // namespace espbench::train
