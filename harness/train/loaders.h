// The loader settings of a run's two splits (train_run, bench_train).
#pragma once
#include "harness/data/loader.h"
#include "harness/train/run_config.h"

namespace espbench::train {

// Training split: shuffled and augmented from runtime.seed, train.batch_size and train.workers; a
// final batch of one image is dropped (BatchNorm cannot train on it), any other partial one kept.
data::LoaderOptions train_loader_options(const RunConfig& config, const data::Dataset& train);

// Test split: in order, unaugmented, train.eval_batch_size.
data::LoaderOptions eval_loader_options(const RunConfig& config);

}  // namespace espbench::train
