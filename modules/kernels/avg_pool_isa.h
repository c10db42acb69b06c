// The loops of the 3x3/s2 average pool (avg_pool.h), one build per instruction set
// (avg_pool_isa.cpp). Plain declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"

namespace espbench::kernels {

struct AvgPoolLoops {
  // Planes [begin, end) of in [batch, channels, h, w] (plane t = image t / channels, channel
  // t % channels) into out, images `stride` floats apart.
  void (*forward_range)(const float* in, int64_t channels, int64_t h, int64_t w, float* out, int64_t stride,
                        int64_t begin, int64_t end);
  // Planes [begin, end) of gy [planes, oh, ow] into gx [planes, h, w] (overwritten).
  void (*backward_range)(const float* gy, int64_t h, int64_t w, float* gx, int64_t begin, int64_t end);
};

extern IsaTable<AvgPoolLoops> avg_pool_loops;

}  // namespace espbench::kernels
