// Name -> {factory, option schema, analytic complexity, published figures} for networks and for
// the building blocks that fill the ESPNetv2 skeleton. A variant registers itself with one
// ESPBENCH_REGISTER_* line in its own file; `espbench list`, the tests and the benchmarks walk
// these registries, so nothing else needs editing when a variant is added.
#pragma once
#include <torch/nn/modules/container/any.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/analytic.h"
#include "modules/network.h"
#include "modules/options.h"

namespace espbench {

// What a block is asked to be: in_channels -> out_channels at 1/stride resolution (ceil), with the
// skeleton's branch count K and receptive-field limit r_lim (blocks that have no such notion ignore
// them), plus the block's own resolved options.
struct BlockArgs {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t stride = 1;
  int64_t branches = 4;
  int64_t r_lim = 13;
  json options = json::object();
};

struct BlockEntry {
  std::string name;
  std::string description;  // one line, cites the paper section
  OptionSchema schema;
  // Throws espbench::Error when the shape/option combination cannot be built (names the values).
  std::function<void(const BlockArgs&)> validate;
  std::function<torch::nn::AnyModule(const BlockArgs&)> build;
  // Analytic twin: adds the block's cost for one image of shape `in`, returns the output shape.
  std::function<Shape(Complexity&, const BlockArgs&, Shape in)> analytic;
};

// A published or canonical figure that a model must reproduce (used by tests and `list`).
struct PublishedFigure {
  std::string label;                         // e.g. "ESPNetv2 s=1.0"
  json options;                              // overrides on the defaults
  std::optional<int64_t> params;             // exact when given
  std::optional<double> conv_macs_m;         // millions, ESPNetv2-paper profile (conv only)
  std::optional<double> conv_linear_macs_m;  // millions, torchvision/fvcore profile
  double rel_tol = 0.0;                      // for the MAC figures
  std::string source;
};

struct ModelEntry {
  std::string name;
  std::string family;
  std::string description;
  OptionSchema schema;
  std::function<void(const json& resolved)> validate;  // cross-option checks; may be empty
  std::function<NetworkPtr(const json& resolved)> build;
  std::function<Complexity(const json& resolved, Shape in)> analytic;
  std::vector<PublishedFigure> published;
};

template <typename Entry>
class Registry {
 public:
  bool add(Entry e) {
    std::string name = e.name;
    entries_.emplace(name, std::move(e));
    return true;
  }
  const Entry& at(const std::string& kind, const std::string& name) const;
  const std::map<std::string, Entry>& all() const { return entries_; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : entries_) out.push_back(k);
    return out;
  }

 private:
  std::map<std::string, Entry> entries_;
};

Registry<BlockEntry>& block_registry();
Registry<ModelEntry>& model_registry();

// ModelSpec = name + options; resolve() validates every key and value and fills defaults.
struct ModelSpec {
  std::string name;
  json options = json::object();
};

struct ResolvedModel {
  const ModelEntry* entry = nullptr;
  json options;  // resolved: every option present
};

ResolvedModel resolve_model(const ModelSpec& spec);
NetworkPtr build_model(const ResolvedModel& m);

// Resolves a block's options against its schema and checks the shape combination.
BlockArgs resolve_block(const std::string& name, BlockArgs args);
torch::nn::AnyModule build_block(const std::string& name, const BlockArgs& resolved);

}  // namespace espbench

#define ESPBENCH_CONCAT_INNER(a, b) a##b
#define ESPBENCH_CONCAT(a, b) ESPBENCH_CONCAT_INNER(a, b)
#define ESPBENCH_REGISTER_BLOCK(entry_expr)                          \
  static const bool ESPBENCH_CONCAT(espbench_block_reg_, __LINE__) = \
      ::espbench::block_registry().add(entry_expr)
#define ESPBENCH_REGISTER_MODEL(entry_expr)                          \
  static const bool ESPBENCH_CONCAT(espbench_model_reg_, __LINE__) = \
      ::espbench::model_registry().add(entry_expr)
