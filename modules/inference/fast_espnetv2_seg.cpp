#include "modules/inference/fast_espnetv2_seg.h"

#include <fmt/format.h>

#include "modules/error.h"
#include "modules/inference/fast_forms.h"
#include "modules/layer_outputs.h"
#include "modules/nets/espnetv2_seg.h"
#include "modules/scope.h"

namespace espbench {

FastESPNetv2Seg::FastESPNetv2Seg(const ESPNetv2Seg& p, bool gemm)
    : trunk_(*this, *p.level1, {p.level2_0.get(), p.level3_0.get(), p.level4_0.get()}, {&p.level3, &p.level4},
             p.options.at("input_reinforcement").get<bool>(), gemm) {
  const PyramidPool* decoders[] = {&p.bu_dec_l1, &p.bu_dec_l2, &p.bu_dec_l3, &p.bu_dec_l4};
  for (int i = 0; i < 4; ++i)
    dec_[i] = register_module(fmt::format("bu_dec_l{}", i + 1), FastPyramidPool(**decoders[i], gemm));
  const MergeUnit* merges[] = {&p.merge_enc_dec_l2, &p.merge_enc_dec_l3, &p.merge_enc_dec_l4};
  const torch::nn::Sequential* brs[] = {&p.bu_br_l2, &p.bu_br_l3, &p.bu_br_l4};
  for (int i = 0; i < 3; ++i)
    merge_[i] = register_module(fmt::format("merge_enc_dec_l{}", i + 2), FastMergeUnit(**merges[i], *brs[i]));
  eval();
}

torch::Tensor FastESPNetv2Seg::forward(torch::Tensor input) {
  ModuleScope scope(this);
  return run_to(input, espnetv2_seg_layers().size() - 1);
}

torch::Tensor FastESPNetv2Seg::forward_to(torch::Tensor input, const std::string& layer) {
  return run_to(input, espnetv2_seg_layer_index(layer, "FastESPNetv2Seg"));
}

torch::Tensor FastESPNetv2Seg::run_to(const torch::Tensor& input, size_t stop) {
  check_fast_input(input, "FastESPNetv2Seg");
  const auto x = input.contiguous();
  const auto enc = trunk_.forward(x);
  if (stop < enc.size()) return enc[stop];
  auto y = dec_[0]->forward(enc[3]);
  if (stop == enc.size()) return y;
  for (size_t i = 0; i < 3; ++i) {
    y = dec_[i + 1]->forward(merge_[i]->forward(enc[2 - i], y));
    if (stop == enc.size() + 1 + i) return y;
  }
  return fast_resize_bilinear(y, x.size(2), x.size(3));
}

namespace {

FusedNetworkEntry fast_espnetv2_seg_entry() {
  FusedNetworkEntry e;
  e.name = "espnetv2_seg";
  e.description =
      "FastESPNetv2Seg: fused trunk (as FastESPNetv2) and decoder (fused pyramid and merge units)";
  e.uses_gemm = true;
  e.channels_last_skip = "the fused espnetv2_seg path (fuse) runs NCHW kernels throughout";
  e.build = [](Network& net, const FastFormArgs& a) -> NetworkPtr {
    auto* seg = dynamic_cast<ESPNetv2Seg*>(&net);
    if (!seg) throw Error(fmt::format("fused network 'espnetv2_seg': got a network of type {}", net.name()));
    return std::make_shared<FastESPNetv2Seg>(*seg, a.gemm);
  };
  return e;
}

LayerOutputsEntry fast_espnetv2_seg_layer_entry() {
  LayerOutputsEntry e;
  e.name = "FastESPNetv2Seg";
  e.layers = [](const Network& net) {
    return dynamic_cast<const FastESPNetv2Seg*>(&net) ? espnetv2_seg_layers() : std::vector<std::string>{};
  };
  e.run = [](Network& net, const torch::Tensor& x, const std::string& layer) {
    return dynamic_cast<FastESPNetv2Seg&>(net).forward_to(x, layer);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_FUSED_NETWORK(fast_espnetv2_seg_entry());
ESPBENCH_REGISTER_LAYER_OUTPUTS(fast_espnetv2_seg_layer_entry());

}  // namespace espbench
