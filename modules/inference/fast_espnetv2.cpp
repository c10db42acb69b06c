#include "modules/inference/fast_espnetv2.h"

#include <ATen/record_function.h>
#include <fmt/format.h>

#include "modules/blocks/strided_unit.h"
#include "modules/error.h"
#include "modules/inference/fast_forms.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/dw_hff.h"
#include "modules/layer_outputs.h"
#include "modules/nets/espnetv2.h"
#include "modules/scope.h"

namespace espbench {

namespace {

torch::nn::Sequential with_fast_convs(const torch::nn::Sequential& seq, bool gemm) {
  torch::nn::Sequential out;
  for (const auto& any : *seq) {
    if (auto* c = any.ptr()->as<ConvBNActImpl>())
      out->push_back(FastConv(*c, gemm));
    else
      out->push_back(any);
  }
  return out;
}

// 3x3/s2/p1 average pooling (count_include_pad) into channels [0, C) of a new tensor of `channels`
// channels; the caller fills the rest.
torch::Tensor pool_into_new(const torch::Tensor& x, int64_t channels) {
  RECORD_FUNCTION(kernels::kAvgPoolOpName,
                  std::vector<c10::IValue>({x, c10::IValue(std::vector<int64_t>{3, 3})}));
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  auto y = torch::empty({n, channels, oh, ow}, x.options());
  kernels::avg_pool3x3s2_forward(x.data_ptr<float>(), n, c, h, w, y.data_ptr<float>(), channels * oh * ow);
  return y;
}

}  // namespace

FastESPNetv2::FastESPNetv2(const ESPNetv2& p, bool gemm) {
  reinforcement_ = p.options.at("input_reinforcement").get<bool>();
  level1_ = register_module("level1", FastConv(*p.level1, gemm));
  const StridedUnitImpl* units[] = {p.level2_0.get(), p.level3_0.get(), p.level4_0.get(), p.level5_0.get()};
  for (int i = 0; i < 4; ++i) {
    const auto& u = *units[i];
    Down& d = down_[i];
    d.branch = u.eesp;
    register_module(fmt::format("level{}_0_branch", i + 2), u.eesp.ptr());
    if (u.inp_reinf) {
      d.reinf_cbr =
          register_module(fmt::format("level{}_0_reinf_cbr", i + 2), FastConv(*u.inp_reinf->cbr, gemm));
      d.reinf_cb =
          register_module(fmt::format("level{}_0_reinf_cb", i + 2), FastConv(*u.inp_reinf->cb, gemm));
    }
    d.alpha =
        register_buffer(fmt::format("level{}_0_alpha", i + 2), u.act->weight.detach().clone().contiguous());
  }
  const torch::nn::Sequential* levels[] = {&p.level3, &p.level4, &p.level5};
  for (int i = 0; i < 3; ++i)
    levels_[i] = register_module(fmt::format("level{}", i + 3), with_fast_convs(*levels[i], gemm));
  classifier_ =
      register_module("classifier", std::dynamic_pointer_cast<torch::nn::LinearImpl>(p.classifier->clone()));
  eval();
}

// pyramid: the image average-pooled 1, 2, 3, ... times (grown on demand); null: no reinforcement.
torch::Tensor FastESPNetv2::down(Down& d, const torch::Tensor& x, std::vector<torch::Tensor>* pyramid) {
  // The pooled input and the branch's output, concatenated: the pool writes its channels in place.
  // Contiguous: a block left in channels-last (--fast channels_last) must not reach the raw kernel.
  const auto branch = d.branch.forward(x).contiguous();
  const int64_t pooled_channels = x.size(1);
  auto y = pool_into_new(x.contiguous(), pooled_channels + branch.size(1));
  y.narrow(1, pooled_channels, branch.size(1)).copy_(branch);
  const int64_t width = y.size(3);
  const float* residual = nullptr;
  torch::Tensor reinf;
  if (pyramid && d.reinf_cb) {
    size_t level = 0;
    do {  // as InputReinforcement: pool at least once, until the widths match
      if (++level == pyramid->size()) {
        if (pyramid->back().size(3) <= width)
          throw Error(fmt::format("input reinforcement: cannot pool an image of width {} down to {}",
                                  pyramid->front().size(3), width));
        pyramid->push_back(pool_into_new(pyramid->back(), pyramid->back().size(1)));
      }
    } while ((*pyramid)[level].size(3) != width);
    reinf = d.reinf_cb->forward(d.reinf_cbr->forward((*pyramid)[level]));
    residual = reinf.data_ptr<float>();
  }
  RECORD_FUNCTION("espbench::bias_residual_prelu", std::vector<c10::IValue>({y}));
  kernels::bias_residual_prelu(y.data_ptr<float>(), y.size(0), y.size(1), y.size(2) * y.size(3), nullptr,
                               residual, d.alpha.data_ptr<float>());
  return y;
}

torch::Tensor FastESPNetv2::forward(torch::Tensor input) {
  ModuleScope scope(this);
  check_fast_input(input, "FastESPNetv2");
  const auto x = input.contiguous();
  std::vector<torch::Tensor> pyramid{x};
  std::vector<torch::Tensor>* pyr = reinforcement_ ? &pyramid : nullptr;
  auto y = level1_->forward(x);
  y = down(down_[0], y, pyr);
  y = levels_[0]->forward(down(down_[1], y, pyr));
  y = levels_[1]->forward(down(down_[2], y, pyr));
  y = levels_[2]->forward(down(down_[3], y, nullptr));
  y = y.mean({2, 3});  // global average pool; dropout is the identity in eval mode
  // One image: matrix-vector product (ATen's addmm packs the whole 1000x1024 weight every call).
  if (y.size(0) == 1) return at::addmv(classifier_->bias, classifier_->weight, y[0]).unsqueeze(0);
  return classifier_->forward(y);
}

torch::Tensor FastESPNetv2::forward_to(torch::Tensor input, const std::string& layer) {
  if (layer == "classifier") return forward(input);
  check_fast_input(input, "FastESPNetv2");
  const auto x = input.contiguous();
  std::vector<torch::Tensor> pyramid{x};
  std::vector<torch::Tensor>* pyr = reinforcement_ ? &pyramid : nullptr;
  auto y = level1_->forward(x);
  if (layer == "level1") return y;
  y = down(down_[0], y, pyr);
  if (layer == "level2_0") return y;
  for (int i = 0; i < 3; ++i) {
    y = down(down_[i + 1], y, i < 2 ? pyr : nullptr);
    if (layer == fmt::format("level{}_0", i + 3)) return y;
    y = levels_[i]->forward(y);
    if (layer == fmt::format("level{}", i + 3)) return y;
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
