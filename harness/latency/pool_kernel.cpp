#include "harness/latency/pool_kernel.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

#pragma GCC push_options
#pragma GCC optimize("O3")

namespace espbench::fast {

namespace {

// One plane: the three input rows of each output row summed first (a contiguous, vectorised loop
// over w), then each output column adds three neighbours of that row sum.
inline __attribute__((always_inline)) void pool_plane(const float* __restrict in, int64_t h, int64_t w,
                                                      float* __restrict out, std::vector<float>& rows) {
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  // rows[1 + x]: the column sum at input column x; rows[0] and rows[w + 1] the zero padding.
  rows.assign(static_cast<size_t>(w + 2), 0.f);
  float* __restrict v = rows.data() + 1;
  constexpr float kNinth = 1.f / 9.f;
  for (int64_t y = 0; y < oh; ++y) {
    const int64_t r0 = std::max<int64_t>(0, 2 * y - 1), r1 = std::min(h - 1, 2 * y + 1);
    const float* __restrict a = in + r0 * w;
    for (int64_t x = 0; x < w; ++x) v[x] = a[x];
    for (int64_t r = r0 + 1; r <= r1; ++r) {
      const float* __restrict b = in + r * w;
      for (int64_t x = 0; x < w; ++x) v[x] += b[x];
    }
    float* __restrict o = out + y * ow;
    for (int64_t x = 0; x < ow; ++x) o[x] = (v[2 * x - 1] + v[2 * x] + v[2 * x + 1]) * kNinth;
  }
}

void range_generic(const float* in, int64_t channels, int64_t h, int64_t w, float* out, int64_t stride,
                   int64_t begin, int64_t end) {
  thread_local std::vector<float> rows;
  const int64_t plane_out = ((h + 1) / 2) * ((w + 1) / 2);
  for (int64_t t = begin; t < end; ++t)
    pool_plane(in + t * h * w, h, w, out + (t / channels) * stride + (t % channels) * plane_out, rows);
}

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx512f,fma"))) void range_avx512(const float* in, int64_t channels, int64_t h, int64_t w,
                                                     float* out, int64_t stride, int64_t begin, int64_t end) {
  thread_local std::vector<float> rows;
  const int64_t plane_out = ((h + 1) / 2) * ((w + 1) / 2);
  for (int64_t t = begin; t < end; ++t)
    pool_plane(in + t * h * w, h, w, out + (t / channels) * stride + (t % channels) * plane_out, rows);
}
bool use_avx512() {
  static const bool yes = __builtin_cpu_supports("avx512f");
  return yes;
}
#else
bool use_avx512() { return false; }
void range_avx512(const float* in, int64_t channels, int64_t h, int64_t w, float* out, int64_t stride,
                  int64_t begin, int64_t end) {
  range_generic(in, channels, h, w, out, stride, begin, end);
}
#endif

}  // namespace

void avg_pool3x3s2(const float* in, int64_t batch, int64_t channels, int64_t h, int64_t w, float* out,
                   int64_t out_image_stride) {
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 3 * h * w));
  at::parallel_for(0, batch * channels, grain, [&](int64_t begin, int64_t end) {
    if (use_avx512()) return range_avx512(in, channels, h, w, out, out_image_stride, begin, end);
    range_generic(in, channels, h, w, out, out_image_stride, begin, end);
  });
}

}  // namespace espbench::fast

#pragma GCC pop_options
