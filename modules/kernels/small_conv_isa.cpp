// The small-input 3x3 convolution's loops for one instruction set (isa.h).
#include "modules/kernels/small_conv_isa.h"

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

constexpr int64_t kBlock = 8;  // output channels per task
constexpr int64_t kMaxTaps = 9 * kSmallConvMaxInChannels;

// Channel c of image b into its padded (phase) planes; dst is zeroed by the caller.
ESPBENCH_INLINE void fill_planes(const SmallConvArgs& a, const SmallConvLayout& l, int64_t b, int64_t c,
                                 float* dst) {
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
ESPBENCH_INLINE void block_task(const SmallConvArgs& a, const SmallConvLayout& l, const float* planes,
                                int64_t b, int64_t co, FloatBuffer& tmp_buffer) {
  using V = typename SimdVec<W>::type;
  const int64_t taps = 9 * a.in_channels, rows = min64(kBlock, a.out_channels - co);
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
  float* tmp = tmp_buffer.resize(kBlock * padded_len);
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
      for (int v = 0; v < NV; ++v) *reinterpret_cast<V*>(tmp + r * padded_len + q + v * W) = acc[r][v];
  }
  for (int64_t r = 0; r < rows; ++r) {
    float* __restrict t = tmp + r * padded_len;
    const float bias = a.bias ? a.bias[co + r] : 0.f;
    if (a.alpha) {
      const float al = a.alpha[co + r];
      for (int64_t q = 0; q < l.len; ++q) {
        const float v = t[q] + bias;
        t[q] = pos_part(v) + al * neg_part(v);
      }
    } else {
      for (int64_t q = 0; q < l.len; ++q) t[q] += bias;
    }
    float* o = a.out + ((b * a.out_channels) + co + r) * l.oh * l.ow;
    for (int64_t y = 0; y < l.oh; ++y)
      std::memcpy(o + y * l.ow, t + y * l.ws, sizeof(float) * static_cast<size_t>(l.ow));
  }
}

// Register tiles: AVX-512 16 floats x 2, AVX2 8 x 1, generic 4 x 2.
constexpr int kWidth = kIsa == Isa::Avx512 ? 16 : kIsa == Isa::Avx2 ? 8 : 4;
constexpr int kVectors = kIsa == Isa::Avx2 ? 1 : 2;

void fill_range(const SmallConvArgs& a, const SmallConvLayout& l, float* planes, int64_t begin, int64_t end) {
  for (int64_t t = begin; t < end; ++t)
    fill_planes(a, l, t / a.in_channels, t % a.in_channels, planes + t * l.per_channel);
}

void blocks_range(const SmallConvArgs& a, const SmallConvLayout& l, const float* planes, int64_t begin,
                  int64_t end) {
  thread_local FloatBuffer tmp;
  const int64_t blocks = (a.out_channels + kBlock - 1) / kBlock;
  for (int64_t t = begin; t < end; ++t) {
    const int64_t b = t / blocks;
    block_task<kWidth, kVectors>(a, l, planes + b * a.in_channels * l.per_channel, b, (t % blocks) * kBlock,
                                 tmp);
  }
}

const SmallConvLoops loops{fill_range, blocks_range};
[[maybe_unused]] const bool registered = (small_conv_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
