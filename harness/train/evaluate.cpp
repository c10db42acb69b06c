#include "harness/train/evaluate.h"

#include <algorithm>
#include <vector>

#include "harness/dist/data_parallel.h"

namespace espbench::train {

namespace F = torch::nn::functional;

EvalResult evaluate(Network& model, data::Loader& loader, int64_t num_classes, const torch::Device& device,
                    dist::DataParallel* dp) {
  torch::NoGradGuard no_grad;
  model.eval();
  loader.start_epoch(0);
  data::Batch b;
  double loss_sum = 0.0;
  int64_t n = 0, top1 = 0, top5 = 0;
  const int64_t k = std::min<int64_t>(5, num_classes);
  while (loader.next(b)) {
    if (b.labels.size(0) == 0) continue;  // an empty data-parallel shard
    torch::Tensor labels = b.labels.to(device);
    torch::Tensor logits = model.forward(b.images.to(device));
    loss_sum +=
        F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
    torch::Tensor hit = std::get<1>(logits.topk(k, 1)).eq(labels.unsqueeze(1));
    top1 += hit.select(1, 0).sum().item<int64_t>();
    top5 += hit.any(1).sum().item<int64_t>();
    n += b.labels.size(0);
  }
  model.train();
  if (dp) {
    std::vector<double> sums{loss_sum, static_cast<double>(n), static_cast<double>(top1),
                             static_cast<double>(top5)};
    dp->sum(sums);
    loss_sum = sums[0], n = static_cast<int64_t>(sums[1]), top1 = static_cast<int64_t>(sums[2]);
    top5 = static_cast<int64_t>(sums[3]);
  }
  EvalResult r;
  if (n > 0) {
    r.loss = loss_sum / static_cast<double>(n);
    r.top1 = 100.0 * static_cast<double>(top1) / static_cast<double>(n);
    r.top5 = 100.0 * static_cast<double>(top5) / static_cast<double>(n);
  }
  return r;
}

}  // namespace espbench::train
