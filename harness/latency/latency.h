// Whole-model latency as a library call (`espbench measure --latency`, `espbench compare`, sweeps):
// eval mode, inference mode (no autograd), float32, batch 1 by default, the model's evaluation
// resolution by default, one measurement per thread count, timed on Google Benchmark's runner
// (harness/latency/runner.h).
//
// Validity rule (the `valid` flag): a measurement is trusted when it has at least 10 samples and
// its coefficient of variation (stddev / mean over the per-inference samples) is at most
// `max_cv` (default 0.25). Above that the machine was too noisy (another job, a slow phase) for
// the figures to be compared; the numbers are still reported.
#pragma once
#include <string>
#include <vector>

#include "modules/inference/fast_model.h"
#include "modules/options.h"

namespace espbench {

struct ModelSpec;

struct LatencyOptions {
  std::vector<int64_t> threads;  // one measurement per entry; empty = all cores
  int64_t batch = 1;
  std::vector<int64_t> input;  // {1, C, H, W} from parse_input_shape; empty = evaluation resolution
  std::string fast;            // "" (plain), "default", "all" or a part list (fast_model.h)
  int64_t samples = 50;        // timed inferences per thread count
  double warmup_s = 0.5;
  double max_cv = 0.25;
  std::string device = "cpu";
  bool profile = false;  // also time every op of `samples` more inferences per thread count
};

// Checks threads >= 1, batch >= 1, samples >= 1, the device and the fast parts; throws
// espbench::Error naming the option and what is valid.
void validate_latency_options(const LatencyOptions& o);

// The evaluation input of a resolved model, [C, H, W]: 224x224 (32x32 with small_input).
std::vector<int64_t> evaluation_input(const json& resolved_options);

// One latency object per thread count (docs/latency.md describes the fields); with one thread
// count the object itself, with several a list. Parts named explicitly in `fast` that cannot apply
// to this model are an error; with `default`/`all` they are skipped and recorded. With `profile`,
// each object gains `op_profile`: {inferences, wall_ms_per_inference, ops: [{name, shape, calls,
// ms_per_inference, share}...]} from separate, untimed-for-latency runs (harness/runtime/op_profile.h).
// `trained`: time a copy of this network of `spec` (its weights) instead of a freshly built one.
json measure_latency(const ModelSpec& spec, const LatencyOptions& options, const Network* trained = nullptr);

}  // namespace espbench
