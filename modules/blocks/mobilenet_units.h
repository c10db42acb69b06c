// The MobileNet building blocks:
//   MobileNetV1Unit: depth-wise separable convolution, 3x3 DW + BN + ReLU then 1x1 PW + BN + ReLU
//     (Howard et al. 2017, Fig. 3 / Table 1).
//   MobileNetV2Unit: inverted residual with linear bottleneck, [1x1 expand to t*in + BN + ReLU6]
//     -> 3x3 DW + BN + ReLU6 -> 1x1 linear projection + BN, residual when stride 1 and in == out
//     (Sandler et al. 2018, Table 1; torchvision's InvertedResidual).
#pragma once
#include <torch/nn/modules/container/sequential.h>

#include "modules/blocks/layers.h"

namespace espbench {

struct MobileNetV1UnitOptions {
  MobileNetV1UnitOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // Stride of the depth-wise conv; the point-wise conv never strides.
  TORCH_ARG(int64_t, stride) = 1;
  // The paper's ReLU; TF-slim's checkpoints use ReLU6.
  TORCH_ARG(Act, act) = Act::ReLU;
};

class MobileNetV1UnitImpl : public torch::nn::Cloneable<MobileNetV1UnitImpl> {
 public:
  explicit MobileNetV1UnitImpl(MobileNetV1UnitOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const { return analytic(options, c, in); }
  static Shape analytic(const MobileNetV1UnitOptions& o, Complexity& c, Shape in);

  MobileNetV1UnitOptions options;
  ConvBNAct dw{nullptr};
  ConvBNAct pw{nullptr};
};
TORCH_MODULE(MobileNetV1Unit);

struct MobileNetV2UnitOptions {
  MobileNetV2UnitOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // Stride of the depth-wise conv.
  TORCH_ARG(int64_t, stride) = 1;
  // Expansion factor t: hidden width round(t * in); t = 1 drops the expand conv.
  TORCH_ARG(int64_t, expand_ratio) = 6;
};

class MobileNetV2UnitImpl : public torch::nn::Cloneable<MobileNetV2UnitImpl> {
 public:
  explicit MobileNetV2UnitImpl(MobileNetV2UnitOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const { return analytic(options, c, in); }
  static Shape analytic(const MobileNetV2UnitOptions& o, Complexity& c, Shape in);
  bool residual() const { return options.stride() == 1 && options.in_channels() == options.out_channels(); }

  MobileNetV2UnitOptions options;
  torch::nn::Sequential conv{nullptr};  // [expand], depth-wise, projection
};
TORCH_MODULE(MobileNetV2Unit);

// Throw espbench::Error naming the bad value when the options cannot be built.
void check(const MobileNetV1UnitOptions& o);
void check(const MobileNetV2UnitOptions& o);

}  // namespace espbench
