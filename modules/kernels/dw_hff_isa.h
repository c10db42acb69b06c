// The loops of the fast EESP kernels (dw_hff.h), one build per instruction set (dw_hff_isa.cpp).
// Plain data and declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"

namespace espbench::kernels {

// DwHffArgs as plain data (fields as there), the dilations as a pointer and a count.
struct DwHffPlan {
  const float* in;
  int64_t batch, n, h, w;
  const float* in_bias;
  const float* in_alpha;
  const float* weight;
  const int64_t* dilations;
  int64_t branches;      // entries of dilations
  int64_t max_dilation;  // the padding of the scratch plane
  int64_t stride;
  bool hff;
  const float* out_scale;
  const float* out_shift;
  const float* out_alpha;
  float* out;
  int64_t oh, ow;
};

struct DwHffLoops {
  // Tasks [begin, end) of dw_dilated_hff (task = image * n + channel).
  void (*dw_range)(const DwHffPlan& a, int64_t begin, int64_t end);
  // Planes [begin, end) of bias_residual_prelu (plane = image * channels + channel).
  void (*epilogue_range)(float* y, int64_t channels, int64_t plane, const float* bias, const float* residual,
                         const float* alpha, int64_t begin, int64_t end);
};

extern IsaTable<DwHffLoops> dw_hff_loops;

}  // namespace espbench::kernels
