// A grouped 3x3 convolution (stride 1, padding 1) for inference with its neighbours fused in
// (espnetv2_seg's decoder, modules/inference/fast_espnetv2_seg.h):
//   in front, per input channel: z = PReLU(in_scale * x + in_shift) (a BatchNorm + PReLU that
//     precedes the conv; the zero padding is applied after it, as in the unfused network);
//   behind, per output channel: y = PReLU2(post_scale * (PReLU(conv + bias) * gate + residual)
//     + post_shift) (a gated conv whose output is added to another map and normalised).
// Every part is optional (null: identity). Slot j of group g reads input channel
// g * group_stride + j * slot_stride: (in_per_group, 1) is an ordinary grouped conv, (1, groups)
// reads a channel-shuffled input without shuffling it. Float32, NCHW, contiguous.
#pragma once
#include <cstdint>

namespace espbench::kernels {

struct GroupedConv3x3Args {
  const float* in = nullptr;  // [batch, in_channels, h, w]
  int64_t batch = 1, in_channels = 0, h = 0, w = 0;
  int64_t groups = 1;
  int64_t group_stride = -1, slot_stride = 1;  // group_stride -1: in_channels / groups
  const float* in_scale = nullptr;             // [in_channels] each, or null
  const float* in_shift = nullptr;
  const float* in_alpha = nullptr;
  const float* weight = nullptr;  // [out_channels, in_channels / groups, 3, 3]
  int64_t out_channels = 0;
  const float* bias = nullptr;      // [out_channels] or null
  const float* alpha = nullptr;     // [out_channels] PReLU slopes or null
  const float* gate = nullptr;      // [batch, out_channels] or null
  const float* residual = nullptr;  // [batch, out_channels, h, w] or null; must not alias out
  // Or the residual as a smaller map [batch, out_channels, residual_h, residual_w], resized to
  // h x w (bilinear, aligned corners) row by row in the epilogue, never written at full size.
  const float* residual_small = nullptr;
  int64_t residual_h = 0, residual_w = 0;
  const float* post_scale = nullptr;  // [out_channels] each, or null
  const float* post_shift = nullptr;
  const float* post_alpha = nullptr;
  float* out = nullptr;  // [batch, out_channels, h, w]
};

void grouped_conv3x3(const GroupedConv3x3Args& a);

inline constexpr const char* kGroupedConv3x3OpName = "espbench::grouped_conv3x3";

}  // namespace espbench::kernels
