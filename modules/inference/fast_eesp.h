// FastEESP: the inference form of an EESP block (--fast eesp_kernel). Same function as EESPImpl in
// eval mode, restructured as: grouped 1x1 reduce (one batched GEMM, BN folded) -> one kernel for
// the reduce's bias+PReLU, all K depth-wise dilated branches, HFF, the post-concat BN and PReLU,
// written straight into the concatenated buffer -> grouped 1x1 merge (one batched GEMM, BN folded)
// -> bias, residual add and output PReLU in one pass (`fuse`; otherwise separate ATen ops). With
// `gemm` both grouped 1x1 convolutions run on our own kernel (pointwise_kernel.h) instead of
// oneDNN, and with `fuse` too the merge's epilogue does the bias, residual and PReLU.
// Built from a plain EESP, whose weights it copies; the EESP itself is not touched. Registered as
// the fast form of block "eesp" (fast_forms.h).
#pragma once
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include "modules/kernels/pointwise.h"

namespace espbench {

class EESPImpl;

class FastEESPImpl : public torch::nn::Cloneable<FastEESPImpl> {
 public:
  FastEESPImpl(const EESPImpl& plain, bool fuse, bool gemm = false);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);

  int64_t in_channels = 0, out_channels = 0, branches = 0, stride = 1;
  std::vector<int64_t> dilations;
  bool hff = true, fuse = true, gemm = false;
  // Buffers: reduce [K, n/K, in/K] + bias/alpha [n]; depth-wise [K, n, 3, 3]; post-concat BN
  // scale/shift and PReLU [out]; merge [K, out/K, out/K] + bias [out]; output PReLU [out].
  torch::Tensor w_reduce, b_reduce, a_reduce, w_dw, cat_scale, cat_shift, a_cat, w_merge, b_merge, a_out;
  kernels::PackedPointwise packed_reduce, packed_merge;  // gemm only
};
TORCH_MODULE(FastEESP);

// Grouped 1x1 convolution as one batched GEMM per image: x [N, G*ci, H, W], w [G, co, ci] ->
// [N, G*co, H, W] (NCHW contiguous). Exposed for the tests.
torch::Tensor grouped_pointwise(const torch::Tensor& x, const torch::Tensor& w);

}  // namespace espbench
