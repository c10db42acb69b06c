// The grouped 1x1 GEMM's register tiles for one instruction set (isa.h).
#include "modules/kernels/pointwise_isa.h"

#include "modules/kernels/isa.h"
#include "modules/kernels/pointwise.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

constexpr int64_t R = PackedPointwise::kRows;

struct Epilogue {
  const float* bias;      // at the tile's first row, or null
  const float* residual;  // at the tile's first element, or null
  int64_t ldr;
  const float* alpha;  // at the tile's first row, or null
};

// R x (NV*W) output tile: out[i][x] = epilogue(sum_k wp[k][i] * in[k][x]); rows < R stores only the
// first `rows` rows (the packed weight's padding rows are zero).
template <int W, int NV>
ESPBENCH_INLINE void tile(const float* __restrict wp, const float* __restrict in, int64_t ldb, int64_t kdim,
                          float* __restrict out, int64_t ldc, int64_t rows, const Epilogue& e) {
  using V = typename SimdVec<W>::type;
  V acc[R][NV];
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < NV; ++j) acc[i][j] = V{};
  for (int64_t k = 0; k < kdim; ++k) {
    V b[NV];
    for (int j = 0; j < NV; ++j) b[j] = *reinterpret_cast<const V*>(in + k * ldb + j * W);
    for (int i = 0; i < R; ++i) {
      const float a = wp[k * R + i];
      for (int j = 0; j < NV; ++j) acc[i][j] += a * b[j];
    }
  }
  for (int i = 0; i < R && i < rows; ++i) {
    const float bias = e.bias ? e.bias[i] : 0.f;
    for (int j = 0; j < NV; ++j) {
      V v = acc[i][j] + bias;
      if (e.residual) v += *reinterpret_cast<const V*>(e.residual + i * e.ldr + j * W);
      if (e.alpha) {
        const V zero{};
        v = (v > zero ? v : zero) + e.alpha[i] * (v < zero ? v : zero);
      }
      *reinterpret_cast<V*>(out + i * ldc + j * W) = v;
    }
  }
}

// Group g of image b, columns [x0, x1) of the plane.
template <int W, int NV>
ESPBENCH_INLINE void run_task(const PointwisePlan& a, int64_t b, int64_t g, int64_t x0, int64_t x1) {
  const int64_t K = a.in_per_group, M = a.out_per_group, N = a.plane, blocks = (M + R - 1) / R;
  const float* in = a.in + (b * a.groups * K + g * K) * N;
  const float* wg = a.weight + g * blocks * K * R;
  const int64_t out_offset = (b * a.groups * M + g * M) * N;
  float* out = a.out + out_offset;
  const float* res = a.residual ? a.residual + out_offset : nullptr;
  auto column = [&](auto tile_fn, int64_t x) {  // every row block at columns [x, x + tile width)
    for (int64_t mb = 0; mb < blocks; ++mb) {
      const int64_t m0 = mb * R, row0 = g * M + m0;
      const Epilogue e{a.bias ? a.bias + row0 : nullptr, res ? res + m0 * N + x : nullptr, N,
                       a.alpha ? a.alpha + row0 : nullptr};
      tile_fn(wg + mb * K * R, in + x, N, K, out + m0 * N + x, N, min64(R, M - m0), e);
    }
  };
  int64_t x = x0;
  for (; x + W * NV <= x1; x += W * NV) column(tile<W, NV>, x);
  for (; x + W <= x1; x += W) column(tile<W, 1>, x);
  if (x == x1) return;
  if (N >= W) {  // the last columns: one tile ending at x1, recomputing a few done columns
    column(tile<W, 1>, x1 - W);
    return;
  }
  // A plane narrower than one vector: through zero-padded copies.
  const int64_t n = x1 - x;
  thread_local FloatBuffer panel_buffer, tmp_buffer, rtmp_buffer;
  float* panel = panel_buffer.assign(K * W, 0.f);
  float* tmp = tmp_buffer.resize(R * W);
  float* rtmp = rtmp_buffer.assign(R * W, 0.f);
  for (int64_t k = 0; k < K; ++k) std::memcpy(panel + k * W, in + k * N + x, sizeof(float) * n);
  for (int64_t mb = 0; mb < blocks; ++mb) {
    const int64_t m0 = mb * R, rows = min64(R, M - m0), row0 = g * M + m0;
    if (res)
      for (int64_t i = 0; i < rows; ++i) std::memcpy(rtmp + i * W, res + (m0 + i) * N + x, sizeof(float) * n);
    const Epilogue e{a.bias ? a.bias + row0 : nullptr, res ? rtmp : nullptr, W,
                     a.alpha ? a.alpha + row0 : nullptr};
    tile<W, 1>(wg + mb * K * R, panel, W, K, tmp, W, rows, e);
    for (int64_t i = 0; i < rows; ++i) std::memcpy(out + (m0 + i) * N + x, tmp + i * W, sizeof(float) * n);
  }
}

// Tile shapes: AVX-512 16 floats x 3 (24 accumulators of 32 registers), AVX2 8 x 1 (8 of 16),
// generic 4 x 2.
constexpr int kWidth = kIsa == Isa::Avx512 ? 16 : kIsa == Isa::Avx2 ? 8 : 4;
constexpr int kVectors = kIsa == Isa::Avx512 ? 3 : kIsa == Isa::Avx2 ? 1 : 2;

void range(const PointwisePlan& a, int64_t begin, int64_t end) {
  for (int64_t t = begin; t < end; ++t) {
    const int64_t c = t % a.chunks, bg = t / a.chunks;
    run_task<kWidth, kVectors>(a, bg / a.groups, bg % a.groups, c * a.chunk,
                               c + 1 == a.chunks ? a.plane : (c + 1) * a.chunk);
  }
}

const PointwiseLoops loops{kWidth * kVectors, range};
[[maybe_unused]] const bool registered = (pointwise_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
