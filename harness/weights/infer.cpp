#include "harness/weights/infer.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "harness/weights/npy.h"
#include "modules/error.h"
#include "modules/inference/fast_model.h"
#include "modules/layer_outputs.h"

namespace espbench::weights {

namespace {

// A batch of images for the resolved model: [N, C, H, W] with C = in_channels where it has one.
void check_input(const at::Tensor& x, const std::string& path, const ResolvedModel& m) {
  const std::string shape = fmt::format("[{}]", fmt::join(x.sizes(), ","));
  if (x.dim() != 4 || x.size(0) < 1 || x.size(2) < 1 || x.size(3) < 1)
    throw Error(fmt::format("{}: shape {}: an input is a batch of images [N, C, H, W] with N, H, W >= 1",
                            path, shape));
  if (m.options.contains("in_channels") && x.size(1) != m.options["in_channels"].get<int64_t>())
    throw Error(fmt::format("{}: shape {}: model '{}' takes {} channels (option in_channels)", path, shape,
                            m.entry->name, m.options["in_channels"].get<int64_t>()));
}

}  // namespace

InferResult run_infer(const InferRequest& req) {
  if (req.weights.empty()) throw Error("option --weights: a weight file is required");
  const ResolvedModel resolved = resolve_model(req.model);
  const FastParts parts = parse_fast_parts(req.fast, "--fast");
  at::Tensor x = req.input_tensor.defined() ? req.input_tensor : read_npy(req.input);
  check_input(x, req.input, resolved);
  InferResult r;
  r.model_options = resolved.options;
  NetworkPtr net = build_model(resolved);
  r.load = load_weights(*net, req.weights, LoadOptions{req.allow_missing});
  net->eval();
  bool channels_last = false;
  if (parts.any()) {
    FastResult fast = make_fast(resolved, *net, parts);
    net = fast.net;
    channels_last = fast.channels_last;
    r.fast_applied = fast.applied;
  }
  const torch::Device device(req.device);
  net->to(device);
  x = x.to(device);
  if (channels_last) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  at::Tensor y;
  {
    c10::InferenceMode guard;
    y = req.layer.empty() ? net->forward(x) : forward_to_layer(*net, x, req.layer, "--layer");
  }
  r.output = y.to(torch::kCPU, torch::kFloat).contiguous().clone();  // a normal tensor, not an inference one
  return r;
}

}  // namespace espbench::weights
