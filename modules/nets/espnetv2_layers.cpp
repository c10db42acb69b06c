// The named layers of the ESPNetv2 networks for `espbench infer --layer` (layer_outputs.h). The
// classifier: the output of each level module as the official network names it, and the logits.
// The segmentation network: the trunk's levels and the decoder's units (espnetv2_seg_layers()).
#include "modules/layer_outputs.h"
#include "modules/nets/espnetv2.h"
#include "modules/nets/espnetv2_seg.h"

namespace espbench {

namespace {

const std::vector<std::string>& espnetv2_layers() {
  static const std::vector<std::string> names{"level1", "level2_0", "level3_0", "level3",    "level4_0",
                                              "level4", "level5_0", "level5",   "classifier"};
  return names;
}

// The forward pass of ESPNetv2::forward, stopped after `layer`.
torch::Tensor run_to(ESPNetv2& net, const torch::Tensor& x, const std::string& layer) {
  if (layer == "classifier") return net.forward(x);
  const torch::Tensor image = net.options.at("input_reinforcement").get<bool>() ? x : torch::Tensor();
  torch::Tensor y = net.level1->forward(x);
  if (layer == "level1") return y;
  y = net.level2_0->forward(y, image);
  if (layer == "level2_0") return y;
  y = net.level3_0->forward(y, image);
  if (layer == "level3_0") return y;
  y = net.level3->forward(y);
  if (layer == "level3") return y;
  y = net.level4_0->forward(y, image);
  if (layer == "level4_0") return y;
  y = net.level4->forward(y);
  if (layer == "level4") return y;
  y = net.level5_0->forward(y);
  if (layer == "level5_0") return y;
  return net.level5->forward(y);
}

LayerOutputsEntry espnetv2_layer_entry() {
  LayerOutputsEntry e;
  e.name = "ESPNetv2";
  e.layers = [](const Network& net) {
    return dynamic_cast<const ESPNetv2*>(&net) ? espnetv2_layers() : std::vector<std::string>{};
  };
  e.run = [](Network& net, const torch::Tensor& x, const std::string& layer) {
    return run_to(dynamic_cast<ESPNetv2&>(net), x, layer);
  };
  return e;
}

LayerOutputsEntry espnetv2_seg_layer_entry() {
  LayerOutputsEntry e;
  e.name = "ESPNetv2Seg";
  e.layers = [](const Network& net) {
    return dynamic_cast<const ESPNetv2Seg*>(&net) ? espnetv2_seg_layers() : std::vector<std::string>{};
  };
  e.run = [](Network& net, const torch::Tensor& x, const std::string& layer) {
    return dynamic_cast<ESPNetv2Seg&>(net).forward_to(x, layer);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_LAYER_OUTPUTS(espnetv2_layer_entry());
ESPBENCH_REGISTER_LAYER_OUTPUTS(espnetv2_seg_layer_entry());

}  // namespace espbench
