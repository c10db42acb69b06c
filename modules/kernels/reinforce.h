// The strided unit's epilogue with the input reinforcement's last layer folded in (fast_trunk.h):
//   y[c] = PReLU(y[c] + bias[c] + sum_k weight[c, k] * r[k])
// in place, r being the reinforcement's k-channel map (k <= kReinforceMaxChannels, the image's
// channels) and weight the 1x1 conv (BN folded) that would expand it to y's width: one pass over y
// instead of a k-deep GEMM writing a map of y's size and a second pass adding it.
#pragma once
#include <cstdint>

namespace espbench::kernels {

inline constexpr int64_t kReinforceMaxChannels = 4;

struct ReinforceArgs {
  float* y = nullptr;  // [batch, channels, plane], updated in place
  int64_t batch = 1, channels = 0, plane = 0;
  const float* r = nullptr;  // [batch, k, plane]
  int64_t k = 0;
  const float* weight = nullptr;  // [channels, k]
  const float* bias = nullptr;    // [channels] or null
  const float* alpha = nullptr;   // [channels] PReLU slopes
};

void reinforce_prelu(const ReinforceArgs& a);

inline constexpr const char* kReinforceOpName = "espbench::reinforce_prelu";

}  // namespace espbench::kernels
