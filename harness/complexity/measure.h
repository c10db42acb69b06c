// `espbench measure` as a library call: resolve a ModelSpec, build it, count it with the op
// observer and its analytic twin, and return the versioned JSON object the CLI prints.
#pragma once
#include <vector>

#include "modules/options.h"

namespace espbench {

struct ModelSpec;

struct MeasureRequest {
  std::vector<int64_t> input{1, 3, 224, 224};  // [N,C,H,W]; N is always 1 for counting
  std::string device = "cpu";
  bool breakdown = false;
  // Breakdown rows merge modules below this depth of the module path ("level3.0.proj_1x1" has
  // depth 3); 0 keeps every scoped module.
  int64_t breakdown_depth = 2;
};

// Throws espbench::Error for an unknown model, option or invalid value.
json measure_complexity(const ModelSpec& spec, const MeasureRequest& req);

// The profiles' names and the layers each counts (one place, reused by reports and plots).
json complexity_profiles(int64_t conv_macs, int64_t linear_macs);

}  // namespace espbench
