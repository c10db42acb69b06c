// The model block of training reports (train_run, bench_train).
#pragma once
#include <cstdint>

#include "harness/train/run_config.h"

namespace espbench::train {

// name, family, options, params, and the complexity (params, macs {conv, linear}, profiles) at the
// data set's resolution and, for 3-channel models, at 3x224x224 ("at_224"); parts that cannot be
// measured are left out.
json model_summary(const RunConfig& config, int64_t channels, int64_t height, int64_t width);

// Number of parameter values of `model`.
int64_t count_params(const Network& model);

}  // namespace espbench::train
