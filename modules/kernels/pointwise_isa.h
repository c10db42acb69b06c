// The loops of the grouped 1x1 GEMM (pointwise.h), one build per instruction set
// (pointwise_isa.cpp). Plain data and declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"

namespace espbench::kernels {

// One pointwise_conv() call as plain data: PointwiseArgs with the packed weight's fields, and how
// each (image, group) plane is split into tasks.
struct PointwisePlan {
  const float* in;
  int64_t batch, plane;
  const float* weight;  // PackedPointwise::data
  int64_t groups, out_per_group, in_per_group;
  const float* bias;
  const float* residual;
  const float* alpha;
  float* out;
  int64_t chunk, chunks;  // columns per task (the last task takes the rest), tasks per (image, group)
};

struct PointwiseLoops {
  int64_t tile_columns;  // output columns of the widest register tile
  // Tasks [begin, end) (task = (image * groups + group) * chunks + chunk).
  void (*range)(const PointwisePlan& a, int64_t begin, int64_t end);
};

extern IsaTable<PointwiseLoops> pointwise_loops;

}  // namespace espbench::kernels
