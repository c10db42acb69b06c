#include "modules/registry.h"

#include <fmt/format.h>

#include "modules/error.h"

namespace espbench {

template <typename Entry>
const Entry& Registry<Entry>::at(const std::string& kind, const std::string& name) const {
  auto it = entries_.find(name);
  if (it != entries_.end()) return it->second;
  std::string hint = closest_match(name, names());
  throw Error(fmt::format("unknown {} '{}'{}; valid {}s: {}", kind, name,
                          hint.empty() ? "" : " (did you mean '" + hint + "'?)", kind, join(names())));
}

template class Registry<BlockEntry>;
template class Registry<ModelEntry>;

Registry<BlockEntry>& block_registry() {
  static Registry<BlockEntry> r;
  return r;
}

Registry<ModelEntry>& model_registry() {
  static Registry<ModelEntry> r;
  return r;
}

ResolvedModel resolve_model(const ModelSpec& spec) {
  const ModelEntry& e = model_registry().at("model", spec.name);
  ResolvedModel m{&e, resolve_options("model '" + e.name + "'", e.schema, spec.options)};
  if (e.validate) e.validate(m.options);
  return m;
}

NetworkPtr build_model(const ResolvedModel& m) { return m.entry->build(m.options); }

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
