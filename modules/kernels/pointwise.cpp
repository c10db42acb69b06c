#include "modules/kernels/pointwise.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "modules/kernels/pointwise_isa.h"

namespace espbench::kernels {

IsaTable<PointwiseLoops> pointwise_loops("pointwise_conv");

PackedPointwise pack_pointwise(const float* w, int64_t out_channels, int64_t in_per_group, int64_t groups) {
  constexpr int64_t R = PackedPointwise::kRows;
  PackedPointwise p;
  p.groups = groups;
  p.out_per_group = out_channels / groups;
  p.in_per_group = in_per_group;
  const int64_t blocks = (p.out_per_group + R - 1) / R;
  p.data.assign(static_cast<size_t>(groups * blocks * in_per_group * R), 0.f);
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t m = 0; m < p.out_per_group; ++m)
      for (int64_t k = 0; k < in_per_group; ++k)
        p.data[static_cast<size_t>(((g * blocks + m / R) * in_per_group + k) * R + m % R)] =
            w[(g * p.out_per_group + m) * in_per_group + k];
  return p;
}

void pointwise_conv(const PointwiseArgs& a) {
  const PackedPointwise& p = *a.weight;
  const PointwiseLoops& loops = pointwise_loops.get();
  const int64_t nr = loops.tile_columns;
  PointwisePlan s{a.in,       a.batch,         a.plane,        p.data.data(),
                  p.groups,   p.out_per_group, p.in_per_group, a.bias,
                  a.residual, a.alpha,         a.out,          0,
                  0};
  // Tasks of whole tiles and about 32k multiply-adds each (or the whole plane); a thread takes at
  // least two, so that small convolutions stay on one thread.
  const int64_t macs_per_column = std::max<int64_t>(1, p.out_per_group * p.in_per_group);
  s.chunk = std::max<int64_t>(nr, 32768 / macs_per_column / nr * nr);
  s.chunk = std::min(s.chunk, (a.plane + nr - 1) / nr * nr);
  // Rounded down: the last task's columns never fall short of one tile, so that its overlapping
  // last tile stays inside its own columns.
  s.chunks = std::max<int64_t>(1, a.plane / s.chunk);
  const int64_t tasks = a.batch * p.groups * s.chunks;
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, s.chunk * macs_per_column));
  at::parallel_for(0, tasks, grain, [&](int64_t b, int64_t e) { loops.range(s, b, e); });
}

}  // namespace espbench::kernels
