// Primitive layers shared by every block and network (the official ESPNetv2 building blocks):
// ConvBNAct covers the official CBR (conv+BN+PReLU), CB (conv+BN) and the baselines' conv+BN+ReLU(6);
// BNAct covers BR (BN+PReLU). Convolutions never carry a bias; padding is ((k-1)/2)*dilation.
#pragma once
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include "modules/analytic.h"
#include "modules/kernels/batch_norm_act.h"

namespace espbench {

enum class Act { None, ReLU, ReLU6, PReLU };
const char* to_string(Act a);

struct ConvBNActOptions {
  ConvBNActOptions(int64_t in_channels, int64_t out_channels, int64_t kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(int64_t, kernel_size);
  TORCH_ARG(int64_t, stride) = 1;
  TORCH_ARG(int64_t, dilation) = 1;
  TORCH_ARG(int64_t, groups) = 1;
  // Activation after BatchNorm (None = the official CB).
  TORCH_ARG(Act, act) = Act::PReLU;
  // Whether a BatchNorm follows the conv (false = the official CDilated: conv only).
  TORCH_ARG(bool, batch_norm) = true;
  TORCH_ARG(double, bn_eps) = 1e-5;
  // A biased conv: only the --fast BN folding sets it (with batch_norm off), so that reset() and
  // clone() rebuild the folded form.
  TORCH_ARG(bool, conv_bias) = false;
};

class ConvBNActImpl : public torch::nn::Cloneable<ConvBNActImpl> {
 public:
  explicit ConvBNActImpl(ConvBNActOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  // Analytic twin of forward().
  Shape analytic(Complexity& c, Shape in) const;

  ConvBNActOptions options;
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  torch::nn::PReLU prelu{nullptr};
};
TORCH_MODULE(ConvBNAct);

// The analytic twin of a ConvBNAct built from `options`, without allocating its weights (networks
// are costed from their options this way).
Shape conv_bn_act_analytic(Complexity& c, Shape in, const ConvBNActOptions& options);

struct BNActOptions {
  explicit BNActOptions(int64_t channels) : channels_(channels) {}
  TORCH_ARG(int64_t, channels);
  TORCH_ARG(Act, act) = Act::PReLU;
  TORCH_ARG(double, bn_eps) = 1e-5;
};

class BNActImpl : public torch::nn::Cloneable<BNActImpl> {
 public:
  explicit BNActImpl(BNActOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const;

  BNActOptions options;
  torch::nn::BatchNorm2d bn{nullptr};
  torch::nn::PReLU prelu{nullptr};
};
TORCH_MODULE(BNAct);

// A PReLU module's forward; in training mode through the native kernel where it applies
// (modules/kernels/batch_norm_act.h), in eval mode always LibTorch's (which the counter counts).
torch::Tensor prelu_forward(torch::nn::PReLU& prelu, const torch::Tensor& x);

// Applies an activation that has no parameters (ReLU, ReLU6) functionally.
torch::Tensor apply_act(Act a, const torch::Tensor& x);

// The official ESPNetv2 initialisation (official EdgeNets, model/classification/espnetv2.py, init_params),
// used by the baselines too (torchvision's): conv Kaiming-normal fan_out, BN 1/0, Linear N(0, linear_std)
// with zero bias.
void init_weights(torch::nn::Module& root, double linear_std);
// Megvii's ShuffleNet initialisation (their released ShuffleNet v1/v2 training code): the first
// conv (the module under `first_conv`) ~ N(0, 0.01), every other conv ~ N(0, 1 / weight.size(1))
// (so a depth-wise 3x3 gets std 1, a point-wise conv 1 / its input channels per group), BN weight 1
// and bias 1e-4, linear ~ N(0, 0.01) with zero bias.
void init_weights_megvii(torch::nn::Module& root, const std::string& first_conv);

// A BatchNorm module's tensors and settings as the fused native kernel takes them.
kernels::BatchNormState batch_norm_state(const torch::nn::BatchNorm2dImpl& bn);

}  // namespace espbench
