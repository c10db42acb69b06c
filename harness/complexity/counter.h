// Exact complexity of a model, measured from the ops a real forward pass executes.
//
// A thread-local LibTorch RecordFunction observer sees every ATen op the forward dispatches (in
// grad mode, under NoGradGuard and under InferenceMode alike) and counts, per image:
//   conv_macs        aten conv ops: output elements x (Cin/groups) x kh x kw
//   linear_macs      aten::linear / addmm / mm / matmul / bmm: output elements x reduction size
//   elementwise_ops  BatchNorm, activations, additions and bias adds (1 per output element),
//                    pooling windows (kh x kw per output element), adaptive/mean pooling (1 per
//                    input element) — never mixed into the MACs
//   padding_only_macs  the part of conv_macs spent on kernel taps that read only zero padding at
//                    every output position (a dilated 3x3 whose dilation reaches past a small map:
//                    its off-centre taps never see the image, so it computes a 1x1 conv while
//                    being charged 9x); exact per tap and separable per axis
// Only the outermost counted op of a nest is counted (aten::conv2d -> aten::convolution -> ...
// counts once). Ops that only move data (cat, views, shuffles, dropout) count zero and are listed
// in `uncounted_ops`. Parameters: every registered parameter; those no executed op read are
// reported as unused (ESPNetv2 builds some that never run). The model is not changed: it runs in
// eval mode on a constant input, and its training flag is restored.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "modules/analytic.h"

namespace espbench {

class Network;

struct ModuleCost {
  std::string module;             // path in the model, e.g. "level3.0"; "(model)" for the root
  std::string type;               // C++ class of the module
  int64_t calls = 0;              // forward calls observed
  Complexity cost;                // ops executed directly in this module's scope (not in scoped children)
  int64_t padding_only_macs = 0;  // part of cost.conv_macs: taps that read only padding
};

struct CountResult {
  std::vector<int64_t> input;     // [N, C, H, W] that was run
  Complexity per_image;           // params: all registered parameters
  int64_t padding_only_macs = 0;  // part of per_image.conv_macs (see above)
  int64_t params_unused = 0;
  std::vector<std::string> unused_parameters;
  std::vector<ModuleCost> breakdown;             // in order of first execution
  std::map<std::string, int64_t> uncounted_ops;  // op name -> calls
};

// Runs one forward pass of a constant [N,C,H,W] input on the model's device and counts it.
CountResult count_complexity(Network& model, const std::vector<int64_t>& input_nchw);

}  // namespace espbench
