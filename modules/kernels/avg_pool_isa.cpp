// The 3x3/s2 average pool's loops for one instruction set (isa.h).
#include "modules/kernels/avg_pool_isa.h"

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

constexpr float kNinth = 1.f / 9.f;

// One plane: the three input rows of each output row summed first (a contiguous, vectorised loop
// over w), then each output column adds three neighbours of that row sum.
ESPBENCH_INLINE void pool_plane(const float* __restrict in, int64_t h, int64_t w, float* __restrict out,
                                FloatBuffer& rows) {
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  // v[x]: the column sum at input column x; v[-1] and v[w] the zero padding.
  float* __restrict v = rows.assign(w + 2, 0.f) + 1;
  for (int64_t y = 0; y < oh; ++y) {
    const int64_t r0 = max64(0, 2 * y - 1), r1 = min64(h - 1, 2 * y + 1);
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

// The transpose: input row r gets the output rows whose window covers it (r / 2 for even r; both
// neighbours for odd r), then input column c the output columns covering it, all divided by 9.
ESPBENCH_INLINE void unpool_plane(const float* __restrict gy, int64_t h, int64_t w, float* __restrict gx,
                                  FloatBuffer& rows) {
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  float* __restrict v = rows.assign(ow, 0.f);
  for (int64_t r = 0; r < h; ++r) {
    const int64_t y0 = r / 2, y1 = min64(oh - 1, (r + 1) / 2);  // equal for even r
    const float* __restrict a = gy + y0 * ow;
    for (int64_t x = 0; x < ow; ++x) v[x] = a[x] * kNinth;
    if (y1 != y0) {
      const float* __restrict b = gy + y1 * ow;
      for (int64_t x = 0; x < ow; ++x) v[x] += b[x] * kNinth;
    }
    float* __restrict o = gx + r * w;
    for (int64_t c = 0; c < w; c += 2) o[c] = v[c / 2];
    for (int64_t c = 1; c < w; c += 2) o[c] = v[c / 2] + ((c + 1) / 2 < ow ? v[(c + 1) / 2] : 0.f);
  }
}

void forward_range(const float* in, int64_t channels, int64_t h, int64_t w, float* out, int64_t stride,
                   int64_t begin, int64_t end) {
  thread_local FloatBuffer rows;
  const int64_t plane_out = ((h + 1) / 2) * ((w + 1) / 2);
  for (int64_t t = begin; t < end; ++t)
    pool_plane(in + t * h * w, h, w, out + (t / channels) * stride + (t % channels) * plane_out, rows);
}

void backward_range(const float* gy, int64_t h, int64_t w, float* gx, int64_t begin, int64_t end) {
  thread_local FloatBuffer rows;
  const int64_t plane_out = ((h + 1) / 2) * ((w + 1) / 2);
  for (int64_t t = begin; t < end; ++t) unpool_plane(gy + t * plane_out, h, w, gx + t * h * w, rows);
}

const AvgPoolLoops loops{forward_range, backward_range};
[[maybe_unused]] const bool registered = (avg_pool_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
