// Named intermediate outputs of a network (`espbench infer --layer level4`). LibTorch has no
// forward hooks, so a network type that offers its layers registers a runner here, in its own
// file, with one ESPBENCH_REGISTER_LAYER_OUTPUTS line: the layer names in forward order and a
// forward pass that stops at the named one (espnetv2 and espnetv2_seg:
// modules/nets/espnetv2_layers.cpp; their fused --fast forms: modules/inference/fast_espnetv2.cpp
// and fast_espnetv2_seg.cpp).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "modules/network.h"
#include "modules/registry.h"

namespace espbench {

struct LayerOutputsEntry {
  std::string name;  // the network type it serves, e.g. "ESPNetv2"
  // The layers of `net` in forward order; empty when `net` is not of this entry's type.
  std::function<std::vector<std::string>(const Network& net)> layers;
  // The output of `layer` (one of layers(net)) for input x, in eval mode as the network is.
  std::function<torch::Tensor(Network& net, const torch::Tensor& x, const std::string& layer)> run;
};

Registry<LayerOutputsEntry>& layer_outputs_registry();

// The named layers of `net` (empty: it offers none).
std::vector<std::string> layer_names(const Network& net);

// The output of `layer` for input x. Throws espbench::Error naming `option`, the layer and the
// valid ones (or saying that the network offers none).
torch::Tensor forward_to_layer(Network& net, const torch::Tensor& x, const std::string& layer,
                               const std::string& option = "--layer");

}  // namespace espbench

#define ESPBENCH_REGISTER_LAYER_OUTPUTS(entry_expr) \
  ESPBENCH_REGISTER(::espbench::layer_outputs_registry(), entry_expr)
