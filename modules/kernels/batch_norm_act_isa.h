// The element loops of the fused BatchNorm + activation (batch_norm_act.h), one build per
// instruction set (batch_norm_act_isa.cpp). Each walks one image's contiguous C*H*W run, with the
// per-channel terms expanded over the H*W positions (sc, sh: the affine map z = x * sc + sh; neg:
// the activation's slope where z <= 0). Plain data and declarations only.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"

namespace espbench::kernels {

struct BatchNormActLoops {
  // s += x, q += x * x.
  void (*add_sum_sq)(const float* x, float* s, float* q, int64_t n);
  // y = act(x * sc + sh).
  void (*affine_act)(const float* x, const float* sc, const float* sh, const float* neg, float* y, int64_t n);
  // pg += gz, pgx += gz * x (gz = g * the activation's slope) and, when pa is given, pa += g * z
  // where z <= 0.
  void (*add_grad_sums)(const float* x, const float* g, const float* sc, const float* sh, const float* neg,
                        float* pg, float* pgx, float* pa, int64_t n);
  // o = sc * gz + p + q * x.
  void (*grad_input)(const float* x, const float* g, const float* sc, const float* sh, const float* neg,
                     const float* p, const float* q, float* o, int64_t n);
};

extern IsaTable<BatchNormActLoops> batch_norm_act_loops;

}  // namespace espbench::kernels
