#include "modules/kernels/grouped_conv3x3.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "modules/kernels/grouped_conv3x3_isa.h"

namespace espbench::kernels {

IsaTable<GroupedConv3x3Loops> grouped_conv3x3_loops("grouped_conv3x3");

void grouped_conv3x3(const GroupedConv3x3Args& args) {
  GroupedConv3x3Args a = args;
  if (a.group_stride < 0) a.group_stride = a.in_channels / a.groups;
  const int64_t work = (a.out_channels / a.groups) * (a.in_channels / a.groups) * 9 * a.h * a.w;
  const GroupedConv3x3Loops& loops = grouped_conv3x3_loops.get();
  at::parallel_for(0, a.batch * a.groups, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, work)),
                   [&](int64_t begin, int64_t end) { loops.range(a, begin, end); });
}

}  // namespace espbench::kernels
