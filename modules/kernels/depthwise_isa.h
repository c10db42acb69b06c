// The loops of the native depth-wise conv (depthwise.h), one build per instruction set
// (depthwise_isa.cpp). Plain data and declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"

namespace espbench::kernels {

struct DwGeometry {
  int64_t n, c, h, w, oh, ow, kh, kw, stride, padding, dilation;
};

// All channels-last ([N, H, W, C]; taps [kh * kw, C]).
struct DepthwiseLoops {
  // y[row] += w[tap] * x[read] over the output rows [r0, r1) (row = n * oh + oh).
  void (*forward_rows)(const DwGeometry& g, int64_t r0, int64_t r1, const float* x, const float* w, float* y);
  // gx[read] += w[tap] * gy[out] for the images [n0, n1).
  void (*grad_input_images)(const DwGeometry& g, int64_t n0, int64_t n1, const float* gy, const float* w,
                            float* gx);
  // acc[tap] += gy[out] * x[read] for the images [n0, n1).
  void (*grad_weight_images)(const DwGeometry& g, int64_t n0, int64_t n1, const float* gy, const float* x,
                             float* acc);
  // One image [rows, cols] -> [cols, rows].
  void (*transpose_image)(const float* in, float* out, int64_t rows, int64_t cols);
};

extern IsaTable<DepthwiseLoops> depthwise_loops;

}  // namespace espbench::kernels
