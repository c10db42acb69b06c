// Data-parallel training over a ProcessGroup, as the trainer uses it (TrainOptions::data_parallel).
//
// Semantics (N ranks, global batch B = train.batch_size):
//   * Every rank builds the same model from the same seed; rank 0's parameters and buffers are then
//     broadcast, so a rank that resumed from a different file cannot silently diverge (the resume
//     epoch must also agree, else an error: the output folder must be on a shared file system).
//   * Batch b of an epoch is the same global batch as in a 1-rank run (same order, same
//     augmentation); rank r takes rows [r*n/N, (r+1)*n/N) of its n images (LoaderOptions::shard_*).
//   * After backward, each rank scales its gradients by its share of the images, the gradients are
//     summed over ranks in flat buckets, and every rank applies the same SGD step: the update is the
//     gradient of the mean loss over the global batch, as in a 1-rank run. Loss and accuracy in the
//     report are global too.
//   * BatchNorm statistics are per rank (each rank normalises with its own shard's mean/variance,
//     like PyTorch DDP without SyncBatchNorm), so with BN in training mode N ranks are close to, not
//     identical with, 1 rank; with train.batchnorm = "frozen" (or a model without BN) and no dropout
//     they agree up to float rounding. Running statistics are rank 0's.
//   * Dropout masks are drawn per rank: after setup each rank reseeds its generator from
//     (seed, rank, start epoch) when N > 1.
//   * Evaluation is sharded the same way and its sums are all-reduced.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "harness/dist/process_group.h"

namespace torch::nn {
class Module;
}
namespace espbench::data {
struct LoaderOptions;
}

namespace espbench::dist {

class DataParallel {
 public:
  explicit DataParallel(std::unique_ptr<ProcessGroup> group);
  ~DataParallel();

  int64_t rank() const { return group_->rank(); }
  int64_t world_size() const { return group_->world_size(); }
  bool is_writer() const { return group_->rank() == 0; }
  ProcessGroup& group() { return *group_; }

  // Makes `options` deliver this rank's shard; for training (`train`) also checks that every rank
  // gets images of every batch: batch_size >= 2 * world size, and a final partial batch with fewer
  // than 2 images per rank is dropped (the 1-rank rule, "no batch of one", per rank).
  void shard(data::LoaderOptions& options, int64_t examples, bool train) const;

  // After the model is built (and possibly resumed): broadcasts parameters and buffers from rank 0,
  // checks that all ranks resume from `start_epoch`, and (N > 1) reseeds the CPU generator.
  void start(torch::nn::Module& model, int64_t start_epoch, uint64_t seed);

  // After backward: turns this rank's (loss mean, correct, examples) into global ones and, when the
  // global loss is finite, replaces every gradient by the global-batch gradient. Returns false
  // (gradients untouched) when the global loss is not finite, on every rank alike.
  bool reduce_step(torch::nn::Module& model, double& loss_mean, int64_t& correct, int64_t& examples);

  // Sums `values` over ranks, in place (float64).
  void sum(std::vector<double>& values);

  json describe() const;

  // Gradient bucket size (elements); buckets are flattened and all-reduced one at a time.
  static constexpr int64_t kBucketElements = int64_t{1} << 22;

 private:
  std::unique_ptr<ProcessGroup> group_;
};

}  // namespace espbench::dist
