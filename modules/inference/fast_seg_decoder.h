// The segmentation decoder's units for inference (--fast fuse on espnetv2_seg), built from the plain
// units (modules/blocks/seg_decoder.h), which they leave as they are:
//   FastPyramidPool  the 1x1 projection as a FastConv; the five scale branches; their concatenation's
//                    BN + PReLU, the channel shuffle and the grouped 3x3 CBR in one kernel that reads
//                    the unshuffled branches (kernels/grouped_conv3x3.h); the 1x1 output conv with the
//                    following BN folded in and its PReLU in the epilogue, as a FastConv.
//   FastMergeUnit    the gate (global mean, 1x1 conv, sigmoid) on [N, C] vectors; the grouped 3x3
//                    CBR, the gate product, the addition of the decoder map and the BN + PReLU
//                    that follows the addition (the network's bu_br_l*) in one kernel.
// Both create their state in reset(), so clone() works. Float32 CPU, NCHW.
#pragma once
#include <torch/nn/cloneable.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "modules/blocks/seg_decoder.h"
#include "modules/inference/fast_conv.h"

namespace espbench {

// Bilinear resize with aligned corners on our own kernel (kernels/pyramid_pool.h); float32 CPU.
torch::Tensor fast_resize_bilinear(const torch::Tensor& x, int64_t h, int64_t w);

class FastPyramidPoolImpl : public torch::nn::Cloneable<FastPyramidPoolImpl> {
 public:
  explicit FastPyramidPoolImpl(const PyramidPoolImpl& plain, bool gemm = false);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);

  FastConv projection{nullptr}, output{nullptr};
  int64_t proj = 0;
  // stages [5, p, 1, 3, 3]; merge_scale/shift/alpha [5p] (the BN + PReLU after the concatenation);
  // merge_weight [p, 5, 3, 3], merge_bias/alpha [p] (the grouped CBR, BN folded).
  torch::Tensor stages, merge_scale, merge_shift, merge_alpha, merge_weight, merge_bias, merge_alpha_out;
};
TORCH_MODULE(FastPyramidPool);

class FastMergeUnitImpl : public torch::nn::Cloneable<FastMergeUnitImpl> {
 public:
  // `after`: the BN + PReLU applied to the sum (a Sequential of BatchNorm2d and PReLU).
  FastMergeUnitImpl(const MergeUnitImpl& plain, const torch::nn::Sequential& after);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  // PReLU2(BN(MergeUnit(skip) + decoder resized to skip's size)).
  torch::Tensor forward(const torch::Tensor& skip, const torch::Tensor& decoder);

  int64_t groups = 1;
  // gate_weight [out, in]; weight [out, in / groups, 3, 3], bias/alpha [out] (BN folded);
  // post_scale/shift/alpha [out] (the BN + PReLU after the addition).
  torch::Tensor gate_weight, weight, bias, alpha, post_scale, post_shift, post_alpha;
};
TORCH_MODULE(FastMergeUnit);

}  // namespace espbench
