#include "modules/blocks/layers.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/linear.h>

#include "modules/kernels/batch_norm_act.h"
#include "modules/kernels/depthwise.h"
#include "modules/scope.h"

namespace espbench {

const char* to_string(Act a) {
  switch (a) {
    case Act::None:
      return "none";
    case Act::ReLU:
      return "relu";
    case Act::ReLU6:
      return "relu6";
    case Act::PReLU:
      return "prelu";
  }
  return "?";
}

torch::Tensor apply_act(Act a, const torch::Tensor& x) {
  switch (a) {
    case Act::ReLU:
      return torch::relu(x);
    case Act::ReLU6:
      return torch::hardtanh(x, 0.0, 6.0);
    default:
      return x;
  }
}

kernels::BatchNormState batch_norm_state(const torch::nn::BatchNorm2dImpl& bn) {
  return {bn.weight,
          bn.bias,
          bn.running_mean,
          bn.running_var,
          bn.num_batches_tracked,
          bn.options.momentum(),
          bn.options.eps()};
}

namespace {

// BatchNorm (+ activation) of a training step through the fused native kernel
// (modules/kernels/batch_norm_act.h) when it applies; otherwise the LibTorch modules.
torch::Tensor bn_act(torch::nn::BatchNorm2d bn, torch::nn::PReLU prelu, Act act, const torch::Tensor& x) {
  if (bn->is_training() && act != Act::ReLU6) {
    const kernels::BatchNormState state = batch_norm_state(*bn);
    if (kernels::native_batch_norm_act_applies(x, state)) {
      const auto post = act == Act::PReLU  ? kernels::PostAct::PReLU
                        : act == Act::ReLU ? kernels::PostAct::ReLU
                                           : kernels::PostAct::None;
      return kernels::batch_norm_act(x, state, prelu ? prelu->weight : torch::Tensor(), post);
    }
  }
  auto y = bn->forward(x);
  if (prelu) return prelu->forward(y);
  return apply_act(act, y);
}

}  // namespace

torch::Tensor prelu_forward(torch::nn::PReLU& prelu, const torch::Tensor& x) {
  if (prelu->is_training() && kernels::native_prelu_applies(x, prelu->weight))
    return kernels::prelu(x, prelu->weight);
  return prelu->forward(x);
}

ConvBNActImpl::ConvBNActImpl(ConvBNActOptions options_) : options(std::move(options_)) { reset(); }

void ConvBNActImpl::reset() {
  const auto& o = options;
  int64_t pad = (o.kernel_size() - 1) / 2 * o.dilation();
  conv = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.in_channels(), o.out_channels(), o.kernel_size())
                                    .stride(o.stride())
                                    .padding(pad)
                                    .dilation(o.dilation())
                                    .groups(o.groups())
                                    .bias(o.conv_bias())));
  if (o.batch_norm())
    bn = register_module(
        "bn", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.out_channels()).eps(o.bn_eps())));
  if (o.act() == Act::PReLU)
    prelu =
        register_module("act", torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(o.out_channels())));
}

void ConvBNActImpl::pretty_print(std::ostream& s) const {
  const auto& o = options;
  s << "ConvBNAct(" << o.in_channels() << "->" << o.out_channels() << ", k=" << o.kernel_size()
    << ", s=" << o.stride() << ", d=" << o.dilation() << ", g=" << o.groups()
    << (o.batch_norm() ? ", bn" : "") << ", " << to_string(o.act()) << ")";
}

torch::Tensor ConvBNActImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  const auto& o = options;
  // (A conv given a bias, e.g. by BN folding in harness/latency, keeps LibTorch's path.)
  const bool depthwise =
      o.groups() == o.in_channels() && o.groups() == o.out_channels() && !conv->bias.defined();
  auto y = depthwise ? kernels::depthwise_conv2d(x, conv->weight, o.stride(),
                                                 (o.kernel_size() - 1) / 2 * o.dilation(), o.dilation())
                     : conv->forward(x);
  if (bn) return bn_act(bn, prelu, o.act(), y);
  if (prelu) return prelu_forward(prelu, y);
  return apply_act(o.act(), y);
}

Shape ConvBNActImpl::analytic(Complexity& c, Shape in) const { return conv_bn_act_analytic(c, in, options); }

Shape conv_bn_act_analytic(Complexity& c, Shape in, const ConvBNActOptions& o) {
  Shape out = cx::conv(c, in, o.out_channels(), o.kernel_size(), o.stride(),
                       (o.kernel_size() - 1) / 2 * o.dilation(), o.dilation(), o.groups());
  if (o.batch_norm()) cx::batch_norm(c, out);
  if (o.act() == Act::PReLU)
    cx::prelu(c, out);
  else if (o.act() != Act::None)
    cx::activation(c, out);
  return out;
}

BNActImpl::BNActImpl(BNActOptions options_) : options(std::move(options_)) { reset(); }

void BNActImpl::reset() {
  bn = register_module(
      "bn", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(options.channels()).eps(options.bn_eps())));
  if (options.act() == Act::PReLU)
    prelu = register_module("act",
                            torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(options.channels())));
}

void BNActImpl::pretty_print(std::ostream& s) const {
  s << "BNAct(" << options.channels() << ", " << to_string(options.act()) << ")";
}

torch::Tensor BNActImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  return bn_act(bn, prelu, options.act(), x);
}

Shape BNActImpl::analytic(Complexity& c, Shape in) const {
  cx::batch_norm(c, in);
  if (options.act() == Act::PReLU)
    cx::prelu(c, in);
  else if (options.act() != Act::None)
    cx::activation(c, in);
  return in;
}

void init_weights(torch::nn::Module& root, double linear_std) {
  torch::NoGradGuard no_grad;
  // include_self=false: the root may still be under construction (not yet in a shared_ptr).
  for (auto& m : root.modules(/*include_self=*/false)) {
    if (auto* conv = m->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      if (conv->bias.defined()) torch::nn::init::zeros_(conv->bias);
    } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    } else if (auto* fc = m->as<torch::nn::Linear>()) {
      torch::nn::init::normal_(fc->weight, 0.0, linear_std);
      if (fc->bias.defined()) torch::nn::init::zeros_(fc->bias);
    }
  }
}

void init_weights_megvii(torch::nn::Module& root, const std::string& first_conv) {
  torch::NoGradGuard no_grad;
  for (auto& item : root.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {
    torch::nn::Module* m = item.value().get();
    if (auto* conv = m->as<torch::nn::Conv2d>()) {
      const bool first = item.key().rfind(first_conv, 0) == 0;
      torch::nn::init::normal_(conv->weight, 0.0,
                               first ? 0.01 : 1.0 / static_cast<double>(conv->weight.size(1)));
      if (conv->bias.defined()) torch::nn::init::zeros_(conv->bias);
    } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::constant_(bn->bias, 1e-4);
    } else if (auto* fc = m->as<torch::nn::Linear>()) {
      torch::nn::init::normal_(fc->weight, 0.0, 0.01);
      if (fc->bias.defined()) torch::nn::init::zeros_(fc->bias);
    }
  }
}

}  // namespace espbench
