// The fused reinforcement epilogue's loops for one instruction set (isa.h).
#include "modules/kernels/reinforce_isa.h"

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

void range(const ReinforceArgs& a, int64_t begin, int64_t end) {
  for (int64_t t = begin; t < end; ++t) {
    const int64_t image = t / a.channels, c = t % a.channels;
    float* __restrict y = a.y + t * a.plane;
    const float* r = a.r + image * a.k * a.plane;
    const float* w = a.weight + c * a.k;
    const float b = a.bias ? a.bias[c] : 0.f, al = a.alpha[c];
    // Up to four reinforcement channels, the missing ones read channel 0 with weight 0.
    const float w0 = w[0], w1 = a.k > 1 ? w[1] : 0.f, w2 = a.k > 2 ? w[2] : 0.f, w3 = a.k > 3 ? w[3] : 0.f;
    const float* __restrict r0 = r;
    const float* __restrict r1 = a.k > 1 ? r + a.plane : r;
    const float* __restrict r2 = a.k > 2 ? r + 2 * a.plane : r;
    const float* __restrict r3 = a.k > 3 ? r + 3 * a.plane : r;
    for (int64_t q = 0; q < a.plane; ++q)
      y[q] = prelu1(y[q] + b + w0 * r0[q] + w1 * r1[q] + w2 * r2[q] + w3 * r3[q], al);
  }
}

const ReinforceLoops loops{range};
[[maybe_unused]] const bool registered = (reinforce_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
