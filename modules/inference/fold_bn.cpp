#include "modules/inference/fold_bn.h"

#include <torch/nn/modules/batchnorm.h>

#include "modules/blocks/layers.h"

namespace espbench {

std::pair<torch::Tensor, torch::Tensor> bn_scale_shift(const torch::nn::BatchNorm2dImpl& bn) {
  torch::NoGradGuard no_grad;
  auto scale = torch::rsqrt(bn.running_var + bn.options.eps());
  if (bn.weight.defined()) scale = scale * bn.weight;
  auto shift = -bn.running_mean * scale;
  if (bn.bias.defined()) shift = shift + bn.bias;
  return {scale.detach(), shift.detach()};
}

std::pair<torch::Tensor, torch::Tensor> folded_conv(const ConvBNActImpl& m) {
  torch::NoGradGuard no_grad;
  auto w = m.conv->weight.detach().clone();
  auto b = m.conv->bias.defined() ? m.conv->bias.detach().clone() : torch::zeros({w.size(0)}, w.options());
  if (!m.bn) return {w, b};
  auto [scale, shift] = bn_scale_shift(*m.bn);
  return {w * scale.view({-1, 1, 1, 1}), b * scale + shift};
}

void fold_bn_in_place(ConvBNActImpl& m) {
  if (!m.bn) return;
  auto [w, b] = folded_conv(m);
  torch::NoGradGuard no_grad;
  // A conv built without bias has an (undefined) 'bias' slot already: swap in a biased twin.
  const auto& o = m.conv->options;
  torch::nn::Conv2d biased(torch::nn::Conv2dOptions(o.in_channels(), o.out_channels(), o.kernel_size())
                               .stride(o.stride())
                               .padding(o.padding())
                               .dilation(o.dilation())
                               .groups(o.groups())
                               .padding_mode(o.padding_mode())
                               .bias(true));
  biased->weight.copy_(w);
  biased->bias.copy_(b);
  m.conv = m.replace_module("conv", biased);
  m.unregister_module("bn");
  m.bn = nullptr;
  m.options.batch_norm(false).conv_bias(true);  // what reset() (and so clone()) builds from now on
}

}  // namespace espbench
