#include "harness/train/batchnorm_mode.h"

#include <torch/torch.h>

namespace espbench::train {

void set_training_mode(torch::nn::Module& model, const std::string& batchnorm) {
  model.train();
  if (batchnorm != "frozen") return;
  for (const auto& m : model.modules(/*include_self=*/false))
    if (m->as<torch::nn::BatchNorm1d>() || m->as<torch::nn::BatchNorm2d>() || m->as<torch::nn::BatchNorm3d>())
      m->eval();
}

}  // namespace espbench::train
