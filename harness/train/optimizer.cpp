#include "harness/train/optimizer.h"

#include <cmath>
#include <tuple>
#include <vector>

#include "harness/dist/data_parallel.h"

namespace espbench::train {

std::unique_ptr<torch::optim::SGD> make_optimizer(Network& model, const TrainSettings& t) {
  auto opts =
      torch::optim::SGDOptions(t.lr).momentum(t.momentum).nesterov(t.nesterov).weight_decay(t.weight_decay);
  if (!t.wd_exclude_bn_bias) return std::make_unique<torch::optim::SGD>(model.parameters(), opts);
  // BatchNorm and PReLU weights and all biases are exactly the 1-D (or 0-D) parameters.
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : model.parameters()) (p.dim() <= 1 ? no_decay : decay).push_back(p);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!decay.empty()) groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(opts));
  if (!no_decay.empty()) {
    auto nd = opts;
    nd.weight_decay(0.0);
    groups.emplace_back(no_decay, std::make_unique<torch::optim::SGDOptions>(nd));
  }
  return std::make_unique<torch::optim::SGD>(std::move(groups), opts);
}

void set_lr(torch::optim::SGD& optimizer, double lr) {
  for (auto& g : optimizer.param_groups()) static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
}

StepResult train_step(Network& model, torch::optim::SGD& optimizer, const torch::Tensor& images,
                      const torch::Tensor& labels, double label_smoothing, dist::DataParallel* dp,
                      const Task& task) {
  torch::Tensor logits = model.forward(images);
  torch::Tensor loss = task.loss(logits, labels, label_smoothing);
  StepResult r;
  r.loss = loss.item<double>();
  r.examples = labels.size(0);
  if (!dp && !std::isfinite(r.loss)) {
    r.finite = false;
    return r;
  }
  optimizer.zero_grad();
  loss.backward();
  std::tie(r.correct, r.counted) = task.hits(logits, labels);
  if (dp && !dp->reduce_step(model, r.loss, r.correct, r.examples)) {
    r.finite = false;
    return r;
  }
  if (dp && task.counts_images()) r.counted = r.examples;
  if (dp && !task.counts_images()) {
    std::vector<double> counted{static_cast<double>(r.counted)};
    dp->sum(counted);
    r.counted = static_cast<int64_t>(counted[0]);
  }
  optimizer.step();
  return r;
}

}  // namespace espbench::train
