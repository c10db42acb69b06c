// Grouped 1x1 convolution for batch-1 inference (--fast gemm): our own register-tiled GEMM with the
// bias, residual add and PReLU applied while the results are still in registers. oneDNN spends
// most of its time on call overhead and reorders at the small per-group shapes of EESP (8-128
// output channels, 49-3136 pixels); this kernel runs them 2-10x faster (README, `compare`).
// Float32, NCHW-contiguous, CPU only; built for AVX-512, AVX2+FMA and generic SIMD, picked at run
// time; threads through at::parallel_for (needs the project's -fopenmp).
#pragma once
#include <cstdint>
#include <vector>

namespace espbench::kernels {

// A grouped 1x1 weight [out, in/groups] packed for pointwise_conv(): per group, output channels in
// blocks of kRows, each block stored input-channel-major ([in/groups][kRows]), zero rows padding
// the last block.
struct PackedPointwise {
  static constexpr int64_t kRows = 8;
  int64_t groups = 1, out_per_group = 0, in_per_group = 0;
  std::vector<float> data;
  int64_t out_channels() const { return groups * out_per_group; }
  int64_t in_channels() const { return groups * in_per_group; }
};
PackedPointwise pack_pointwise(const float* weight, int64_t out_channels, int64_t in_per_group,
                               int64_t groups);

struct PointwiseArgs {
  const float* in = nullptr;  // [batch, in_channels, plane]
  int64_t batch = 1, plane = 0;
  const PackedPointwise* weight = nullptr;
  const float* bias = nullptr;      // [out] or null
  const float* residual = nullptr;  // [batch, out, plane] or null; must not alias `out`
  const float* alpha = nullptr;     // [out] PReLU slopes, or null: no activation
  float* out = nullptr;             // [batch, out, plane]
};

// out = prelu(W x + bias + residual), every term optional.
void pointwise_conv(const PointwiseArgs& a);

}  // namespace espbench::kernels
