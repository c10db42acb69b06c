// The ShuffleNet building blocks:
//   ShuffleNetV1Unit (Zhang et al. 2018, Fig. 2b/2c, Sec. 3.2; Megvii's code): 1x1 group conv to a
//     bottleneck of out/4 + BN + ReLU -> channel shuffle -> 3x3 DW + BN -> 1x1 group conv + BN;
//     stride 1 adds the identity, stride 2 concatenates a 3x3/s2 average pool of the input; ReLU.
//   ShuffleNetV2Unit (Ma et al. 2018, Fig. 3c/3d; torchvision's InvertedResidual): stride 1 splits
//     the channels in half and transforms one half (1x1+BN+ReLU, 3x3 DW+BN, 1x1+BN+ReLU); stride 2
//     transforms the whole input in two branches; concat, then shuffle with 2 groups.
#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/pooling.h>

#include "modules/blocks/layers.h"

namespace espbench {

// Channel shuffle (paper Sec. 3.1): view the C channels as [groups, C/groups], transpose and
// flatten, so that the next group conv sees every group: channel j of group i moves to j*groups + i.
// Not called channel_shuffle: ATen has one, and argument-dependent lookup would make calls ambiguous.
torch::Tensor shuffle_channels(const torch::Tensor& x, int64_t groups);

struct ShuffleNetV1UnitOptions {
  ShuffleNetV1UnitOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // 1 keeps the resolution (identity shortcut), 2 halves it.
  TORCH_ARG(int64_t, stride) = 1;
  // Group count g of both point-wise convs (paper Table 1 compares 1, 2, 3, 4, 8).
  TORCH_ARG(int64_t, groups) = 3;
  // Group the first 1x1 too; false in the first unit of stage 2, whose input is too narrow
  // to split (paper Sec. 3.3).
  TORCH_ARG(bool, first_group_conv) = true;
  // Stride 2 only. true: the paper's unit, branch makes out - in channels, concatenated with the
  // average-pooled input, then ReLU. false: the branch alone makes all out channels, with no
  // activation, for hosts that add the pooled shortcut themselves (ESPNetv2's down-sampler).
  TORCH_ARG(bool, concat_shortcut) = true;
};

class ShuffleNetV1UnitImpl : public torch::nn::Cloneable<ShuffleNetV1UnitImpl> {
 public:
  explicit ShuffleNetV1UnitImpl(ShuffleNetV1UnitOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const { return analytic(options, c, in); }
  static Shape analytic(const ShuffleNetV1UnitOptions& o, Complexity& c, Shape in);

  ShuffleNetV1UnitOptions options;
  ConvBNAct compress{nullptr};  // 1x1 group conv to the bottleneck
  ConvBNAct dw{nullptr};
  ConvBNAct expand{nullptr};  // 1x1 group conv back to the output width
  torch::nn::AvgPool2d shortcut_pool{nullptr};
};
TORCH_MODULE(ShuffleNetV1Unit);

struct ShuffleNetV2UnitOptions {
  ShuffleNetV2UnitOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // 1: channel split, needs in == out; 2: two branches, any in.
  TORCH_ARG(int64_t, stride) = 1;
};

class ShuffleNetV2UnitImpl : public torch::nn::Cloneable<ShuffleNetV2UnitImpl> {
 public:
  explicit ShuffleNetV2UnitImpl(ShuffleNetV2UnitOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const { return analytic(options, c, in); }
  static Shape analytic(const ShuffleNetV2UnitOptions& o, Complexity& c, Shape in);

  ShuffleNetV2UnitOptions options;
  torch::nn::Sequential branch1{nullptr};  // stride 2 only: 3x3 DW + BN, 1x1 + BN + ReLU
  torch::nn::Sequential branch2{nullptr};  // 1x1 + BN + ReLU, 3x3 DW + BN, 1x1 + BN + ReLU
};
TORCH_MODULE(ShuffleNetV2Unit);

// Throw espbench::Error naming the bad value and what would be valid.
void check(const ShuffleNetV1UnitOptions& o);
void check(const ShuffleNetV2UnitOptions& o);

}  // namespace espbench
