#include "modules/kernels/reinforce.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "modules/kernels/reinforce_isa.h"

namespace espbench::kernels {

IsaTable<ReinforceLoops> reinforce_loops("reinforce_prelu");

void reinforce_prelu(const ReinforceArgs& a) {
  const ReinforceLoops& loops = reinforce_loops.get();
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, a.plane * (a.k + 2)));
  at::parallel_for(0, a.batch * a.channels, grain,
                   [&](int64_t begin, int64_t end) { loops.range(a, begin, end); });
}

}  // namespace espbench::kernels
