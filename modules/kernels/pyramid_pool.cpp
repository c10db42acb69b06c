#include "modules/kernels/pyramid_pool.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "modules/kernels/pyramid_pool_isa.h"

namespace espbench::kernels {

IsaTable<PyramidPoolLoops> pyramid_pool_loops("pyramid_pool");

namespace {

// About 32k element operations per hand-off.
int64_t grain(int64_t work_per_plane) {
  return std::max<int64_t>(1, 32768 / std::max<int64_t>(1, work_per_plane));
}

}  // namespace

void pyramid_branches(const PyramidBranchesArgs& a) {
  int64_t work = 0;
  for (int64_t i = 0; i < a.branches; ++i)
    work += 12 * std::max(a.h * a.w, a.sizes[2 * i] * a.sizes[2 * i + 1]);
  const PyramidPoolLoops& loops = pyramid_pool_loops.get();
  at::parallel_for(0, a.batch * a.channels, grain(work),
                   [&](int64_t begin, int64_t end) { loops.branches_range(a, begin, end); });
}

void resize_bilinear(const float* in, int64_t planes, int64_t h, int64_t w, int64_t oh, int64_t ow,
                     float* out) {
  const PyramidPoolLoops& loops = pyramid_pool_loops.get();
  at::parallel_for(0, planes, grain(4 * oh * ow), [&](int64_t begin, int64_t end) {
    loops.resize_range(in, h, w, oh, ow, out, begin, end);
  });
}

}  // namespace espbench::kernels
