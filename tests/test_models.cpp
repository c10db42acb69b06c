// Registry-driven specification of every model and block: builds, shapes, gradients, exact
// counts (golden values and the analytic twin against the op observer), published figures.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

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

// The configurations whose exact counts are kept as golden values: every model's defaults and
// every published figure, at 3x224x224.
std::vector<std::pair<std::string, json>> golden_configs() {
  std::vector<std::pair<std::string, json>> out;
  for (const auto& [name, e] : model_registry().all()) {
    out.push_back({name, json::object()});
    for (const auto& f : e.published) out.push_back({name, f.options});
  }
  out.push_back({"espnetv2", {{"small_input", true}, {"in_channels", 1}, {"num_classes", 10}}});
  return out;
}

std::string golden_key(const std::string& name, const json& options) { return name + " " + options.dump(); }

}  // namespace

TEST_CASE("every model builds, runs, and back-propagates into every parameter that executes", "[models]") {
  const std::string name = GENERATE(from_range(model_names()));
  CAPTURE(name);
  auto net = build(name);
  net->train();
  auto x = torch::randn({2, 3, 224, 224});
  auto y = net->forward(x);
  const auto classes = resolve_model({name, {}}).options.at("num_classes").get<int64_t>();
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
  const bool update = std::getenv("ESPBENCH_UPDATE_GOLDEN") != nullptr;
  json golden = json::object();
  {
    std::ifstream in(golden_path());
    if (in) golden = json::parse(in);
  }
  json fresh = json::object();
  for (const auto& [name, options] : golden_configs()) {
    CAPTURE(name, options.dump());
    ResolvedModel m = resolve_model({name, options});
    auto net = build_model(m);
    const int64_t c = m.options.at("in_channels").get<int64_t>();
    const int64_t size = m.options.value("small_input", false) ? 28 : 224;
    CountResult r = count_complexity(*net, {1, c, size, size});
    REQUIRE(m.entry->analytic);
    require_same(m.entry->analytic(m.options, {c, size, size}), r.per_image);
    const std::string key = golden_key(name, options);
    fresh[key] = {{"params", r.per_image.params},
                  {"conv_macs", r.per_image.conv_macs},
                  {"linear_macs", r.per_image.linear_macs},
                  {"elementwise_ops", r.per_image.elementwise_ops},
                  {"params_unused", r.params_unused}};
    if (!update) {
      if (!golden.contains(key)) {
        WARN("no golden value for " << key
                                    << " (new variant?): regenerate with "
                                       "ESPBENCH_UPDATE_GOLDEN=1 build/espbench_tests \"[golden]\"");
        continue;
      }
      REQUIRE(fresh[key] == golden[key]);
    }
  }
  if (update) {
    std::ofstream(golden_path()) << fresh.dump(2) << "\n";
    WARN("wrote " << golden_path());
  }
}

TEST_CASE("published figures hold: exact parameters, MACs within the stated tolerance",
          "[models][published]") {
  for (const auto& [name, e] : model_registry().all()) {
    for (const auto& f : e.published) {
      CAPTURE(f.label, f.source);
      ResolvedModel m = resolve_model({name, f.options});
      Complexity c = e.analytic(m.options, {3, 224, 224});
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
