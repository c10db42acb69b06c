// Direct 3x3 convolution for inputs with few channels (--fast gemm): the ESPNetv2 stem (3 -> 32,
// stride 2, 224x224) and the input reinforcement's 3 -> 3 convolutions on the image pyramid, where
// oneDNN spends 0.1-0.5 ms per call at batch 1. Padding 1, stride 1 or 2, bias and optional PReLU.
// Each image's channels are copied once into zero-padded planes (stride 2: four row/column phase
// planes, so every tap is a contiguous load); output channels are computed eight at a time over the
// flattened plane, each tap loaded once for all eight. Float32, NCHW-contiguous, CPU only; threads
// through at::parallel_for.
#pragma once
#include <cstdint>

namespace espbench::kernels {

inline constexpr int64_t kSmallConvMaxInChannels = 4;

struct SmallConvArgs {
  const float* in = nullptr;  // [batch, in_channels, h, w], in_channels <= kSmallConvMaxInChannels
  int64_t batch = 1, in_channels = 0, h = 0, w = 0;
  const float* weight = nullptr;  // [out_channels, in_channels, 3, 3]
  int64_t out_channels = 0, stride = 1;
  const float* bias = nullptr;   // [out_channels] or null
  const float* alpha = nullptr;  // [out_channels] PReLU slopes, or null: no activation
  float* out = nullptr;          // [batch, out_channels, oh, ow], oh = (h - 1) / stride + 1
};

void small_conv3x3(const SmallConvArgs& a);

}  // namespace espbench::kernels
