#include "modules/kernels/small_conv.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "modules/kernels/simd.h"

#pragma GCC push_options
#pragma GCC optimize("O3")

namespace espbench::kernels {

namespace {

constexpr int64_t kBlock = 8;  // output channels per task
constexpr int64_t kMaxTaps = 9 * kSmallConvMaxInChannels;

// Padded planes of one image: stride 1 one plane per channel ((h+2) x (w+2), row stride ws);
// stride 2 four phase planes per channel (row parity x column parity, ceil((h+2)/2) x ws).
// plane: floats per (phase) plane; len: the flat output length (oh rows of ws).
struct Layout {
  int64_t hp, wp, hq, ws, plane, per_channel, oh, ow, len;
};

Layout layout(const SmallConvArgs& a) {
  Layout l{};
  l.hp = a.h + 2;
  l.wp = a.w + 2;
  l.oh = (a.h - 1) / a.stride + 1;
  l.ow = (a.w - 1) / a.stride + 1;
  if (a.stride == 1) {
    l.hq = l.hp;
    l.ws = l.wp;
    l.plane = l.hp * l.wp;
    l.per_channel = l.plane;
  } else {
    l.hq = (l.hp + 1) / 2;
    l.ws = (l.wp + 1) / 2;
    l.plane = l.hq * l.ws;
    l.per_channel = 4 * l.plane;
  }
  l.len = l.oh * l.ws;
  return l;
}

// Channel c of image b into its padded (phase) planes; dst is zeroed by the caller.
void fill_planes(const SmallConvArgs& a, const Layout& l, int64_t b, int64_t c, float* dst) {
  const float* src = a.in + (b * a.in_channels + c) * a.h * a.w;
  for (int64_t y = 0; y < a.h; ++y) {
    const float* row = src + y * a.w;
    const int64_t py = y + 1;
    if (a.stride == 1) {
      std::memcpy(dst + py * l.wp + 1, row, sizeof(float) * static_cast<size_t>(a.w));
      continue;
    }
    // Padded column x + 1: even input columns land in the odd phase, odd ones in the even phase.
    float* __restrict even = dst + ((py % 2) * 2) * l.plane + (py / 2) * l.ws;
    float* __restrict odd = even + l.plane;
    for (int64_t m = 0; 2 * m < a.w; ++m) odd[m] = row[2 * m];
    for (int64_t m = 0; 2 * m + 1 < a.w; ++m) even[m + 1] = row[2 * m + 1];
  }
}

// Output channels [co, co + kBlock) of image b: a small GEMM whose K dimension is the 9 x C taps,
// each tap's "row" being the padded plane shifted by that tap's offset; a register tile of kBlock
// channels x NV vectors of pixels, weights packed tap-major. Then bias, PReLU and the valid columns
// of each row into `out`.
template <int W, int NV>
ESPBENCH_INLINE void block_task(const SmallConvArgs& a, const Layout& l, const float* planes, int64_t b,
                                int64_t co, std::vector<float>& tmp) {
  using V = typename kernels::SimdVec<W>::type;
  const int64_t taps = 9 * a.in_channels, rows = std::min(kBlock, a.out_channels - co);
  const float* src[kMaxTaps];
  float wp[kMaxTaps][kBlock] = {};
  for (int64_t ci = 0; ci < a.in_channels; ++ci)
    for (int64_t ky = 0; ky < 3; ++ky)
      for (int64_t kx = 0; kx < 3; ++kx) {
        const int64_t j = ci * 9 + ky * 3 + kx;
        const float* base = planes + ci * l.per_channel;
        src[j] = a.stride == 1 ? base + ky * l.ws + kx
                               : base + ((ky % 2) * 2 + kx % 2) * l.plane + (ky / 2) * l.ws + kx / 2;
        for (int64_t r = 0; r < rows; ++r)
          wp[j][r] = a.weight[((co + r) * a.in_channels + ci) * 9 + ky * 3 + kx];
      }
  constexpr int64_t step = W * NV;
  const int64_t padded_len = (l.len + step - 1) / step * step;
  tmp.resize(static_cast<size_t>(kBlock * padded_len));
  for (int64_t q = 0; q < padded_len; q += step) {
    V acc[kBlock][NV];
    for (int64_t r = 0; r < kBlock; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = V{};
    for (int64_t j = 0; j < taps; ++j) {
      V x[NV];
      for (int v = 0; v < NV; ++v) x[v] = *reinterpret_cast<const V*>(src[j] + q + v * W);
      for (int64_t r = 0; r < kBlock; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] += wp[j][r] * x[v];
    }
    for (int64_t r = 0; r < kBlock; ++r)
      for (int v = 0; v < NV; ++v) *reinterpret_cast<V*>(tmp.data() + r * padded_len + q + v * W) = acc[r][v];
  }
  for (int64_t r = 0; r < rows; ++r) {
    float* __restrict t = tmp.data() + r * padded_len;
    const float bias = a.bias ? a.bias[co + r] : 0.f;
    if (a.alpha) {
      const float al = a.alpha[co + r];
      for (int64_t q = 0; q < l.len; ++q) {
        const float v = t[q] + bias;
        t[q] = std::max(v, 0.f) + al * std::min(v, 0.f);
      }
    } else {
      for (int64_t q = 0; q < l.len; ++q) t[q] += bias;
    }
    float* o = a.out + ((b * a.out_channels) + co + r) * l.oh * l.ow;
    for (int64_t y = 0; y < l.oh; ++y)
      std::memcpy(o + y * l.ow, t + y * l.ws, sizeof(float) * static_cast<size_t>(l.ow));
  }
}

template <int W, int NV>
ESPBENCH_INLINE void blocks_range(const SmallConvArgs& a, const Layout& l, const float* planes, int64_t begin,
                                  int64_t end) {
  thread_local std::vector<float> tmp;
  const int64_t blocks = (a.out_channels + kBlock - 1) / kBlock;
  for (int64_t t = begin; t < end; ++t) {
    const int64_t b = t / blocks;
    block_task<W, NV>(a, l, planes + b * a.in_channels * l.per_channel, b, (t % blocks) * kBlock, tmp);
  }
}

void range_generic(const SmallConvArgs& a, const Layout& l, const float* p, int64_t b, int64_t e) {
  blocks_range<4, 2>(a, l, p, b, e);
}
ESPBENCH_TARGET_AVX2 void range_avx2(const SmallConvArgs& a, const Layout& l, const float* p, int64_t b,
                                     int64_t e) {
  blocks_range<8, 1>(a, l, p, b, e);
}
ESPBENCH_TARGET_AVX512 void range_avx512(const SmallConvArgs& a, const Layout& l, const float* p, int64_t b,
                                         int64_t e) {
  blocks_range<16, 2>(a, l, p, b, e);
}

}  // namespace

void small_conv3x3(const SmallConvArgs& a) {
  const Layout l = layout(a);
  // Reads run up to one tile (32 floats) past the flat output length plus the largest tap offset.
  const int64_t slack = 2 * l.ws + 96;
  thread_local std::vector<float> buffer;  // reused: no page faults for a fresh buffer per call
  buffer.assign(static_cast<size_t>(a.batch * a.in_channels * l.per_channel + slack), 0.f);
  float* planes = buffer.data();  // the workers see this thread's buffer through the pointer
  at::parallel_for(0, a.batch * a.in_channels, 1, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t)
      fill_planes(a, l, t / a.in_channels, t % a.in_channels, planes + t * l.per_channel);
  });
  const int64_t blocks = (a.out_channels + kBlock - 1) / kBlock;
  const int64_t work = 9 * a.in_channels * kBlock * l.len;
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, work));
  const kernels::Isa isa = kernels::cpu_isa();
  at::parallel_for(0, a.batch * blocks, grain, [&](int64_t begin, int64_t end) {
    if (isa == kernels::Isa::Avx512) return range_avx512(a, l, planes, begin, end);
    if (isa == kernels::Isa::Avx2) return range_avx2(a, l, planes, begin, end);
    range_generic(a, l, planes, begin, end);
  });
}

}  // namespace espbench::kernels

#pragma GCC pop_options
