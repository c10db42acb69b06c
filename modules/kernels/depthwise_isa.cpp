// The depth-wise conv's loops for one instruction set (isa.h). They work channels-last: every tap
// of every output position is one multiply-add over a contiguous run of C channels, which
// vectorises whatever the map size (28x28 training ends on 2x2 and 1x1 maps) and the dilation.
// Taps that would read padding are skipped.
#include "modules/kernels/depthwise_isa.h"

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

// The input position an output position reads through tap k of one axis, or -1 in the padding.
ESPBENCH_INLINE int64_t source(int64_t out, int64_t k, const DwGeometry& g, int64_t size) {
  const int64_t in = out * g.stride - g.padding + k * g.dilation;
  return in >= 0 && in < size ? in : -1;
}

ESPBENCH_INLINE void madd(float* __restrict acc, const float* __restrict a, const float* __restrict b,
                          int64_t n) {
  for (int64_t i = 0; i < n; ++i) acc[i] += a[i] * b[i];
}

// Calls f(output offset, input offset, tap) for every tap of every output position of row oh of
// image n that reads inside the image (offsets in units of C).
template <typename F>
ESPBENCH_INLINE void for_each_read(const DwGeometry& g, int64_t n, int64_t oh, F&& f) {
  for (int64_t i = 0; i < g.kh; ++i) {
    const int64_t ih = source(oh, i, g, g.h);
    if (ih < 0) continue;
    for (int64_t ow = 0; ow < g.ow; ++ow)
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t iw = source(ow, j, g, g.w);
        if (iw >= 0) f((n * g.oh + oh) * g.ow + ow, (n * g.h + ih) * g.w + iw, i * g.kw + j);
      }
  }
}

void forward_rows(const DwGeometry& g, int64_t r0, int64_t r1, const float* x, const float* w, float* y) {
  const int64_t c = g.c;
  for (int64_t r = r0; r < r1; ++r)
    for_each_read(g, r / g.oh, r % g.oh,
                  [&](int64_t o, int64_t in, int64_t tap) { madd(y + o * c, w + tap * c, x + in * c, c); });
}

void grad_input_images(const DwGeometry& g, int64_t n0, int64_t n1, const float* gy, const float* w,
                       float* gx) {
  const int64_t c = g.c;
  for (int64_t n = n0; n < n1; ++n)
    for (int64_t oh = 0; oh < g.oh; ++oh)
      for_each_read(g, n, oh, [&](int64_t o, int64_t in, int64_t tap) {
        madd(gx + in * c, w + tap * c, gy + o * c, c);
      });
}

void grad_weight_images(const DwGeometry& g, int64_t n0, int64_t n1, const float* gy, const float* x,
                        float* acc) {
  const int64_t c = g.c;
  for (int64_t n = n0; n < n1; ++n)
    for (int64_t oh = 0; oh < g.oh; ++oh)
      for_each_read(g, n, oh, [&](int64_t o, int64_t in, int64_t tap) {
        madd(acc + tap * c, gy + o * c, x + in * c, c);
      });
}

// In 8x8 tiles.
void transpose_image(const float* __restrict in, float* __restrict out, int64_t rows, int64_t cols) {
  for (int64_t r0 = 0; r0 < rows; r0 += 8)
    for (int64_t c0 = 0; c0 < cols; c0 += 8) {
      const int64_t r1 = min64(rows, r0 + 8), c1 = min64(cols, c0 + 8);
      for (int64_t c = c0; c < c1; ++c)
        for (int64_t r = r0; r < r1; ++r) out[c * rows + r] = in[r * cols + c];
    }
}

const DepthwiseLoops loops{forward_rows, grad_input_images, grad_weight_images, transpose_image};
[[maybe_unused]] const bool registered = (depthwise_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
