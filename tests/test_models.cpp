// Registry-driven specification of every model and block: builds, shapes, gradients, exact
// counts (golden values and the analytic twin against the op observer), published figures.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "harness/complexity/counter.h"
#include "modules/block_network.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using espbench::test::build;

namespace {

void require_same(const Complexity& a, const Complexity& b) {
  REQUIRE(a.params == b.params);
  REQUIRE(a.conv_macs == b.conv_macs);
  REQUIRE(a.linear_macs == b.linear_macs);
  REQUIRE(a.elementwise_ops == b.elementwise_ops);
}

std::vector<std::string> model_names() { return model_registry().names(); }
std::vector<std::string> block_names() { return block_registry().names(); }

std::string golden_path() { return test::source_dir() + "/tests/golden/complexity.json"; }

// A configuration and the image size it is counted at (C, H, W; empty: 3x224x224, 28x28 with
// small_input).
struct GoldenConfig {
  ModelSpec spec;
  std::vector<int64_t> input;
};

std::string golden_key(const std::string& name, const json& options, const std::vector<int64_t>& input = {}) {
  std::string key = name + " " + options.dump();
  if (!input.empty()) key += fmt::format(" @{}x{}x{}", input[0], input[1], input[2]);
  return key;
}

// The configurations whose exact counts are kept as golden values, by golden key: every model's
// defaults and every published figure (at its published size), and the small-input ESPNetv2 of training.
std::map<std::string, GoldenConfig> golden_configs() {
  std::map<std::string, GoldenConfig> out;
  auto add = [&](const std::string& name, const json& options, const std::vector<int64_t>& input = {}) {
    out.emplace(golden_key(name, options, input), GoldenConfig{ModelSpec{name, options}, input});
  };
  for (const auto& [name, e] : model_registry().all()) {
    add(name, json::object());
    for (const auto& f : e.published) add(name, f.options, f.input);
  }
  add("espnetv2", {{"small_input", true}, {"in_channels", 1}, {"num_classes", 10}});
  return out;
}

json read_golden() {
  std::ifstream in(golden_path());
  return in ? json::parse(in) : json::object();
}

// The registry's configurations and those of the golden file, each once: a configuration missing
// on either side is a case of its own, and fails.
std::vector<std::string> golden_case_keys() {
  std::set<std::string> keys;
  for (const auto& [key, _] : golden_configs()) keys.insert(key);
  const json golden = read_golden();
  for (const auto& [key, _] : golden.items()) keys.insert(key);
  return {keys.begin(), keys.end()};
}

// Counts by the op observer, REQUIREd equal to the analytic twin's, as stored in the golden file.
json observed_counts(const GoldenConfig& config) {
  ResolvedModel m = resolve_model(config.spec);
  auto net = build_model(m);
  const int64_t c = m.options.at("in_channels").get<int64_t>();
  const int64_t size = m.options.value("small_input", false) ? 28 : 224;
  const Shape in =
      config.input.empty() ? Shape{c, size, size} : Shape{config.input[0], config.input[1], config.input[2]};
  CountResult r = count_complexity(*net, {1, in.c, in.h, in.w});
  REQUIRE(m.entry->analytic);
  require_same(m.entry->analytic(m.options, in), r.per_image);
  return {{"params", r.per_image.params},
          {"conv_macs", r.per_image.conv_macs},
          {"linear_macs", r.per_image.linear_macs},
          {"elementwise_ops", r.per_image.elementwise_ops},
          {"params_unused", r.params_unused}};
}

}  // namespace

TEST_CASE("every model builds, runs, and back-propagates into every parameter that executes", "[models]") {
  const std::string name = GENERATE(from_range(model_names()));
  CAPTURE(name);
  auto net = build(name);
  net->train();
  auto x = torch::randn({2, 3, 224, 224});
  auto y = net->forward(x);
  const ResolvedModel m = resolve_model({name, {}});
  const auto classes = m.options.at("num_classes").get<int64_t>();
  if (m.entry->dense_output)
    REQUIRE(y.sizes() == torch::IntArrayRef({2, classes, 224, 224}));
  else
    REQUIRE(y.sizes() == torch::IntArrayRef({2, classes}));
  y.pow(2).mean().backward();

  CountResult counted = count_complexity(*net, {1, 3, 224, 224});
  std::set<std::string> unused(counted.unused_parameters.begin(), counted.unused_parameters.end());
  for (const auto& p : net->named_parameters()) {
    CAPTURE(p.key());
    const bool has_grad = p.value().grad().defined();
    // A parameter gets a gradient exactly when an executed op read it.
    REQUIRE(has_grad == (unused.count(p.key()) == 0));
  }
}

TEST_CASE("counts: op observer == analytic twin == golden values, exactly", "[models][golden]") {
  const std::string key = GENERATE(from_range(golden_case_keys()));
  CAPTURE(key);
  const bool update = std::getenv("ESPBENCH_UPDATE_GOLDEN") != nullptr;
  const auto configs = golden_configs();
  const auto config = configs.find(key);
  json golden = read_golden();
  if (update) {
    if (config == configs.end())
      golden.erase(key);
    else
      golden[key] = observed_counts(config->second);
    std::ofstream(golden_path()) << golden.dump(2) << "\n";
    return;
  }
  INFO("regenerate with ESPBENCH_UPDATE_GOLDEN=1 build/espbench_tests \"[golden]\" and review the diff");
  INFO("golden entry present: " << golden.contains(key)
                                << "; configuration in the registry: " << (config != configs.end()));
  REQUIRE(config != configs.end());
  REQUIRE(golden.contains(key));
  REQUIRE(observed_counts(config->second) == golden[key]);
}

TEST_CASE("published figures hold: exact parameters, MACs within the stated tolerance",
          "[models][published]") {
  for (const auto& [name, e] : model_registry().all()) {
    for (const auto& f : e.published) {
      CAPTURE(f.label, f.source);
      ResolvedModel m = resolve_model({name, f.options});
      Complexity c = e.analytic(
          m.options, f.input.empty() ? Shape{3, 224, 224} : Shape{f.input[0], f.input[1], f.input[2]});
      if (f.params) REQUIRE(c.params == *f.params);
      if (f.conv_macs_m) REQUIRE_THAT(c.conv_macs / 1e6, Catch::WithinRel(*f.conv_macs_m, f.rel_tol));
      if (f.conv_linear_macs_m)
        REQUIRE_THAT((c.conv_macs + c.linear_macs) / 1e6, Catch::WithinRel(*f.conv_linear_macs_m, f.rel_tol));
    }
  }
}

TEST_CASE("every block builds at the shapes it meets inside ESPNetv2 and counts agree", "[blocks]") {
  const std::string name = GENERATE(from_range(block_names()));
  CAPTURE(name);
  torch::NoGradGuard no_grad;
  int built = 0;
  for (const auto& s : espnetv2_block_shapes()) {
    CAPTURE(s.where);
    std::shared_ptr<BlockNetwork> net;
    try {
      net = std::make_shared<BlockNetwork>(name, s.args);
    } catch (const Error& e) {
      // A block may not support every width combination; it must then say so clearly.
      REQUIRE(std::string(e.what()).find(name) != std::string::npos);
      continue;
    }
    ++built;
    auto y = net->forward(torch::randn({1, s.args.in_channels, s.size, s.size}));
    const int64_t out = (s.size + s.args.stride - 1) / s.args.stride;
    REQUIRE(y.sizes() == torch::IntArrayRef({1, s.args.out_channels, out, out}));
    CountResult r = count_complexity(*net, {1, s.args.in_channels, s.size, s.size});
    Complexity a;
    Shape o =
        block_registry().at("block", name).analytic(a, net->args(), {s.args.in_channels, s.size, s.size});
    REQUIRE(o == Shape{s.args.out_channels, out, out});
    require_same(a, r.per_image);
  }
  REQUIRE(built > 0);
}
