// FastConv: a ConvBNAct for inference: BN folded into the weights, run through oneDNN directly
// (ATen sends batch-1 1x1 convolutions on one thread to its OpenBLAS slow path), activation applied
// in place in the same pass as nothing else (PReLU by the fused epilogue kernel). With `gemm`, a
// 1x1 stride-1 convolution with PReLU or no activation runs on our own kernel instead
// (pointwise_kernel.h), bias and PReLU in its epilogue, and so does a 3x3 convolution (padding 1,
// stride 1 or 2, no groups or dilation) of at most 4 input channels (small_conv_kernel.h). Built from a plain
// or already folded ConvBNAct, which it leaves as it is. Float32 CPU tensors only.
#pragma once
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include "modules/blocks/layers.h"
#include "modules/kernels/pointwise.h"

namespace espbench {

class FastConvImpl : public torch::nn::Cloneable<FastConvImpl> {
 public:
  explicit FastConvImpl(const ConvBNActImpl& plain, bool gemm = false);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);

  Act act = Act::None;
  int64_t stride = 1, padding = 0, dilation = 1, groups = 1;
  torch::Tensor weight, bias, alpha;  // alpha: PReLU slopes [out] (PReLU only)
  bool own_gemm = false;              // runs on pointwise_conv() with `packed`
  bool own_small = false;             // runs on small_conv3x3()
  kernels::PackedPointwise packed;
};
TORCH_MODULE(FastConv);

// oneDNN convolution with bias, NCHW, float32 CPU.
torch::Tensor onednn_conv(const torch::Tensor& x, const torch::Tensor& w,
                          const c10::optional<torch::Tensor>& b, int64_t stride, int64_t padding,
                          int64_t dilation, int64_t groups);

// x [N, C, H, W] (float32 CPU, contiguous) -> [N, w.out_channels(), H, W] through our own kernel
// (pointwise_conv), with its optional epilogue: prelu(W x + bias + residual).
torch::Tensor own_pointwise(const torch::Tensor& x, const kernels::PackedPointwise& w,
                            const float* bias = nullptr, const float* residual = nullptr,
                            const float* alpha = nullptr);

// The input check every fast module makes, naming the module in the error.
void check_fast_input(const torch::Tensor& x, const char* module);

}  // namespace espbench
