// The one interface every registered network implements: image batch [N,C,H,W] -> logits [N,K]
// (or per-pixel logits [N,K,H,W] for a model whose entry sets dense_output, modules/registry.h).
#pragma once
#include <torch/nn/module.h>

#include <functional>
#include <memory>

namespace espbench {

class Network : public torch::nn::Module {
 public:
  using torch::nn::Module::Module;
  virtual torch::Tensor forward(torch::Tensor x) = 0;

  // A fresh network of the same structure (its own, newly initialised state). Set by whoever builds
  // the network: build_model(), BlockNetwork, the --fast transform. clone() needs it.
  std::function<std::shared_ptr<Network>()> make_twin;

  // Deep copy: make_twin() with every child overwritten in place by a clone of this network's
  // child (each child is Cloneable) and this network's own parameters and buffers copied, so that
  // the members pointing at children stay valid. Throws espbench::Error when make_twin is unset.
  std::shared_ptr<torch::nn::Module> clone(
      const c10::optional<torch::Device>& device = c10::nullopt) const override;
};

using NetworkPtr = std::shared_ptr<Network>;

}  // namespace espbench
