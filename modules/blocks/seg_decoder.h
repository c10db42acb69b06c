// The two units of ESPNetv2's segmentation decoder as the official code builds them (EdgeNets
// nn_layers/efficient_pyramid_pool.py and nn_layers/efficient_pt.py, whose module names these keep):
//
// PyramidPool (the official EfficientPyrPool): a 1x1 CBR projects the input to `proj` channels;
// five depth-wise 3x3 convolutions look at it at the scales 2, 1.5, 1, 0.5 and 0.1 of its size
// (each side ceil(n * scale), at least 5): up-scaled branches are resized bilinearly (corners
// aligned) before their conv and average-pooled back to the input size after it, down-scaled ones
// are adaptively average-pooled before and resized back after, the 1x scale runs in place. The five
// maps are concatenated (5 * proj channels), BN + PReLU, channel-shuffled with 5 groups, merged by a
// 3x3 CBR with `proj` groups (each group sees one channel of every scale) to `proj` channels and
// projected to `out` by a 1x1 conv; BN + PReLU follow (`last`: no BN + PReLU, the 1x1 conv has a
// bias instead: the network's class scores).
//
// MergeUnit (the official EfficientPWConv): a squeeze-style gate scales a grouped 3x3 CBR
// (in -> out, gcd(in, out) groups) per channel: out = CBR(x) * sigmoid(conv1x1(global_avg_pool(x))).
// It projects an encoder level to the decoder's width before the two are added.
#pragma once
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>

#include <array>

#include "modules/blocks/layers.h"

namespace espbench {

// The channel shuffle of the official `Shuffle` module, as a module (it has no parameters).
class ChannelShuffleImpl : public torch::nn::Cloneable<ChannelShuffleImpl> {
 public:
  explicit ChannelShuffleImpl(int64_t groups) : groups(groups) {}
  void reset() override {}
  torch::Tensor forward(const torch::Tensor& x);
  int64_t groups;
};
TORCH_MODULE(ChannelShuffle);

// Bilinear resize with aligned corners (the official F.interpolate(..., align_corners=True)).
torch::Tensor resize_bilinear(const torch::Tensor& x, int64_t h, int64_t w);

struct PyramidPoolOptions {
  PyramidPoolOptions(int64_t in_channels, int64_t proj_channels, int64_t out_channels)
      : in_channels_(in_channels), proj_channels_(proj_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, proj_channels);
  TORCH_ARG(int64_t, out_channels);
  // The network's last unit: a biased 1x1 output conv and no BN + PReLU after it.
  TORCH_ARG(bool, last) = false;
};

class PyramidPoolImpl : public torch::nn::Cloneable<PyramidPoolImpl> {
 public:
  // The branch scales, largest first, as the official unit sorts them.
  static constexpr std::array<double, 5> kScales{2.0, 1.5, 1.0, 0.5, 0.1};
  // One side of a branch's working size: ceil(n * scale), at least 5 (the official rule).
  static int64_t branch_size(int64_t n, double scale);

  explicit PyramidPoolImpl(PyramidPoolOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const;

  PyramidPoolOptions options;
  ConvBNAct projection_layer{nullptr};
  torch::nn::ModuleList stages{nullptr};  // one depth-wise 3x3 conv per scale
  // As the official Sequential: 0 BN + PReLU, 1 channel shuffle, 2 grouped 3x3 CBR, 3 1x1 conv.
  // (Read through the accessors: clone() replaces a Sequential's children.)
  torch::nn::Sequential merge_layer{nullptr};
  BNActImpl& merge_br() const { return *merge_layer->ptr<BNActImpl>(0); }
  ChannelShuffleImpl& shuffle() const { return *merge_layer->ptr<ChannelShuffleImpl>(1); }
  ConvBNActImpl& merge_conv() const { return *merge_layer->ptr<ConvBNActImpl>(2); }
  torch::nn::Conv2dImpl& merge_pw() const { return *merge_layer->ptr<torch::nn::Conv2dImpl>(3); }
  BNAct br{nullptr};  // absent when `last`
};
TORCH_MODULE(PyramidPool);

class MergeUnitImpl : public torch::nn::Cloneable<MergeUnitImpl> {
 public:
  MergeUnitImpl(int64_t in_channels, int64_t out_channels);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const;

  int64_t in_channels, out_channels;
  // As the official Sequential: 0 global average pool, 1 1x1 conv (in -> out), 2 sigmoid.
  torch::nn::Sequential wt_layer{nullptr};
  torch::nn::Conv2dImpl& gate_conv() const { return *wt_layer->ptr<torch::nn::Conv2dImpl>(1); }
  ConvBNAct expansion_layer{nullptr};
};
TORCH_MODULE(MergeUnit);

}  // namespace espbench
