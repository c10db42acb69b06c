#include "harness/dist/data_parallel.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "harness/data/loader.h"
#include "harness/data/random.h"
#include "modules/error.h"

namespace espbench::dist {

namespace {

// Flattens `tensors` into buckets of at most kBucketElements, applies `reduce` to each flat
// bucket, and copies the result back (in the same order on every rank).
template <typename Reduce>
void bucketed(std::vector<torch::Tensor>& tensors, Reduce&& reduce) {
  size_t i = 0;
  while (i < tensors.size()) {
    size_t j = i;
    int64_t n = 0;
    while (j < tensors.size() && (j == i || n + tensors[j].numel() <= DataParallel::kBucketElements))
      n += tensors[j++].numel();
    std::vector<torch::Tensor> views;
    for (size_t k = i; k < j; ++k) views.push_back(tensors[k].reshape(-1));
    torch::Tensor flat = torch::cat(views);
    reduce(flat);
    int64_t off = 0;
    for (size_t k = i; k < j; ++k) {
      const int64_t m = tensors[k].numel();
      tensors[k].copy_(flat.slice(0, off, off + m).view_as(tensors[k]));
      off += m;
    }
    i = j;
  }
}

}  // namespace

DataParallel::DataParallel(std::unique_ptr<ProcessGroup> group) : group_(std::move(group)) {}
DataParallel::~DataParallel() = default;

void DataParallel::shard(data::LoaderOptions& o, int64_t examples, bool train) const {
  const int64_t w = world_size();
  o.shard_index = rank();
  o.shard_count = w;
  if (!train || w == 1) return;
  if (o.batch_size < 2 * w)
    throw Error(
        fmt::format("train.batch_size = {} is too small for {} ranks: the global batch is split across "
                    "ranks and each needs >= 2 images; use >= {}",
                    o.batch_size, w, 2 * w));
  const int64_t n = o.limit > 0 ? std::min(o.limit, examples) : examples;
  const int64_t rest = n % o.batch_size;
  if (rest != 0 && rest < 2 * w) o.drop_last = true;
}

void DataParallel::start(torch::nn::Module& model, int64_t start_epoch, uint64_t seed) {
  if (world_size() == 1) return;
  torch::NoGradGuard no_grad;
  torch::Tensor epochs =
      torch::tensor({static_cast<double>(start_epoch), -static_cast<double>(start_epoch)}, torch::kFloat64);
  group_->allreduce_max(epochs, "the resume epoch");
  const auto hi = static_cast<int64_t>(epochs[0].item<double>()),
             lo = -static_cast<int64_t>(epochs[1].item<double>());
  if (hi != lo)
    throw Error(
        fmt::format("distributed: ranks would resume from different epochs ({} to {}); the output folder "
                    "must be one folder on a shared file system, seen by every rank",
                    lo + 1, hi + 1));
  std::vector<torch::Tensor> state;
  for (auto& p : model.parameters()) state.push_back(p.data());
  for (auto& b : model.buffers()) state.push_back(b);
  // Buffers may be integer (BatchNorm's num_batches_tracked): broadcast each dtype separately.
  std::vector<torch::Tensor> floats, others;
  for (auto& t : state) (t.scalar_type() == state.front().scalar_type() ? floats : others).push_back(t);
  bucketed(floats, [&](torch::Tensor& flat) { group_->broadcast_from_0(flat, "the model's parameters"); });
  for (auto& t : others) {
    torch::Tensor c = t.contiguous();
    group_->broadcast_from_0(c, "the model's buffers");
    t.copy_(c);
  }
  torch::manual_seed(data::mix_seed(seed, static_cast<uint64_t>(rank()), static_cast<uint64_t>(start_epoch)));
}

bool DataParallel::reduce_step(torch::nn::Module& model, double& loss_mean, int64_t& correct,
                               int64_t& examples) {
  if (world_size() == 1) return std::isfinite(loss_mean);
  const int64_t local_n = examples;
  torch::Tensor totals = torch::tensor(
      {loss_mean * static_cast<double>(local_n), static_cast<double>(correct), static_cast<double>(local_n)},
      torch::kFloat64);
  group_->allreduce_sum(totals, "the step's loss");
  examples = static_cast<int64_t>(totals[2].item<double>());
  correct = static_cast<int64_t>(totals[1].item<double>());
  loss_mean = totals[0].item<double>() / static_cast<double>(examples);
  if (!std::isfinite(loss_mean)) return false;  // every rank sees the same sum and stops alike

  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> grads;
  std::vector<torch::Tensor> unused;  // no gradient on this rank (buckets must line up on all ranks)
  for (auto& p : model.parameters()) {
    if (!p.requires_grad()) continue;
    if (!p.grad().defined()) {
      p.mutable_grad() = torch::zeros_like(p);
      unused.push_back(p);
    }
    grads.push_back(p.mutable_grad());
  }
  const double share = static_cast<double>(local_n) / static_cast<double>(examples);
  bucketed(grads, [&](torch::Tensor& flat) {
    flat.mul_(share);
    group_->allreduce_sum(flat, "gradients");
  });
  // A parameter no rank used keeps no gradient, so SGD skips it (no decay, no momentum) as in 1 rank.
  for (auto& p : unused)
    if (!p.grad().any().item<bool>()) p.mutable_grad() = torch::Tensor();
  return true;
}

void DataParallel::sum(std::vector<double>& values) {
  if (world_size() == 1 || values.empty()) return;
  torch::Tensor t = torch::tensor(values, torch::kFloat64);
  group_->allreduce_sum(t, "evaluation sums");
  for (size_t i = 0; i < values.size(); ++i) values[i] = t[static_cast<int64_t>(i)].item<double>();
}

json DataParallel::describe() const {
  json j = group_->describe();
  j["batchnorm_statistics"] = "per rank";
  j["gradient_bucket_elements"] = kBucketElements;
  return j;
}

}  // namespace espbench::dist
