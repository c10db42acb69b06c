// The fused grouped 3x3 convolution's loops for one instruction set (isa.h): plain C++ written for
// the compiler's auto-vectoriser.
#include "modules/kernels/grouped_conv3x3_isa.h"

#include "modules/kernels/isa.h"
#include "modules/kernels/resize_rows.h"
#include "modules/kernels/taps3x3.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

struct Scratch {
  FloatBuffer padded, acc, rows, factors;
  IndexBuffer index;
};

// The small residual's aligned-corners resize tables (rows then columns), once per call's geometry.
struct ResidualResize {
  const int32_t *y0 = nullptr, *y1 = nullptr, *x0 = nullptr, *x1 = nullptr;
  const float *fy = nullptr, *fx = nullptr;
  float* rows = nullptr;  // 3 rows of w: the row cache's two and the blended row
};

ResidualResize residual_tables(const GroupedConv3x3Args& a, Scratch& s) {
  ResidualResize r;
  if (!a.residual_small) return r;
  int32_t* idx = s.index.resize(2 * (a.h + a.w));
  float* fac = s.factors.resize(a.h + a.w);
  lerp_table(a.residual_h, a.h, idx, idx + a.h, fac);
  lerp_table(a.residual_w, a.w, idx + 2 * a.h, idx + 2 * a.h + a.w, fac + a.h);
  r.y0 = idx, r.y1 = idx + a.h, r.x0 = idx + 2 * a.h, r.x1 = idx + 2 * a.h + a.w;
  r.fy = fac, r.fx = fac + a.h;
  r.rows = s.rows.resize(3 * a.w);
  return r;
}

// The input planes of one group, each transformed and copied into the interior of a zero-padded
// plane of row stride ws = w + 2. Output (y, x) is then computed at flat index y * ws + x, and every
// tap is one contiguous read of a padded plane: one long loop per tap, whatever the width (the
// columns x >= w it also computes are junk and never stored).
ESPBENCH_INLINE void fill_group(const GroupedConv3x3Args& a, int64_t image, int64_t group, int64_t per_group,
                                float* padded, int64_t plane) {
  for (int64_t j = 0; j < per_group; ++j) {
    const int64_t c = group * a.group_stride + j * a.slot_stride;
    pad_plane_bn_prelu(a.in + (image * a.in_channels + c) * a.h * a.w, a.h, a.w,
                       a.in_scale ? a.in_scale[c] : 1.f, a.in_shift ? a.in_shift[c] : 0.f,
                       a.in_alpha ? a.in_alpha[c] : 1.f, padded + j * plane);
  }
}

// The epilogue of output channel oc of one image for rows [y0, y1), from the flat accumulator t
// of those rows.
ESPBENCH_INLINE void epilogue(const GroupedConv3x3Args& a, int64_t image, int64_t oc, const float* t,
                              int64_t y0, int64_t y1, const ResidualResize& rr) {
  const int64_t ws = a.w + 2, plane = a.h * a.w;
  const float bias = a.bias ? a.bias[oc] : 0.f, al = a.alpha ? a.alpha[oc] : 1.f;
  const float gate = a.gate ? a.gate[image * a.out_channels + oc] : 1.f;
  const float ps = a.post_scale ? a.post_scale[oc] : 1.f, pb = a.post_shift ? a.post_shift[oc] : 0.f;
  const float pa = a.post_alpha ? a.post_alpha[oc] : 1.f;
  float* __restrict out = a.out + (image * a.out_channels + oc) * plane;
  const float* __restrict res = a.residual ? a.residual + (image * a.out_channels + oc) * plane : nullptr;
  RowCache cache{{rr.rows, rr.rows + a.w},
                 {-1, -1},
                 a.residual_small
                     ? a.residual_small + (image * a.out_channels + oc) * a.residual_h * a.residual_w
                     : nullptr,
                 a.residual_w,
                 a.residual_w,
                 a.w,
                 rr.x0,
                 rr.x1,
                 rr.fx};
  for (int64_t y = y0; y < y1; ++y) {
    const float* __restrict r = t + (y - y0) * ws;
    float* __restrict o = out + y * a.w;
    const float* __restrict e = res ? res + y * a.w : nullptr;
    if (a.residual_small) {  // this row of the resized residual, a blend of two resized source rows
      const float* __restrict p = cache.get(rr.y0[y]);
      const float* __restrict q = cache.get(rr.y1[y]);
      float* __restrict b = rr.rows + 2 * a.w;
      const float g = rr.fy[y], g0 = 1.f - g;
      for (int64_t x = 0; x < a.w; ++x) b[x] = g0 * p[x] + g * q[x];
      e = b;
    }
    if (e) {
      for (int64_t x = 0; x < a.w; ++x) o[x] = prelu1(ps * (prelu1(r[x] + bias, al) * gate + e[x]) + pb, pa);
    } else {
      for (int64_t x = 0; x < a.w; ++x) o[x] = prelu1(ps * (prelu1(r[x] + bias, al) * gate) + pb, pa);
    }
  }
}

// Rows per band: the accumulator of one band (rows x (w + 2) floats) stays within about 16 KB.
ESPBENCH_INLINE int64_t band_rows(int64_t w) { return max64(1, 4096 / (w + 2)); }

// Three outputs at once (t0, t1, t2 from kernels k0, k1, k2): each tap's input is loaded once for
// all three, which is what limits the one-output loop.
template <bool kFirst>
ESPBENCH_INLINE void taps9x3_loop(float* __restrict t0, float* __restrict t1, float* __restrict t2,
                                  const float* __restrict r0, const float* __restrict r1,
                                  const float* __restrict r2, const float* __restrict a,
                                  const float* __restrict b, const float* __restrict c, int64_t len) {
  const float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7],
              a8 = a[8];
  const float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7],
              b8 = b[8];
  const float c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7],
              c8 = c[8];
  for (int64_t q = 0; q < len; ++q) {
    const float v0 = r0[q], v1 = r0[q + 1], v2 = r0[q + 2], v3 = r1[q], v4 = r1[q + 1], v5 = r1[q + 2],
                v6 = r2[q], v7 = r2[q + 1], v8 = r2[q + 2];
    const float s0 = a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3 + a4 * v4 + a5 * v5 + a6 * v6 + a7 * v7 + a8 * v8;
    const float s1 = b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3 + b4 * v4 + b5 * v5 + b6 * v6 + b7 * v7 + b8 * v8;
    const float s2 = c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3 + c4 * v4 + c5 * v5 + c6 * v6 + c7 * v7 + c8 * v8;
    if (kFirst) {
      t0[q] = s0, t1[q] = s1, t2[q] = s2;
    } else {
      t0[q] += s0, t1[q] += s1, t2[q] += s2;
    }
  }
}

ESPBENCH_INLINE void taps9x3(float* t0, float* t1, float* t2, const float* p, int64_t ws, const float* k0,
                             const float* k1, const float* k2, int64_t len, bool first) {
  if (first)
    taps9x3_loop<true>(t0, t1, t2, p, p + ws, p + 2 * ws, k0, k1, k2, len);
  else
    taps9x3_loop<false>(t0, t1, t2, p, p + ws, p + 2 * ws, k0, k1, k2, len);
}

void range(const GroupedConv3x3Args& a, int64_t begin, int64_t end) {
  thread_local Scratch s;
  const int64_t in_per = a.in_channels / a.groups, out_per = a.out_channels / a.groups;
  const int64_t ws = a.w + 2, plane = (a.h + 2) * ws + 2, band = band_rows(a.w);
  float* padded = s.padded.resize(in_per * plane);
  float* t = s.acc.resize(3 * band * ws);
  const ResidualResize rr = residual_tables(a, s);
  for (int64_t task = begin; task < end; ++task) {
    const int64_t image = task / a.groups, g = task % a.groups;
    fill_group(a, image, g, in_per, padded, plane);
    // Band by band, so that the accumulators stay in the L1 cache across the group's inputs; three
    // outputs at a time while three are left.
    for (int64_t y0 = 0; y0 < a.h; y0 += band) {
      const int64_t y1 = min64(a.h, y0 + band), len = (y1 - y0) * ws;
      int64_t o = 0;
      for (; o + 3 <= out_per; o += 3) {
        const int64_t oc = g * out_per + o;
        for (int64_t j = 0; j < in_per; ++j) {
          const float* k = a.weight + (oc * in_per + j) * 9;
          taps9x3(t, t + len, t + 2 * len, padded + j * plane + y0 * ws, ws, k, k + in_per * 9,
                  k + 2 * in_per * 9, len, j == 0);
        }
        for (int64_t i = 0; i < 3; ++i) epilogue(a, image, oc + i, t + i * len, y0, y1, rr);
      }
      for (; o < out_per; ++o) {
        const int64_t oc = g * out_per + o;
        for (int64_t j = 0; j < in_per; ++j)
          taps9(t, padded + j * plane + y0 * ws, ws, a.weight + (oc * in_per + j) * 9, len, j == 0);
        epilogue(a, image, oc, t, y0, y1, rr);
      }
    }
  }
}

const GroupedConv3x3Loops loops{range};
[[maybe_unused]] const bool registered = (grouped_conv3x3_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
