// A model made ready for timing (shared by measure --latency and compare): resolved, built, in
// eval mode, transformed by --fast when asked, on its device, with its input, checked by one
// untimed forward pass outside the timing loop.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "modules/inference/fast_model.h"

namespace espbench {

struct ModelSpec;

struct Prepared {
  NetworkPtr net;
  FastResult fast;
  FastParts parts;
  torch::Tensor input;
  int64_t macs_per_image = 0;  // conv + linear MACs (analytic twin)
  std::vector<int64_t> input_chw;
};

// `input` is {1,C,H,W} or empty (evaluation resolution); `fast_option` names the flag in errors.
// `trained`, when given, is a network of `spec` whose weights are timed (a copy in eval mode; the
// network itself is not modified); otherwise a freshly initialised one is built.
Prepared prepare(const ModelSpec& spec, const std::string& fast, int64_t batch,
                 const std::vector<int64_t>& input, const std::string& device, const std::string& fast_option,
                 const Network* trained = nullptr);

// One inference under c10::InferenceMode (synchronises a CUDA device).
std::function<void()> inference(const Prepared& p);

// The `inference` record of a report: mode, autograd, dtype, layout, fast parts.
json inference_record(const Prepared& p);

}  // namespace espbench
