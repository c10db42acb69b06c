// The 3x3 tap sum over a zero-padded plane, for the per-ISA kernel sources (grouped_conv3x3_isa.cpp,
// pyramid_pool_isa.cpp): include after isa.h. Like isa.h it defines everything in the build's own
// namespace. A plane padded by one on every side with row stride ws = w + 2 puts output (y, x) at flat
// index y * ws + x, so each tap is one contiguous read: one long loop whatever the width (the
// columns x >= w it also computes are junk that callers never store).
#pragma once

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

// The h x w plane `in` with every value mapped to prelu(scale * v + shift, alpha) (a BatchNorm and
// PReLU; scale 1, shift 0, alpha 1 copy it), written zero-padded into p: one pixel on every side, row
// stride w + 2, and two floats of slack after the last row, (h + 2) * (w + 2) + 2 floats in all.
ESPBENCH_INLINE void pad_plane_bn_prelu(const float* __restrict in, int64_t h, int64_t w, float scale,
                                        float shift, float alpha, float* __restrict p) {
  const int64_t ws = w + 2, size = (h + 2) * ws + 2;
  for (int64_t x = 0; x < ws; ++x) p[x] = 0.f;
  for (int64_t y = 0; y < h; ++y) {
    float* __restrict row = p + (y + 1) * ws;
    const float* __restrict s = in + y * w;
    row[0] = 0.f;
    for (int64_t x = 0; x < w; ++x) row[x + 1] = prelu1(scale * s[x] + shift, alpha);
    row[w + 1] = 0.f;
  }
  for (int64_t x = (h + 1) * ws; x < size; ++x) p[x] = 0.f;
}

// t[q] = (or +=, unless first) the 3x3 taps k of the padded plane p (row stride ws) for q in [0, len).
ESPBENCH_INLINE void taps9(float* __restrict t, const float* p, int64_t ws, const float* __restrict k,
                           int64_t len, bool first = true) {
  const float* __restrict a0 = p;
  const float* __restrict a1 = p + 1;
  const float* __restrict a2 = p + 2;
  const float* __restrict b0 = p + ws;
  const float* __restrict b1 = p + ws + 1;
  const float* __restrict b2 = p + ws + 2;
  const float* __restrict c0 = p + 2 * ws;
  const float* __restrict c1 = p + 2 * ws + 1;
  const float* __restrict c2 = p + 2 * ws + 2;
  const float k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7],
              k8 = k[8];
  if (first)
    for (int64_t q = 0; q < len; ++q)
      t[q] = k0 * a0[q] + k1 * a1[q] + k2 * a2[q] + k3 * b0[q] + k4 * b1[q] + k5 * b2[q] + k6 * c0[q] +
             k7 * c1[q] + k8 * c2[q];
  else
    for (int64_t q = 0; q < len; ++q)
      t[q] += k0 * a0[q] + k1 * a1[q] + k2 * a2[q] + k3 * b0[q] + k4 * b1[q] + k5 * b2[q] + k6 * c0[q] +
              k7 * c1[q] + k8 * c2[q];
}

}  // namespace espbench::kernels::ESPBENCH_ISA
