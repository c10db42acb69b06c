// The loops of the decoder's resampling kernels (pyramid_pool.h), one build per instruction set
// (pyramid_pool_isa.cpp). Plain declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"
#include "modules/kernels/pyramid_pool.h"

namespace espbench::kernels {

struct PyramidPoolLoops {
  // Planes [begin, end) of pyramid_branches (plane = image * channels + channel).
  void (*branches_range)(const PyramidBranchesArgs& a, int64_t begin, int64_t end);
  // Planes [begin, end) of resize_bilinear.
  void (*resize_range)(const float* in, int64_t h, int64_t w, int64_t oh, int64_t ow, float* out,
                       int64_t begin, int64_t end);
};

extern IsaTable<PyramidPoolLoops> pyramid_pool_loops;

}  // namespace espbench::kernels
