#include "modules/kernels/pointwise.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>

#include "modules/kernels/simd.h"

// The tiles only stay in registers at -O3 (full unrolling of the fixed-size loops).
#pragma GCC push_options
#pragma GCC optimize("O3")

namespace espbench::kernels {

PackedPointwise pack_pointwise(const float* w, int64_t out_channels, int64_t in_per_group, int64_t groups) {
  constexpr int64_t R = PackedPointwise::kRows;
  PackedPointwise p;
  p.groups = groups;
  p.out_per_group = out_channels / groups;
  p.in_per_group = in_per_group;
  const int64_t blocks = (p.out_per_group + R - 1) / R;
  p.data.assign(static_cast<size_t>(groups * blocks * in_per_group * R), 0.f);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t m = 0; m < p.out_per_group; ++m)
      for (int64_t k = 0; k < in_per_group; ++k)
        p.data[static_cast<size_t>(((g * blocks + m / R) * in_per_group + k) * R + m % R)] =
            w[(g * p.out_per_group + m) * in_per_group + k];
  return p;
}

namespace {

struct Epilogue {
  const float* bias;      // at the tile's first row, or null
  const float* residual;  // at the tile's first element, or null
  int64_t ldr;
  const float* alpha;  // at the tile's first row, or null
};

// kRows x (NV*W) output tile: out[i][x] = epilogue(sum_k wp[k][i] * in[k][x]); rows < kRows stores
// only the first `rows` rows (the packed weight's padding rows are zero).
template <int W, int NV>
ESPBENCH_INLINE void tile(const float* __restrict wp, const float* __restrict in, int64_t ldb, int64_t kdim,
                          float* __restrict out, int64_t ldc, int64_t rows, const Epilogue& e) {
  using V = typename kernels::SimdVec<W>::type;
  constexpr int R = PackedPointwise::kRows;
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
ESPBENCH_INLINE void run_task(const PointwiseArgs& a, int64_t b, int64_t g, int64_t x0, int64_t x1) {
  const PackedPointwise& p = *a.weight;
  constexpr int64_t R = PackedPointwise::kRows;
  const int64_t K = p.in_per_group, M = p.out_per_group, N = a.plane, blocks = (M + R - 1) / R;
  const float* in = a.in + (b * p.in_channels() + g * K) * N;
  const float* wg = p.data.data() + g * blocks * K * R;
  const int64_t out_offset = (b * p.out_channels() + g * M) * N;
  float* out = a.out + out_offset;
  const float* res = a.residual ? a.residual + out_offset : nullptr;
  auto column = [&](auto tile_fn, int64_t x) {  // every row block at columns [x, x + tile width)
    for (int64_t mb = 0; mb < blocks; ++mb) {
      const int64_t m0 = mb * R, row0 = g * M + m0;
      const Epilogue e{a.bias ? a.bias + row0 : nullptr, res ? res + m0 * N + x : nullptr, N,
                       a.alpha ? a.alpha + row0 : nullptr};
      tile_fn(wg + mb * K * R, in + x, N, K, out + m0 * N + x, N, std::min(R, M - m0), e);
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
  thread_local std::vector<float> panel, tmp, rtmp;
  panel.assign(static_cast<size_t>(K * W), 0.f);
  tmp.resize(static_cast<size_t>(R * W));
  rtmp.assign(static_cast<size_t>(R * W), 0.f);
  for (int64_t k = 0; k < K; ++k) std::memcpy(panel.data() + k * W, in + k * N + x, sizeof(float) * n);
  for (int64_t mb = 0; mb < blocks; ++mb) {
    const int64_t m0 = mb * R, rows = std::min(R, M - m0), row0 = g * M + m0;
    if (res)
      for (int64_t i = 0; i < rows; ++i)
        std::memcpy(rtmp.data() + i * W, res + (m0 + i) * N + x, sizeof(float) * n);
    const Epilogue e{a.bias ? a.bias + row0 : nullptr, res ? rtmp.data() : nullptr, W,
                     a.alpha ? a.alpha + row0 : nullptr};
    tile<W, 1>(wg + mb * K * R, panel.data(), W, K, tmp.data(), W, rows, e);
    for (int64_t i = 0; i < rows; ++i)
      std::memcpy(out + (m0 + i) * N + x, tmp.data() + i * W, sizeof(float) * n);
  }
}

struct Split {
  int64_t chunk, chunks;  // columns per task (the last task takes the rest), tasks per (image, group)
};

template <int W, int NV>
ESPBENCH_INLINE void run_range(const PointwiseArgs& a, Split s, int64_t begin, int64_t end) {
  const int64_t groups = a.weight->groups;
  for (int64_t t = begin; t < end; ++t) {
    const int64_t c = t % s.chunks, bg = t / s.chunks;
    run_task<W, NV>(a, bg / groups, bg % groups, c * s.chunk,
                    c + 1 == s.chunks ? a.plane : (c + 1) * s.chunk);
  }
}

// Tile widths: AVX-512 16 floats x 3 (24 accumulators of 32 registers), AVX2 8 x 1 (8 of 16),
// generic 4 x 2.
constexpr int64_t tile_columns(Isa isa) { return isa == Isa::Avx512 ? 48 : isa == Isa::Avx2 ? 8 : 8; }

void range_generic(const PointwiseArgs& a, Split s, int64_t b, int64_t e) { run_range<4, 2>(a, s, b, e); }
ESPBENCH_TARGET_AVX2 void range_avx2(const PointwiseArgs& a, Split s, int64_t b, int64_t e) {
  run_range<8, 1>(a, s, b, e);
}
ESPBENCH_TARGET_AVX512 void range_avx512(const PointwiseArgs& a, Split s, int64_t b, int64_t e) {
  run_range<16, 3>(a, s, b, e);
}

}  // namespace

void pointwise_conv(const PointwiseArgs& a) {
  const PackedPointwise& p = *a.weight;
  const Isa v = kernels::cpu_isa();
  const int64_t nr = tile_columns(v);
  // Tasks of whole tiles and about 32k multiply-adds each (or the whole plane); a thread takes at
  // least two, so that small convolutions stay on one thread.
  const int64_t macs_per_column = std::max<int64_t>(1, p.out_per_group * p.in_per_group);
  Split s{};
  s.chunk = std::max<int64_t>(nr, 32768 / macs_per_column / nr * nr);
  s.chunk = std::min(s.chunk, (a.plane + nr - 1) / nr * nr);
  // Rounded down: the last task's columns never fall short of one tile, so that its overlapping
  // last tile stays inside its own columns.
  s.chunks = std::max<int64_t>(1, a.plane / s.chunk);
  const int64_t tasks = a.batch * p.groups * s.chunks;
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, s.chunk * macs_per_column));
  at::parallel_for(0, tasks, grain, [&](int64_t b, int64_t e) {
    if (v == Isa::Avx512) return range_avx512(a, s, b, e);
    if (v == Isa::Avx2) return range_avx2(a, s, b, e);
    range_generic(a, s, b, e);
  });
}

}  // namespace espbench::kernels

#pragma GCC pop_options
