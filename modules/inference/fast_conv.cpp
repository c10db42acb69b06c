#include "modules/inference/fast_conv.h"

#include <ATen/record_function.h>
#include <fmt/format.h>

#include "modules/error.h"
#include "modules/inference/fold_bn.h"
#include "modules/kernels/dw_hff.h"
#include "modules/kernels/small_conv.h"
#include "modules/scope.h"

namespace espbench {

torch::Tensor onednn_conv(const torch::Tensor& x, const torch::Tensor& w,
                          const c10::optional<torch::Tensor>& b, int64_t stride, int64_t padding,
                          int64_t dilation, int64_t groups) {
  return at::mkldnn_convolution(x, w, b, {padding, padding}, {stride, stride}, {dilation, dilation}, groups);
}

torch::Tensor own_pointwise(const torch::Tensor& x, const kernels::PackedPointwise& w, const float* bias,
                            const float* residual, const float* alpha) {
  RECORD_FUNCTION("espbench::pointwise_conv", std::vector<c10::IValue>({x}));
  auto y = torch::empty({x.size(0), w.out_channels(), x.size(2), x.size(3)}, x.options());
  kernels::PointwiseArgs a;
  a.in = x.data_ptr<float>();
  a.batch = x.size(0);
  a.plane = x.size(2) * x.size(3);
  a.weight = &w;
  a.bias = bias;
  a.residual = residual;
  a.alpha = alpha;
  a.out = y.data_ptr<float>();
  kernels::pointwise_conv(a);
  return y;
}

void check_fast_input(const torch::Tensor& x, const char* module) {
  if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat)
    throw Error(
        fmt::format("{}: the fast kernels need float32 CPU tensors, got {} on {} (use --fast=fold_bn "
                    "elsewhere)",
                    module, c10::toString(x.scalar_type()), x.device().str()));
}

FastConvImpl::FastConvImpl(const ConvBNActImpl& plain, bool gemm) {
  const auto& o = plain.options;
  act = o.act();
  stride = o.stride();
  dilation = o.dilation();
  padding = (o.kernel_size() - 1) / 2 * o.dilation();
  groups = o.groups();
  auto [w, b] = folded_conv(plain);
  weight = w.contiguous();
  bias = b.contiguous();
  if (act == Act::PReLU) alpha = plain.prelu->weight.detach().clone().contiguous();
  if (alpha.defined() && alpha.numel() != weight.size(0))
    throw Error("FastConv: PReLU must have one slope per channel");
  own_gemm = gemm && o.kernel_size() == 1 && stride == 1 && (act == Act::PReLU || act == Act::None);
  own_small = gemm && o.kernel_size() == 3 && dilation == 1 && groups == 1 && padding == 1 &&
              (stride == 1 || stride == 2) && weight.size(1) <= kernels::kSmallConvMaxInChannels &&
              (act == Act::PReLU || act == Act::None);
  reset();
}

// Registers copies of the member tensors (the constructor's, or those of the module clone() copied)
// and derives the packed weights from them.
void FastConvImpl::reset() {
  weight = register_buffer("weight", weight.clone());
  bias = register_buffer("bias", bias.clone());
  if (alpha.defined()) alpha = register_buffer("alpha", alpha.clone());
  if (own_gemm)
    packed = kernels::pack_pointwise(weight.data_ptr<float>(), weight.size(0), weight.size(1), groups);
}

void FastConvImpl::pretty_print(std::ostream& s) const {
  s << "FastConv(" << weight.size(1) * groups << "->" << weight.size(0) << ", k=" << weight.size(2)
    << ", s=" << stride << ", d=" << dilation << ", g=" << groups << ", " << to_string(act)
    << (own_gemm ? ", gemm" : "") << (own_small ? ", small_conv" : "") << ")";
}

torch::Tensor FastConvImpl::forward(const torch::Tensor& input) {
  ModuleScope scope(this);
  check_fast_input(input, "FastConv");
  if (own_gemm)
    return own_pointwise(input.contiguous(), packed, bias.data_ptr<float>(), nullptr,
                         act == Act::PReLU ? alpha.data_ptr<float>() : nullptr);
  if (own_small) {
    const auto x = input.contiguous();
    RECORD_FUNCTION("espbench::small_conv3x3", std::vector<c10::IValue>({x}));
    auto y = torch::empty(
        {x.size(0), weight.size(0), (x.size(2) - 1) / stride + 1, (x.size(3) - 1) / stride + 1}, x.options());
    kernels::SmallConvArgs a;
    a.in = x.data_ptr<float>();
    a.batch = x.size(0);
    a.in_channels = x.size(1);
    a.h = x.size(2);
    a.w = x.size(3);
    a.weight = weight.data_ptr<float>();
    a.out_channels = weight.size(0);
    a.stride = stride;
    a.bias = bias.data_ptr<float>();
    a.alpha = act == Act::PReLU ? alpha.data_ptr<float>() : nullptr;
    a.out = y.data_ptr<float>();
    kernels::small_conv3x3(a);
    return y;
  }
  auto y = onednn_conv(input.contiguous(), weight, bias, stride, padding, dilation, groups).contiguous();
  switch (act) {
    case Act::PReLU: {
      RECORD_FUNCTION("espbench::bias_residual_prelu", std::vector<c10::IValue>({y}));
      kernels::bias_residual_prelu(y.data_ptr<float>(), y.size(0), y.size(1), y.size(2) * y.size(3), nullptr,
                                   nullptr, alpha.data_ptr<float>());
      return y;
    }
    case Act::ReLU:
      return y.relu_();
    case Act::ReLU6:
      return y.clamp_(0.0, 6.0);
    case Act::None:
      return y;
  }
  return y;
}

}  // namespace espbench
