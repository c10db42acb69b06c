// The one interface every registered network implements: image batch [N,C,H,W] -> logits [N,K].
#pragma once
#include <torch/nn/module.h>

#include <memory>

namespace espbench {

class Network : public torch::nn::Module {
 public:
  using torch::nn::Module::Module;
  virtual torch::Tensor forward(torch::Tensor x) = 0;
};

using NetworkPtr = std::shared_ptr<Network>;

}  // namespace espbench
