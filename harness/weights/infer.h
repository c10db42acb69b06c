// `espbench infer`: a registered model with weights from a file (state_dict.h), in eval mode,
// optionally through the --fast transform, run on one input tensor read from a .npy file; the
// result is the model's output or the output of one named layer (modules/layer_outputs.h).
// Everything is checked and computed before the caller writes anything.
#pragma once
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "harness/weights/state_dict.h"
#include "modules/registry.h"

namespace espbench::weights {

struct InferRequest {
  ModelSpec model;
  std::string weights;  // required: a .pth or an espbench checkpoint
  bool allow_missing = false;
  std::string fast;         // "" plain; else a --fast value (modules/inference/fast_model.h)
  std::string input;        // .npy, float32 [N, C, H, W]
  at::Tensor input_tensor;  // used instead of reading `input` when defined (`input` then names it)
  std::string layer;        // "" the model's output
  std::string device = "cpu";
};

struct InferResult {
  at::Tensor output;  // float32, CPU, contiguous
  LoadReport load;
  json model_options;  // resolved
  json fast_applied = json::array();
};

InferResult run_infer(const InferRequest& request);

}  // namespace espbench::weights
