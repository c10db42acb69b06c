#include "modules/inference/fast_eesp.h"

#include <ATen/record_function.h>
#include <torch/nn/modules/activation.h>

#include <iterator>

#include "modules/blocks/eesp.h"
#include "modules/error.h"
#include "modules/inference/fast_conv.h"
#include "modules/inference/fast_forms.h"
#include "modules/inference/fold_bn.h"
#include "modules/kernels/dw_hff.h"
#include "modules/scope.h"

namespace espbench {

namespace {

// [out, in/G, 1, 1] grouped weight -> [G, out/G, in/G].
torch::Tensor as_group_gemm(const torch::Tensor& w, int64_t groups) {
  return w.reshape({groups, w.size(0) / groups, w.size(1)}).contiguous();
}

kernels::PackedPointwise pack_grouped(const torch::Tensor& w) {  // [G, out/G, in/G]
  return kernels::pack_pointwise(w.data_ptr<float>(), w.size(0) * w.size(1), w.size(2), w.size(0));
}

torch::Tensor prelu_weight(const torch::nn::PReLU& p) { return p->weight.detach().clone().contiguous(); }

}  // namespace

torch::Tensor grouped_pointwise(const torch::Tensor& x, const torch::Tensor& w) {
  // oneDNN directly: ATen's dispatcher sends a batch-1 1x1 conv on one thread to its slow path
  // (OpenBLAS), which on this CPU runs a generic SSE3 kernel.
  const int64_t g = w.size(0);
  return onednn_conv(x, w.view({g * w.size(1), w.size(2), 1, 1}), c10::nullopt, 1, 0, 1, g).contiguous();
}

FastEESPImpl::FastEESPImpl(const EESPImpl& plain, bool fuse_, bool gemm_) : fuse(fuse_), gemm(gemm_) {
  torch::NoGradGuard no_grad;
  const auto& o = plain.options;
  in_channels = o.in_channels();
  out_channels = o.out_channels();
  branches = o.branches();
  stride = o.stride();
  hff = o.hff();
  dilations = plain.dilations;
  auto [wr, br] = folded_conv(*plain.proj_1x1);
  w_reduce = as_group_gemm(wr, branches);
  b_reduce = br.contiguous();
  a_reduce = prelu_weight(plain.proj_1x1->prelu);
  std::vector<torch::Tensor> dw;
  for (const auto& m : *plain.spp_dw) dw.push_back(m->as<ConvBNActImpl>()->conv->weight.detach());
  w_dw = torch::stack(dw).contiguous();
  auto [sc, sh] = bn_scale_shift(*plain.br_after_cat->bn);
  cat_scale = sc.contiguous();
  cat_shift = sh.contiguous();
  a_cat = prelu_weight(plain.br_after_cat->prelu);
  auto [wm, bm] = folded_conv(*plain.conv_1x1_exp);
  w_merge = as_group_gemm(wm, branches);
  b_merge = bm.contiguous();
  a_out = prelu_weight(plain.module_act);
  for (auto* t : {&a_reduce, &a_cat, &a_out})
    if (t->numel() == 1)
      throw Error("fast EESP: single-slope PReLU is not supported (the EESP builds per-channel slopes)");
  reset();
}

// Registers copies of the member tensors (the constructor's, or those of the module clone() copied)
// and derives the packed weights from them.
void FastEESPImpl::reset() {
  torch::Tensor* buffers[] = {&w_reduce,  &b_reduce, &a_reduce, &w_dw,    &cat_scale,
                              &cat_shift, &a_cat,    &w_merge,  &b_merge, &a_out};
  const char* names[] = {"w_reduce",  "b_reduce", "a_reduce", "w_dw",    "cat_scale",
                         "cat_shift", "a_cat",    "w_merge",  "b_merge", "a_out"};
  for (size_t i = 0; i < std::size(buffers); ++i)
    *buffers[i] = register_buffer(names[i], buffers[i]->clone());
  if (gemm) {
    packed_reduce = pack_grouped(w_reduce);
    packed_merge = pack_grouped(w_merge);
  }
}

void FastEESPImpl::pretty_print(std::ostream& s) const {
  s << "FastEESP(" << in_channels << "->" << out_channels << ", stride=" << stride << ", K=" << branches
    << ", dilations=" << torch::IntArrayRef(dilations) << ", hff=" << hff << ", fuse=" << fuse
    << ", gemm=" << gemm << ")";
}

torch::Tensor FastEESPImpl::forward(const torch::Tensor& input) {
  ModuleScope scope(this);
  check_fast_input(input, "FastEESP");
  const auto x = input.contiguous();
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  auto reduced = gemm ? own_pointwise(x, packed_reduce) : grouped_pointwise(x, w_reduce);
  const int64_t oh = (h - 1) / stride + 1, ow = (w - 1) / stride + 1;
  auto cat = torch::empty({n, out_channels, oh, ow}, x.options());
  kernels::DwHffArgs a;
  a.in = reduced.data_ptr<float>();
  a.batch = n;
  a.n = reduced.size(1);
  a.h = h;
  a.w = w;
  a.in_bias = b_reduce.data_ptr<float>();
  a.in_alpha = a_reduce.data_ptr<float>();
  a.weight = w_dw.data_ptr<float>();
  a.dilations = dilations;
  a.stride = stride;
  a.hff = hff;
  a.out_scale = cat_scale.data_ptr<float>();
  a.out_shift = cat_shift.data_ptr<float>();
  a.out_alpha = a_cat.data_ptr<float>();
  a.out = cat.data_ptr<float>();
  a.oh = oh;
  a.ow = ow;
  {
    RECORD_FUNCTION("espbench::dw_dilated_hff", std::vector<c10::IValue>({reduced}));
    kernels::dw_dilated_hff(a);
  }
  const bool residual = stride == 1 && in_channels == out_channels && oh == h && ow == w;
  if (gemm && fuse)
    return own_pointwise(cat, packed_merge, b_merge.data_ptr<float>(),
                         residual ? x.data_ptr<float>() : nullptr,
                         stride == 2 ? nullptr : a_out.data_ptr<float>());
  auto y = gemm ? own_pointwise(cat, packed_merge) : grouped_pointwise(cat, w_merge);
  if (!fuse) {
    y = y + b_merge.view({1, -1, 1, 1});
    if (stride == 2) return y;
    if (residual) y = y + x;
    return torch::prelu(y, a_out);
  }
  RECORD_FUNCTION("espbench::bias_residual_prelu", std::vector<c10::IValue>({y}));
  kernels::bias_residual_prelu(y.data_ptr<float>(), n, out_channels, oh * ow, b_merge.data_ptr<float>(),
                               residual ? x.data_ptr<float>() : nullptr,
                               stride == 2 ? nullptr : a_out.data_ptr<float>());
  return y;
}

namespace {

FastFormEntry fast_eesp_entry() {
  FastFormEntry e;
  e.name = "eesp";
  e.description = "FastEESP: batched-GEMM group 1x1 convs, one kernel for the K branches + HFF + BN + PReLU";
  e.uses_fuse = e.uses_gemm = true;
  e.build = [](const torch::nn::AnyModule& block, const FastFormArgs& a) {
    const auto* plain = block.ptr()->as<EESPImpl>();
    return plain ? torch::nn::AnyModule(FastEESP(*plain, a.fuse, a.gemm)) : torch::nn::AnyModule();
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_FAST_FORM(fast_eesp_entry());

}  // namespace espbench
