#include "modules/inference/fast_seg_decoder.h"

#include <ATen/record_function.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>

#include <numeric>

#include "modules/error.h"
#include "modules/inference/fold_bn.h"
#include "modules/kernels/grouped_conv3x3.h"
#include "modules/kernels/pyramid_pool.h"
#include "modules/scope.h"

namespace espbench {

namespace {

torch::Tensor copy_of(const torch::Tensor& t) { return t.detach().clone().contiguous(); }

// The 1x1 output conv of a pyramid unit with the BN + PReLU after it (or, in the last unit, its
// bias), as the ConvBNAct a FastConv is built from.
ConvBNAct output_conv(const PyramidPoolImpl& plain) {
  const auto& pw = plain.merge_pw();
  const bool last = !plain.br;
  ConvBNAct c(ConvBNActOptions(pw.options.in_channels(), pw.options.out_channels(), 1)
                  .batch_norm(!last)
                  .conv_bias(last)
                  .act(last ? Act::None : Act::PReLU));
  torch::NoGradGuard no_grad;
  c->conv->weight.copy_(pw.weight);
  if (last) c->conv->bias.copy_(pw.bias);
  if (!last) {
    for (const auto& kv : plain.br->bn->named_parameters())
      c->bn->named_parameters()[kv.key()].copy_(kv.value());
    for (const auto& kv : plain.br->bn->named_buffers()) c->bn->named_buffers()[kv.key()].copy_(kv.value());
    c->prelu->weight.copy_(plain.br->prelu->weight);
  }
  return c;
}

}  // namespace

torch::Tensor fast_resize_bilinear(const torch::Tensor& input, int64_t h, int64_t w) {
  const auto x = input.contiguous();
  RECORD_FUNCTION(kernels::kResizeBilinearOpName, std::vector<c10::IValue>({x}));
  auto y = torch::empty({x.size(0), x.size(1), h, w}, x.options());
  kernels::resize_bilinear(x.data_ptr<float>(), x.size(0) * x.size(1), x.size(2), x.size(3), h, w,
                           y.data_ptr<float>());
  return y;
}

// ---- FastPyramidPool ----

FastPyramidPoolImpl::FastPyramidPoolImpl(const PyramidPoolImpl& plain, bool gemm)
    : projection(FastConv(*plain.projection_layer, gemm)),
      output(FastConv(*output_conv(plain), gemm)),
      proj(plain.options.proj_channels()) {
  std::vector<torch::Tensor> w;
  for (const auto& s : *plain.stages) w.push_back(s->as<torch::nn::Conv2dImpl>()->weight.detach());
  stages = torch::stack(w).contiguous();
  auto [scale, shift] = bn_scale_shift(*plain.merge_br().bn);
  merge_scale = scale.contiguous();
  merge_shift = shift.contiguous();
  merge_alpha = copy_of(plain.merge_br().prelu->weight);
  auto [mw, mb] = folded_conv(plain.merge_conv());
  merge_weight = mw.contiguous();
  merge_bias = mb.contiguous();
  merge_alpha_out = copy_of(plain.merge_conv().prelu->weight);
  reset();
}

void FastPyramidPoolImpl::reset() {
  projection = register_module("projection", std::dynamic_pointer_cast<FastConvImpl>(projection->clone()));
  output = register_module("output", std::dynamic_pointer_cast<FastConvImpl>(output->clone()));
  stages = register_buffer("stages", stages.clone());
  merge_scale = register_buffer("merge_scale", merge_scale.clone());
  merge_shift = register_buffer("merge_shift", merge_shift.clone());
  merge_alpha = register_buffer("merge_alpha", merge_alpha.clone());
  merge_weight = register_buffer("merge_weight", merge_weight.clone());
  merge_bias = register_buffer("merge_bias", merge_bias.clone());
  merge_alpha_out = register_buffer("merge_alpha_out", merge_alpha_out.clone());
}

void FastPyramidPoolImpl::pretty_print(std::ostream& s) const {
  s << "FastPyramidPool(proj=" << proj << ", out=" << output->weight.size(0) << ")";
}

torch::Tensor FastPyramidPoolImpl::forward(const torch::Tensor& input) {
  ModuleScope scope(this);
  check_fast_input(input, "FastPyramidPool");
  const auto x = projection->forward(input.contiguous());
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3), p = proj;
  const int64_t scales = static_cast<int64_t>(PyramidPoolImpl::kScales.size());
  // The branches in scale order (the plain unit's concatenation), their BN + PReLU, the channel
  // shuffle and the grouped CBR in one kernel: slot j of group g is channel g of branch j.
  auto y = torch::empty({n, p, h, w}, x.options());
  RECORD_FUNCTION(kernels::kPyramidBranchesOpName, std::vector<c10::IValue>({x}));
  std::vector<kernels::BranchKind> kinds;
  std::vector<int64_t> sizes;
  for (double s : PyramidPoolImpl::kScales) {
    kinds.push_back(s > 1.0   ? kernels::BranchKind::Up
                    : s < 1.0 ? kernels::BranchKind::Down
                              : kernels::BranchKind::Same);
    sizes.push_back(PyramidPoolImpl::branch_size(h, s));
    sizes.push_back(PyramidPoolImpl::branch_size(w, s));
  }
  kernels::PyramidBranchesArgs a;
  a.in = x.data_ptr<float>();
  a.batch = n, a.channels = p, a.h = h, a.w = w;
  a.branches = scales;
  a.kinds = kinds.data();
  a.sizes = sizes.data();
  a.weight = stages.data_ptr<float>();
  a.merge_scale = merge_scale.data_ptr<float>();
  a.merge_shift = merge_shift.data_ptr<float>();
  a.merge_in_alpha = merge_alpha.data_ptr<float>();
  a.merge_weight = merge_weight.data_ptr<float>();
  a.merge_bias = merge_bias.data_ptr<float>();
  a.merge_alpha = merge_alpha_out.data_ptr<float>();
  a.out = y.data_ptr<float>();
  kernels::pyramid_branches(a);
  return output->forward(y);
}

// ---- FastMergeUnit ----

FastMergeUnitImpl::FastMergeUnitImpl(const MergeUnitImpl& plain, const torch::nn::Sequential& after)
    : groups(std::gcd(plain.in_channels, plain.out_channels)) {
  gate_weight = plain.gate_conv().weight.detach().flatten(1).contiguous();
  auto [w, b] = folded_conv(*plain.expansion_layer);
  weight = w.contiguous();
  bias = b.contiguous();
  alpha = copy_of(plain.expansion_layer->prelu->weight);
  auto [scale, shift] = bn_scale_shift(*after->ptr(0)->as<torch::nn::BatchNorm2dImpl>());
  post_scale = scale.contiguous();
  post_shift = shift.contiguous();
  post_alpha = copy_of(after->ptr(1)->as<torch::nn::PReLUImpl>()->weight);
  reset();
}

void FastMergeUnitImpl::reset() {
  gate_weight = register_buffer("gate_weight", gate_weight.clone());
  weight = register_buffer("weight", weight.clone());
  bias = register_buffer("bias", bias.clone());
  alpha = register_buffer("alpha", alpha.clone());
  post_scale = register_buffer("post_scale", post_scale.clone());
  post_shift = register_buffer("post_shift", post_shift.clone());
  post_alpha = register_buffer("post_alpha", post_alpha.clone());
}

void FastMergeUnitImpl::pretty_print(std::ostream& s) const {
  s << "FastMergeUnit(" << gate_weight.size(1) << "->" << gate_weight.size(0) << ", g=" << groups << ")";
}

torch::Tensor FastMergeUnitImpl::forward(const torch::Tensor& skip_in, const torch::Tensor& decoder) {
  ModuleScope scope(this);
  check_fast_input(skip_in, "FastMergeUnit");
  const auto skip = skip_in.contiguous();
  const int64_t n = skip.size(0), h = skip.size(2), w = skip.size(3), out_c = weight.size(0);
  if (decoder.size(1) != out_c)
    throw Error("FastMergeUnit: the decoder map must have the unit's output width");
  const auto dec = decoder.contiguous();
  const auto gate = torch::sigmoid(torch::mm(skip.mean({2, 3}), gate_weight.t())).contiguous();
  auto y = torch::empty({n, out_c, h, w}, skip.options());
  RECORD_FUNCTION(kernels::kGroupedConv3x3OpName, std::vector<c10::IValue>({skip}));
  kernels::GroupedConv3x3Args a;
  a.in = skip.data_ptr<float>();
  a.batch = n, a.in_channels = skip.size(1), a.h = h, a.w = w;
  a.groups = groups;
  a.weight = weight.data_ptr<float>();
  a.out_channels = out_c;
  a.bias = bias.data_ptr<float>();
  a.alpha = alpha.data_ptr<float>();
  a.gate = gate.data_ptr<float>();
  a.residual_small = dec.data_ptr<float>();  // resized to the skip's size in the epilogue
  a.residual_h = dec.size(2), a.residual_w = dec.size(3);
  a.post_scale = post_scale.data_ptr<float>();
  a.post_shift = post_shift.data_ptr<float>();
  a.post_alpha = post_alpha.data_ptr<float>();
  a.out = y.data_ptr<float>();
  kernels::grouped_conv3x3(a);
  return y;
}

}  // namespace espbench
