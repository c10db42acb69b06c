#include "modules/inference/fast_espnetv2.h"

#include <fmt/format.h>

#include "modules/error.h"
#include "modules/inference/fast_forms.h"
#include "modules/layer_outputs.h"
#include "modules/nets/espnetv2.h"
#include "modules/scope.h"

namespace espbench {

FastESPNetv2::FastESPNetv2(const ESPNetv2& p, bool gemm)
    : trunk_(*this, *p.level1, {p.level2_0.get(), p.level3_0.get(), p.level4_0.get(), p.level5_0.get()},
             {&p.level3, &p.level4, &p.level5}, p.options.at("input_reinforcement").get<bool>(), gemm) {
  classifier_ =
      register_module("classifier", std::dynamic_pointer_cast<torch::nn::LinearImpl>(p.classifier->clone()));
  eval();
}

torch::Tensor FastESPNetv2::classify(const torch::Tensor& features) {
  const auto y = features.mean({2, 3});  // global average pool; dropout is the identity in eval mode
  // One image: matrix-vector product (ATen's addmm packs the whole 1000x1024 weight every call).
  if (y.size(0) == 1) return at::addmv(classifier_->bias, classifier_->weight, y[0]).unsqueeze(0);
  return classifier_->forward(y);
}

torch::Tensor FastESPNetv2::forward(torch::Tensor input) {
  ModuleScope scope(this);
  check_fast_input(input, "FastESPNetv2");
  return classify(trunk_.forward(input.contiguous()).back());
}

torch::Tensor FastESPNetv2::forward_to(torch::Tensor input, const std::string& layer) {
  if (layer == "classifier") return forward(input);
  check_fast_input(input, "FastESPNetv2");
  const auto x = input.contiguous();
  auto pyramid = trunk_.image_pyramid(x);
  auto y = trunk_.level1(x);
  if (layer == "level1") return y;
  y = trunk_.unit(0, y, pyramid);
  if (layer == "level2_0") return y;
  for (size_t i = 1; i < trunk_.units(); ++i) {
    y = trunk_.unit(i, y, pyramid);
    if (layer == fmt::format("level{}_0", i + 2)) return y;
    y = trunk_.level(i - 1, y);
    if (layer == fmt::format("level{}", i + 2)) return y;
  }
  throw Error(fmt::format("FastESPNetv2: no layer '{}'", layer));
}

namespace {

LayerOutputsEntry fast_espnetv2_layer_entry() {
  LayerOutputsEntry e;
  e.name = "FastESPNetv2";
  e.layers = [](const Network& net) {
    return dynamic_cast<const FastESPNetv2*>(&net)
               ? std::vector<std::string>{"level1", "level2_0", "level3_0", "level3",    "level4_0",
                                          "level4", "level5_0", "level5",   "classifier"}
               : std::vector<std::string>{};
  };
  e.run = [](Network& net, const torch::Tensor& x, const std::string& layer) {
    return dynamic_cast<FastESPNetv2&>(net).forward_to(x, layer);
  };
  return e;
}

FusedNetworkEntry fast_espnetv2_entry() {
  FusedNetworkEntry e;
  e.name = "espnetv2";
  e.description =
      "FastESPNetv2: fused skeleton (FastConv, shared image pyramid, fused strided-unit epilogue)";
  e.uses_gemm = true;
  e.channels_last_skip = "the fused ESPNetv2 path (fuse) runs NCHW kernels throughout";
  e.build = [](Network& net, const FastFormArgs& a) -> NetworkPtr {
    auto* esp = dynamic_cast<ESPNetv2*>(&net);
    if (!esp) throw Error(fmt::format("fused network 'espnetv2': got a network of type {}", net.name()));
    return std::make_shared<FastESPNetv2>(*esp, a.gemm);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_FUSED_NETWORK(fast_espnetv2_entry());
ESPBENCH_REGISTER_LAYER_OUTPUTS(fast_espnetv2_layer_entry());

}  // namespace espbench
