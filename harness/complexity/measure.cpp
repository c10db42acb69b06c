#include "harness/complexity/measure.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "harness/complexity/counter.h"
#include "harness/report/context.h"
#include "modules/error.h"
#include "modules/registry.h"

namespace espbench {

json complexity_profiles(int64_t conv, int64_t linear) {
  return {
      {"espnetv2_paper", {{"macs", conv}, {"layers", "Conv2d only, as the official ESPNetv2 counter"}}},
      {"torchvision_fvcore",
       {{"macs", conv + linear}, {"layers", "Conv2d + Linear, as torchvision and fvcore"}}},
  };
}

namespace {

// Folds every row into its ancestor at `depth` path components (keeping first-execution order);
// the folded row keeps the ancestor's own type and call count.
std::vector<ModuleCost> merge_below_depth(const std::vector<ModuleCost>& rows, int64_t depth) {
  if (depth <= 0) return rows;
  std::vector<ModuleCost> out;
  std::map<std::string, size_t> index;
  for (const auto& row : rows) {
    // The prefix of `depth` dot-separated components.
    std::string key = row.module;
    size_t pos = std::string::npos;
    for (int64_t d = 0, from = 0; d < depth; ++d, from = static_cast<int64_t>(pos) + 1)
      if ((pos = key.find('.', static_cast<size_t>(from))) == std::string::npos) break;
    const bool folded = pos != std::string::npos;
    if (folded) key = key.substr(0, pos);
    auto it = index.find(key);
    if (it == index.end()) {
      index[key] = out.size();
      out.push_back(ModuleCost{key, folded ? "" : row.type, folded ? 0 : row.calls, {}, 0});
      it = index.find(key);
    } else if (!folded) {
      out[it->second].type = row.type, out[it->second].calls = row.calls;
    }
    out[it->second].cost += row.cost;
    out[it->second].padding_only_macs += row.padding_only_macs;
  }
  return out;
}

json complexity_json(const Complexity& c) {
  return {{"params", c.params},
          {"macs", {{"conv", c.conv_macs}, {"linear", c.linear_macs}}},
          {"elementwise_ops", c.elementwise_ops}};
}
}  // namespace

json measure_complexity(const ModelSpec& spec, const MeasureRequest& req) {
  ResolvedModel m = resolve_model(spec);
  if (m.options.contains("in_channels") && m.options.at("in_channels").get<int64_t>() != req.input[1])
    throw Error(
        fmt::format("option --input: the model '{}' takes {} input channels (option in_channels), "
                    "but the input has {}",
                    spec.name, m.options.at("in_channels").get<int64_t>(), req.input[1]));
  NetworkPtr net = build_model(m);
  net->to(torch::Device(req.device));
  CountResult r;
  try {
    r = count_complexity(*net, req.input);
  } catch (const c10::Error& e) {
    throw Error(fmt::format("model '{}' cannot run on input {}x{}x{}: {}", spec.name, req.input[1],
                            req.input[2], req.input[3], e.what_without_backtrace()));
  }
  const Complexity& c = r.per_image;
  json out = {
      {"schema_version", kSchemaVersion},
      {"kind", "measure"},
      {"model", {{"name", spec.name}, {"family", m.entry->family}, {"options", m.options}}},
      {"input", r.input},
      {"params", c.params},
      {"params_unused", r.params_unused},
      {"macs", {{"conv", c.conv_macs}, {"linear", c.linear_macs}, {"padding_only", r.padding_only_macs}}},
      {"elementwise_ops", c.elementwise_ops},
      {"profiles", complexity_profiles(c.conv_macs, c.linear_macs)},
      {"counting",
       {{"method", "ATen op observer over one real forward pass (eval mode, batch 1)"},
        {"macs_unit", "multiply-accumulates per image (flops = 2 x macs)"},
        {"padding_only",
         "part of macs.conv spent on kernel taps that read only zero padding at every output position "
         "(dilated taps reaching past a small map)"},
        {"elementwise_ops",
         "BatchNorm, activations, additions, bias adds: 1 per output element; pooling: window "
         "area per output element; adaptive/global average pool: 1 per input element"},
        {"params", "all registered parameters, also of modules that never run (params_unused)"}}},
  };
  if (m.entry->analytic) {
    Complexity a = m.entry->analytic(m.options, {req.input[1], req.input[2], req.input[3]});
    json aj = complexity_json(a);
    aj["agrees"] = a.params == c.params && a.conv_macs == c.conv_macs && a.linear_macs == c.linear_macs &&
                   a.elementwise_ops == c.elementwise_ops;
    out["analytic"] = aj;
  }
  if (req.breakdown) {
    json rows = json::array();
    for (const auto& row : merge_below_depth(r.breakdown, req.breakdown_depth))
      rows.push_back({{"module", row.module},
                      {"type", row.type},
                      {"calls", row.calls},
                      {"macs",
                       {{"conv", row.cost.conv_macs},
                        {"linear", row.cost.linear_macs},
                        {"padding_only", row.padding_only_macs}}},
                      {"elementwise_ops", row.cost.elementwise_ops}});
    out["breakdown"] = rows;
    out["breakdown_depth"] = req.breakdown_depth;
    out["uncounted_ops"] = r.uncounted_ops;
    out["unused_parameters"] = r.unused_parameters;
  }
  out["context"] = run_context(req.device);
  return out;
}

}  // namespace espbench
