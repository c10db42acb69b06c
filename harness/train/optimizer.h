// The recipe's optimiser and one training step (trainer.h: SGD with momentum, optionally Nesterov,
// L2 weight decay, cross-entropy with optional label smoothing). Shared by train_run and
// bench_train.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <memory>

#include "harness/train/run_config.h"
#include "harness/train/task.h"

namespace espbench::dist {
class DataParallel;
}

namespace espbench::train {

// SGD over every parameter, or, with wd_exclude_bn_bias, without weight decay on the 1-D (and 0-D)
// parameters: BatchNorm and PReLU weights and all biases.
std::unique_ptr<torch::optim::SGD> make_optimizer(Network& model, const TrainSettings& settings);

// Sets the learning rate of every parameter group.
void set_lr(torch::optim::SGD& optimizer, double lr);

struct StepResult {
  double loss = 0.0;
  int64_t correct = 0;
  int64_t counted = 0;   // predictions `correct` is out of: images, or labelled pixels (task.h)
  int64_t examples = 0;  // all ranks' images when data-parallel
  bool finite = true;
};

// One SGD step on the task's loss; with a non-finite loss nothing is updated. Data-parallel (dp):
// loss, correct, counted and examples are global and the gradients all-reduced before the step.
StepResult train_step(Network& model, torch::optim::SGD& optimizer, const torch::Tensor& images,
                      const torch::Tensor& labels, double label_smoothing, dist::DataParallel* dp = nullptr,
                      const Task& task = classification_task());

}  // namespace espbench::train
