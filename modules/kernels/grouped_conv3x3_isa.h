// The loops of the fused grouped 3x3 convolution (grouped_conv3x3.h), one build per instruction
// set (grouped_conv3x3_isa.cpp). Plain declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"
#include "modules/kernels/grouped_conv3x3.h"

namespace espbench::kernels {

struct GroupedConv3x3Loops {
  // Tasks [begin, end) (task = image * groups + group); a.group_stride resolved.
  void (*range)(const GroupedConv3x3Args& a, int64_t begin, int64_t end);
};

extern IsaTable<GroupedConv3x3Loops> grouped_conv3x3_loops;

}  // namespace espbench::kernels
