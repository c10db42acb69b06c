// A native depth-wise 3x3-style convolution for the CPU, forward and backward, used by every
// depth-wise conv of the blocks (EESP's dilated branches, the strided units, the baselines' units)
// during training and plain inference.
//
// Why: LibTorch 1.13's CPU path sends a dilated depth-wise conv to oneDNN, whose backward on the
// small maps of 28x28 training (14x14 down to 1x1) costs 10-30x its forward. This kernel loops per
// (image, channel) plane and per tap over only the output positions whose input lies inside the
// image, so taps that would read only padding (dilation >= map size) cost nothing.
//
//   y = kernels::depthwise_conv2d(x, weight, stride, padding, dilation);   // autograd-aware
//
// Contract: x float32 [N,C,H,W] on the CPU, weight [C,1,kh,kw], no bias; anything else (CUDA,
// other dtypes, and undilated convs on maps above 4x4, where LibTorch's kernel is faster) goes to at::conv2d,
// so callers need no checks. The op shows up to the profiler and to espbench's counter as
// "espbench::depthwise_conv2d" (counted as a convolution: kh*kw MACs per output element). Results equal
// at::conv2d up to float rounding (summation order differs). With the native kernels switched off (switch.h)
// every call goes to at::conv2d.
#pragma once
#include <ATen/core/Tensor.h>

namespace espbench::kernels {

at::Tensor depthwise_conv2d(const at::Tensor& x, const at::Tensor& weight, int64_t stride, int64_t padding,
                            int64_t dilation);

// Always the native kernel (tests and benchmarks); x float32 CPU [N,C,H,W], weight [C,1,kh,kw].
at::Tensor depthwise_conv2d_native(const at::Tensor& x, const at::Tensor& weight, int64_t stride,
                                   int64_t padding, int64_t dilation);

// True when depthwise_conv2d(x, weight, ..., dilation) takes the native path: float32 CPU, and
// dilation > 1 or a map of at most 16 positions (elsewhere LibTorch's kernel measured faster).
bool native_depthwise_applies(const at::Tensor& x, const at::Tensor& weight, int64_t dilation);

// The op name the counter and profiler see.
inline constexpr const char* kDepthwiseOpName = "espbench::depthwise_conv2d";

}  // namespace espbench::kernels
