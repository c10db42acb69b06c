#include "modules/layer_outputs.h"

#include <fmt/format.h>

#include <algorithm>

#include "modules/error.h"

namespace espbench {

Registry<LayerOutputsEntry>& layer_outputs_registry() {
  static Registry<LayerOutputsEntry> r("layer-outputs runner");
  return r;
}

namespace {

const LayerOutputsEntry* entry_for(const Network& net, std::vector<std::string>& names) {
  for (const auto& [key, e] : layer_outputs_registry().all()) {
    names = e.layers(net);
    if (!names.empty()) return &e;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> layer_names(const Network& net) {
  std::vector<std::string> names;
  entry_for(net, names);
  return names;
}

torch::Tensor forward_to_layer(Network& net, const torch::Tensor& x, const std::string& layer,
                               const std::string& option) {
  std::vector<std::string> names;
  const LayerOutputsEntry* e = entry_for(net, names);
  if (!e) throw Error(fmt::format("option {}: this network ({}) offers no named layers", option, net.name()));
  if (std::find(names.begin(), names.end(), layer) == names.end()) {
    throw Error(fmt::format("option {}: '{}' is not a layer of this network{}; valid layers: {}", option,
                            layer, did_you_mean(layer, names), join(names)));
  }
  return e->run(net, x, layer);
}

}  // namespace espbench
