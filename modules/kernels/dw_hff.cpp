#include "modules/kernels/dw_hff.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "modules/kernels/dw_hff_isa.h"

namespace espbench::kernels {

IsaTable<DwHffLoops> dw_hff_loops("dw_dilated_hff");

namespace {

// Enough work per thread to be worth a hand-off (about 16k multiply-adds).
int64_t grain(int64_t work_per_task) {
  return std::max<int64_t>(1, 16384 / std::max<int64_t>(1, work_per_task));
}

}  // namespace

void dw_dilated_hff(const DwHffArgs& a) {
  const DwHffPlan plan{a.in,
                       a.batch,
                       a.n,
                       a.h,
                       a.w,
                       a.in_bias,
                       a.in_alpha,
                       a.weight,
                       a.dilations.data(),
                       static_cast<int64_t>(a.dilations.size()),
                       *std::max_element(a.dilations.begin(), a.dilations.end()),
                       a.stride,
                       a.hff,
                       a.out_scale,
                       a.out_shift,
                       a.out_alpha,
                       a.out,
                       a.oh,
                       a.ow};
  const int64_t tasks = a.batch * a.n;
  const int64_t work = plan.branches * a.oh * a.ow * 9;
  const DwHffLoops& loops = dw_hff_loops.get();
  at::parallel_for(0, tasks, grain(work),
                   [&](int64_t begin, int64_t end) { loops.dw_range(plan, begin, end); });
}

void bias_residual_prelu(float* y, int64_t batch, int64_t channels, int64_t plane, const float* bias,
                         const float* residual, const float* alpha) {
  const DwHffLoops& loops = dw_hff_loops.get();
  at::parallel_for(0, batch * channels, grain(plane * 4), [&](int64_t begin, int64_t end) {
    loops.epilogue_range(y, channels, plane, bias, residual, alpha, begin, end);
  });
}

}  // namespace espbench::kernels
