#include "modules/registry.h"

#include <fmt/format.h>

#include "modules/error.h"

namespace espbench {

Registry<BlockEntry>& block_registry() {
  static Registry<BlockEntry> r("block");
  return r;
}

Registry<ModelEntry>& model_registry() {
  static Registry<ModelEntry> r("model");
  return r;
}

ResolvedModel resolve_model(const ModelSpec& spec) {
  const ModelEntry& e = model_registry().at("model", spec.name);
  ResolvedModel m{&e, resolve_options("model '" + e.name + "'", e.schema, spec.options)};
  if (e.validate) e.validate(m.options);
  return m;
}

NetworkPtr build_model(const ResolvedModel& m) {
  NetworkPtr net = m.entry->build(m.options);
  net->make_twin = [m] { return build_model(m); };
  return net;
}

BlockArgs resolve_block(const std::string& name, BlockArgs args) {
  const BlockEntry& e = block_registry().at("block", name);
  args.options = resolve_options("block '" + name + "'", e.schema, args.options);
  if (args.in_channels <= 0 || args.out_channels <= 0)
    throw Error(fmt::format("block '{}': channels must be positive, got {} -> {}", name, args.in_channels,
                            args.out_channels));
  if (args.stride != 1 && args.stride != 2)
    throw Error(fmt::format("block '{}': stride must be 1 or 2, got {}", name, args.stride));
  if (args.branches < 1)
    throw Error(fmt::format("block '{}': branches (K) must be >= 1, got {}", name, args.branches));
  if (e.validate) e.validate(args);
  return args;
}

torch::nn::AnyModule build_block(const std::string& name, const BlockArgs& resolved) {
  return block_registry().at("block", name).build(resolved);
}

}  // namespace espbench
