// Name -> {factory, option schema, analytic complexity, published figures} for networks and for
// the building blocks that fill the ESPNetv2 skeleton. A variant registers itself with one
// ESPBENCH_REGISTER_* line in its own file; `espbench list`, the tests and the benchmarks walk
// these registries, so nothing else needs editing when a variant is added.
#pragma once
#include <fmt/format.h>
#include <torch/nn/modules/container/any.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/analytic.h"
#include "modules/error.h"
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
  std::vector<int64_t> input;  // C, H, W it was published at; empty: 3x224x224
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
  // The option that scales the model's width (espnetv2 "scale", the baselines "width"): collect and
  // plot draw one line per family along it. Empty when the model has none.
  std::string width_option;
  // Module paths (prefixes) that the network builds but its forward pass never runs, for the given
  // resolved options; may be empty (none). Checked for every model by tests/test_module_contracts.cpp.
  std::function<std::vector<std::string>(const json& resolved)> never_run;
  // Whether forward returns per-pixel scores [N, num_classes, H, W] at the input's resolution
  // (segmentation) instead of [N, num_classes].
  bool dense_output = false;
};

// A registry of one kind of entry (blocks, models, data sets, schedules, fast forms), keyed by name.
// Names are unique: a second entry under a taken name is an error naming the registry, the name and
// where both entries came from. Registration runs in static initialisers, where an exception
// would end the program before main() with no readable message, so add() prints the error to stderr
// at once and every later use of the registry throws it (espbench::Error); try_add() throws
// directly. `names()` lists entries by their `list_rank` (when the entry type has one), then by
// name; `all()` is ordered by name.
template <typename Entry>
class Registry {
 public:
  // kind: "model", "block", ... (singular, used in messages); plural: "models" by default.
  explicit Registry(std::string kind, std::string plural = "")
      : kind_(std::move(kind)), plural_(plural.empty() ? kind_ + "s" : std::move(plural)) {}

  const std::string& kind() const { return kind_; }

  // Adds `e`; throws espbench::Error when its name is taken or empty. `origin` says where the
  // entry is defined (file:line; the registration macros fill it in).
  void try_add(Entry e, const std::string& origin = "") {
    check();
    std::string name = e.name;
    if (name.empty())
      throw Error(fmt::format("{} registry: an entry{} has an empty name", kind_, where(origin)));
    if (auto it = entries_.find(name); it != entries_.end())
      throw Error(fmt::format("{} registry: a second {} named '{}'{}; the first{}: names must be unique",
                              kind_, kind_, name, where(origin),
                              origins_[name].empty() ? " is already registered" : where(origins_[name])));
    origins_[name] = origin;
    entries_.emplace(name, std::move(e));
  }

  // For static initialisers (see above): never throws; false when the entry was rejected.
  bool add(Entry e, const std::string& origin = "") noexcept {
    try {
      try_add(std::move(e), origin);
      return true;
    } catch (const std::exception& ex) {
      if (pending_.empty()) pending_ = ex.what();
      std::fprintf(stderr, "espbench: error: %s\n", ex.what());
      return false;
    }
  }

  // Removes an entry (scoped registrations in tests); unknown names are ignored.
  void remove(const std::string& name) {
    entries_.erase(name);
    origins_.erase(name);
  }

  // The entry, or an error naming the unknown name, the closest match and the valid names.
  const Entry& at(const std::string& name) const {
    if (const Entry* e = find(name)) return *e;
    std::string hint = closest_match(name, names());
    throw Error(fmt::format("unknown {} '{}'{}; valid {}: {}", kind_, name,
                            hint.empty() ? "" : " (did you mean '" + hint + "'?)", plural_, join(names())));
  }
  // The same for callers that name the kind; messages use the registry's own kind.
  const Entry& at(const std::string& /*kind*/, const std::string& name) const { return at(name); }
  const Entry* find(const std::string& name) const {
    check();
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Entry>& all() const {
    check();
    return entries_;
  }
  std::vector<std::string> names() const {
    check();
    std::vector<const Entry*> order;
    for (const auto& kv : entries_) order.push_back(&kv.second);
    if constexpr (has_list_rank<Entry>::value)
      std::stable_sort(order.begin(), order.end(),
                       [](const Entry* a, const Entry* b) { return a->list_rank < b->list_rank; });
    std::vector<std::string> out;
    for (const Entry* e : order) out.push_back(e->name);
    return out;
  }
  // Where `name` was registered ("" when unknown or not given).
  std::string origin(const std::string& name) const {
    auto it = origins_.find(name);
    return it == origins_.end() ? "" : it->second;
  }

 private:
  template <typename E, typename = void>
  struct has_list_rank : std::false_type {};
  template <typename E>
  struct has_list_rank<E, std::void_t<decltype(std::declval<const E&>().list_rank)>> : std::true_type {};

  static std::string where(const std::string& origin) { return origin.empty() ? "" : " (" + origin + ")"; }
  void check() const {
    if (!pending_.empty()) throw Error(pending_);
  }

  std::string kind_, plural_;
  std::map<std::string, Entry> entries_;
  std::map<std::string, std::string> origins_;
  std::string pending_;  // the first rejected registration of a static initialiser
};

// Registers an entry for the lifetime of a scope and removes it afterwards (test-only variants).
template <typename Entry>
class ScopedRegistration {
 public:
  ScopedRegistration(Registry<Entry>& registry, Entry e, const std::string& origin = "")
      : registry_(registry), name_(e.name) {
    registry_.try_add(std::move(e), origin);
  }
  ~ScopedRegistration() { registry_.remove(name_); }
  ScopedRegistration(const ScopedRegistration&) = delete;
  ScopedRegistration& operator=(const ScopedRegistration&) = delete;

 private:
  Registry<Entry>& registry_;
  std::string name_;
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
// Builds the network; its make_twin builds another one from the same resolved spec (Network::clone).
NetworkPtr build_model(const ResolvedModel& m);

// Resolves a block's options against its schema and checks the shape combination.
BlockArgs resolve_block(const std::string& name, BlockArgs args);
torch::nn::AnyModule build_block(const std::string& name, const BlockArgs& resolved);

}  // namespace espbench

#define ESPBENCH_CONCAT_INNER(a, b) a##b
#define ESPBENCH_CONCAT(a, b) ESPBENCH_CONCAT_INNER(a, b)
#define ESPBENCH_STRINGIFY_INNER(x) #x
#define ESPBENCH_STRINGIFY(x) ESPBENCH_STRINGIFY_INNER(x)
#define ESPBENCH_ORIGIN __FILE__ ":" ESPBENCH_STRINGIFY(__LINE__)
// One registration line for any registry: REGISTRY is an expression returning the Registry&.
#define ESPBENCH_REGISTER(registry_expr, entry_expr)                  \
  static const bool ESPBENCH_CONCAT(espbench_registered_, __LINE__) = \
      (registry_expr).add(entry_expr, ESPBENCH_ORIGIN)
#define ESPBENCH_REGISTER_BLOCK(entry_expr) ESPBENCH_REGISTER(::espbench::block_registry(), entry_expr)
#define ESPBENCH_REGISTER_MODEL(entry_expr) ESPBENCH_REGISTER(::espbench::model_registry(), entry_expr)
