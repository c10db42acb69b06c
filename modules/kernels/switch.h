// One switch for espbench's native CPU kernels (depthwise.h, batch_norm_act.h): on by default;
// ESPBENCH_NATIVE_KERNELS=0 in the environment or set_native_kernels(false) sends every call to
// the equivalent LibTorch ops instead (to compare the two, or to rule the kernels out).
#pragma once

namespace espbench::kernels {

void set_native_kernels(bool enabled);
bool native_kernels_enabled();

}  // namespace espbench::kernels
