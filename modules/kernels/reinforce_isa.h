// The loops of the fused reinforcement epilogue (reinforce.h), one build per instruction set
// (reinforce_isa.cpp). Plain declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"
#include "modules/kernels/reinforce.h"

namespace espbench::kernels {

struct ReinforceLoops {
  // Planes [begin, end) (plane = image * channels + channel).
  void (*range)(const ReinforceArgs& a, int64_t begin, int64_t end);
};

extern IsaTable<ReinforceLoops> reinforce_loops;

}  // namespace espbench::kernels
