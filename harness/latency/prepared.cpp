#include "harness/latency/prepared.h"

#include <fmt/format.h>

#include <cstdlib>

#include "harness/latency/latency.h"
#include "modules/error.h"
#include "modules/kernels/dispatch.h"
#include "modules/registry.h"

namespace espbench {

namespace {
std::string env_or_unset(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "unset";
}
}  // namespace

Prepared prepare(const ModelSpec& spec, const std::string& fast, int64_t batch,
                 const std::vector<int64_t>& input, const std::string& device, const std::string& fast_option,
                 const Network* trained) {
  Prepared p;
  const ResolvedModel resolved = resolve_model(spec);
  p.input_chw =
      input.empty() ? evaluation_input(resolved.options) : std::vector<int64_t>{input[1], input[2], input[3]};
  const Complexity cx =
      resolved.entry->analytic(resolved.options, Shape{p.input_chw[0], p.input_chw[1], p.input_chw[2]});
  p.macs_per_image = cx.conv_macs + cx.linear_macs;
  NetworkPtr plain = trained ? std::dynamic_pointer_cast<Network>(trained->clone(torch::Device(torch::kCPU)))
                             : build_model(resolved);
  plain->eval();
  p.parts = parse_fast_parts(fast, fast_option);
  p.net = plain;
  if (p.parts.any()) {
    p.fast = make_fast(resolved, *plain, p.parts);
    p.net = p.fast.net;
    const bool explicit_parts = fast != "default" && fast != "all";
    if (explicit_parts && !p.fast.skipped.empty()) {
      const auto first = p.fast.skipped.begin();
      throw Error(
          fmt::format("option {}: part '{}' has no effect on model '{}' ({}); use --fast for the "
                      "default parts (inapplicable ones are skipped and recorded) or drop it",
                      fast_option, first.key(), spec.name, first.value().get<std::string>()));
    }
  }
  torch::Device dev(device);
  p.net->to(dev);
  p.input = torch::randn({batch, p.input_chw[0], p.input_chw[1], p.input_chw[2]},
                         torch::TensorOptions().device(dev));
  if (p.fast.channels_last) p.input = p.input.contiguous(torch::MemoryFormat::ChannelsLast);
  {
    c10::InferenceMode guard;  // fails here, not inside the timing loop
    p.net->forward(p.input);
  }
  return p;
}

std::function<void()> inference(const Prepared& p) {
  return [net = p.net, x = p.input] {
    c10::InferenceMode guard;
    auto y = net->forward(x);
    if (y.is_cuda()) y.cpu();  // waits for the device
  };
}

json inference_record(const Prepared& p) {
  return {{"mode", "eval"},
          {"autograd", "off (c10::InferenceMode)"},
          {"dtype", "float32"},
          {"memory_format", p.fast.channels_last ? "channels_last" : "contiguous"},
          {"fast_requested", p.parts.names()},
          {"fast_applied", p.fast.applied},
          {"fast_skipped", p.fast.skipped},
          {"kernel_isa", kernels::kernel_isa()},
          // Read by libgomp and OpenBLAS at load time; they change latency on a shared machine.
          {"env",
           {{"OMP_WAIT_POLICY", env_or_unset("OMP_WAIT_POLICY")},
            {"OPENBLAS_CORETYPE", env_or_unset("OPENBLAS_CORETYPE")}}}};
}

}  // namespace espbench
