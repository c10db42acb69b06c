// Batches from a Dataset, assembled by worker threads ahead of the consumer.
//
//   LoaderOptions opt;  opt.batch_size = 128;  opt.seed = 1882;
//   Loader loader(data.train, opt);
//   for (int64_t e = start_epoch; e < epochs; ++e) {
//     loader.start_epoch(e);
//     Batch b;
//     while (loader.next(b)) train_step(b.images, b.labels);   // [N,C,H,W] float32, [N] int64
//   }
//
// Reproducibility contract: the order of epoch e is a permutation drawn from (seed, e) alone, and
// the augmentation of the k-th example of epoch e is drawn from (seed, e, k) alone, so batches are
// bitwise identical for any number of workers, any prefetch depth and any timing, and a run resumed
// at epoch e sees exactly what the uninterrupted run saw.
//
// Threads: `workers` threads each build whole batches (claimed in order); at most `prefetch` batches
// are built or in flight ahead of the consumer, and next() hands them out in order. workers = 0
// builds each batch inside next(). Workers use no intra-op torch parallelism. An exception in a
// worker (e.g. espbench::Error for an unusable image folder) is rethrown by next().
#pragma once
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "harness/data/dataset.h"

namespace espbench::data {

struct LoaderOptions {
  int64_t batch_size = 128;
  bool shuffle = true;
  bool drop_last = false;  // drop the final partial batch
  int64_t workers = 1;     // batch-building threads (0: build in next())
  int64_t prefetch = 4;    // batches built ahead of the consumer, >= 1
  uint64_t seed = 0;
  bool augment = true;  // apply the split's training augmentation, if it has one
  int64_t limit = 0;    // use only the first N examples of the dataset (0: all)
  // Data-parallel shard (harness/dist/data_parallel.h): every batch is the same global batch for
  // any shard_count (order, augmentation and batch count unchanged); shard i gets its rows
  // [i*n/count, (i+1)*n/count) of the batch's n images, possibly none.
  int64_t shard_index = 0;
  int64_t shard_count = 1;
};

struct Batch {
  torch::Tensor images;  // float32 [N, C, H, W], normalised
  torch::Tensor labels;  // int64 [N], or [N, H, W] for a segmentation set (Dataset::dense_labels)
  int64_t epoch = -1;
  int64_t index = -1;  // batch number within the epoch
};

class Loader {
 public:
  // Throws espbench::Error for bad options (naming the option, the value and what is valid).
  Loader(std::shared_ptr<const Dataset> dataset, LoaderOptions options);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Begins epoch `epoch` (>= 0), discarding whatever the previous epoch had left; workers start
  // building its first batches at once.
  void start_epoch(int64_t epoch);
  // The next batch of the current epoch; false when the epoch is exhausted.
  bool next(Batch& out);

  int64_t batches_per_epoch() const;
  int64_t examples_per_epoch() const;  // examples delivered per epoch (after limit and drop_last)
  const LoaderOptions& options() const;
  const Dataset& dataset() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The permutation (or identity when !shuffle) of [0, n) used for `epoch`.
std::vector<int64_t> epoch_order(int64_t n, bool shuffle, uint64_t seed, int64_t epoch);

}  // namespace espbench::data
