// 3x3 average pooling, stride 2, padding 1, padding counted (divisor always 9): the pooling of
// ESPNetv2's strided units and of its input reinforcement, forward and backward. LibTorch 1.13's
// CPU avg_pool2d spends about a millisecond on one 32x112x112 map at batch 1 and 1-2 ms per
// batch-128 training call (forward or backward) on 28x28 training's maps; these kernels sum rows
// with vector loops first and columns second, and thread over planes through at::parallel_for.
//
//   y = kernels::avg_pool3x3s2(x);   // autograd-aware; LibTorch's op when the switch is off
//
// The op shows up to the profiler and to espbench's counter as "espbench::avg_pool3x3s2" (counted
// as a pooling: 9 element-wise ops per output element, like aten::avg_pool2d). Float32 CPU
// [N,C,H,W]; anything else goes to at::avg_pool2d(x, 3, 2, 1). Results equal LibTorch's up to
// float rounding.
#pragma once
#include <ATen/core/Tensor.h>

#include <cstdint>

namespace espbench::kernels {

at::Tensor avg_pool3x3s2(const at::Tensor& x);

inline constexpr const char* kAvgPoolOpName = "espbench::avg_pool3x3s2";

// The raw kernels. in [batch, channels, h, w] -> out[b * out_image_stride + c * oh * ow + ...],
// oh = (h + 1) / 2, ow = (w + 1) / 2 (PyTorch's output size for kernel 3, stride 2, padding 1);
// the inference path (--fast fuse) writes straight into a slice of a concatenation with it.
void avg_pool3x3s2_forward(const float* in, int64_t batch, int64_t channels, int64_t h, int64_t w, float* out,
                           int64_t out_image_stride);
// gy [batch, channels, oh, ow] -> gx [batch, channels, h, w] (overwritten).
void avg_pool3x3s2_backward(const float* gy, int64_t batch, int64_t channels, int64_t h, int64_t w,
                            float* gx);

}  // namespace espbench::kernels
