// The four baseline families (ESPNetv2 spec 5): networks at canonical and small-input settings,
// their blocks at the ESPNetv2 widths, channel shuffle, published figures and option errors.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "modules/blocks/shufflenet_units.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using espbench::test::param_count;

namespace {

Complexity analytic(const std::string& name, const json& options, Shape in) {
  ResolvedModel m = resolve_model({name, options});
  return m.entry->analytic(m.options, in);
}

const json kSmall = {{"small_input", true}, {"in_channels", 1}, {"num_classes", 10}};

}  // namespace

TEST_CASE("baselines build canonical networks whose analytic params match the modules", "[baselines]") {
  torch::NoGradGuard no_grad;
  using Case = std::pair<std::string, json>;
  const Case c = GENERATE(
      Case{"mobilenet_v1", {}}, Case{"mobilenet_v2", {}}, Case{"shufflenet_v1", {}},
      Case{"shufflenet_v2", {}}, Case{"mobilenet_v1", {{"width", 0.25}}},
      Case{"mobilenet_v2", {{"width", 0.35}}}, Case{"shufflenet_v1", {{"groups", 8}, {"width", 0.5}}},
      Case{"shufflenet_v1", {{"groups", 1}, {"width", 0.7}}}, Case{"shufflenet_v2", {{"width", 0.5}}});
  const auto& [name, options] = c;
  CAPTURE(name, options.dump());
  auto net = test::build(name, options);
  net->eval();
  REQUIRE(analytic(name, options, {3, 224, 224}).params == param_count(*net));
  SECTION("224 px input gives 1000 logits") {
    REQUIRE(net->forward(torch::randn({1, 3, 224, 224})).sizes() == torch::IntArrayRef({1, 1000}));
  }
  SECTION("the analytic twin matches what a 224 px forward pass executes, exactly") {
    CountResult r = count_complexity(*net, {1, 3, 224, 224});
    Complexity a = analytic(name, options, {3, 224, 224});
    REQUIRE(a.conv_macs == r.per_image.conv_macs);
    REQUIRE(a.linear_macs == r.per_image.linear_macs);
    REQUIRE(a.elementwise_ops == r.per_image.elementwise_ops);
  }
}

TEST_CASE("baselines run on 28 px one-channel images with small_input", "[baselines]") {
  torch::NoGradGuard no_grad;
  const std::string name = GENERATE("mobilenet_v1", "mobilenet_v2", "shufflenet_v1", "shufflenet_v2");
  CAPTURE(name);
  auto net = test::build(name, kSmall);
  REQUIRE(net->forward(torch::randn({2, 1, 28, 28})).sizes() == torch::IntArrayRef({2, 10}));
  SECTION("weights get the torchvision initialisation (LibTorch's default would leave fc bias non-zero)") {
    for (const auto& p : net->named_parameters())
      if (p.key() == "fc.bias") REQUIRE(p.value().abs().max().item<double>() == 0.0);
    REQUIRE_THAT(net->named_parameters()["fc.weight"].std().item<double>(), Catch::WithinAbs(0.01, 0.002));
  }
  SECTION("the analytic twin matches what the forward pass executes, exactly") {
    CountResult r = count_complexity(*net, {1, 1, 28, 28});
    Complexity a = analytic(name, kSmall, {1, 28, 28});
    REQUIRE(a.params == param_count(*net));
    REQUIRE(a.params == r.per_image.params);
    REQUIRE(a.conv_macs == r.per_image.conv_macs);
    REQUIRE(a.linear_macs == r.per_image.linear_macs);
    REQUIRE(a.elementwise_ops == r.per_image.elementwise_ops);
    REQUIRE(r.params_unused == 0);
  }
  SECTION("small_input only changes the stem: same parameters as the canonical network") {
    const json canonical = {{"in_channels", 1}, {"num_classes", 10}};
    REQUIRE(analytic(name, kSmall, {1, 28, 28}).params == analytic(name, canonical, {1, 224, 224}).params);
  }
}

TEST_CASE("baselines reproduce the published figures", "[baselines]") {
  SECTION("torchvision's exact parameter counts") {
    REQUIRE(analytic("mobilenet_v2", {}, {3, 224, 224}).params == 3504872);
    REQUIRE(analytic("shufflenet_v2", {{"width", 0.5}}, {3, 224, 224}).params == 1366792);
    REQUIRE(analytic("shufflenet_v2", {{"width", 1.0}}, {3, 224, 224}).params == 2278604);
    REQUIRE(analytic("shufflenet_v2", {{"width", 1.5}}, {3, 224, 224}).params == 3503624);
    REQUIRE(analytic("shufflenet_v2", {{"width", 2.0}}, {3, 224, 224}).params == 7393996);
  }
  SECTION("every registered figure of the four families") {
    int checked = 0;
    for (const char* name : {"mobilenet_v1", "mobilenet_v2", "shufflenet_v1", "shufflenet_v2"}) {
      const ModelEntry& e = model_registry().at("model", name);
      REQUIRE(e.family == name);
      REQUIRE_FALSE(e.published.empty());
      for (const auto& f : e.published) {
        CAPTURE(f.label, f.source);
        Complexity c = analytic(name, f.options, {3, 224, 224});
        if (f.params) REQUIRE(c.params == *f.params);
        REQUIRE(f.conv_linear_macs_m);
        REQUIRE_THAT((c.conv_macs + c.linear_macs) / 1e6, Catch::WithinRel(*f.conv_linear_macs_m, f.rel_tol));
        ++checked;
      }
    }
    REQUIRE(checked >= 19);
  }
  SECTION("the acceptance list, independently of the registered figures") {
    auto macs_m = [](const std::string& name, const json& o) {
      Complexity c = analytic(name, o, {3, 224, 224});
      return (c.conv_macs + c.linear_macs) / 1e6;
    };
    const std::vector<std::tuple<std::string, json, double>> cases = {
        {"mobilenet_v1", {{"width", 1.0}}, 569},
        {"mobilenet_v1", {{"width", 0.75}}, 325},
        {"mobilenet_v1", {{"width", 0.5}}, 149},
        {"mobilenet_v1", {{"width", 0.25}}, 41},
        {"mobilenet_v2", {{"width", 1.0}}, 300},
        {"shufflenet_v2", {{"width", 0.5}}, 41},
        {"shufflenet_v2", {{"width", 1.0}}, 146},
        {"shufflenet_v2", {{"width", 1.5}}, 299},
        {"shufflenet_v2", {{"width", 2.0}}, 591},
        {"shufflenet_v1", {{"groups", 3}, {"width", 0.5}}, 38},
        {"shufflenet_v1", {{"groups", 3}, {"width", 1.0}}, 140},
        {"shufflenet_v1", {{"groups", 3}, {"width", 2.0}}, 524}};
    for (const auto& [name, o, published] : cases) {
      CAPTURE(name, o.dump());
      REQUIRE_THAT(macs_m(name, o), Catch::WithinRel(published, 0.02));
    }
  }
}

TEST_CASE("baseline blocks build at the ESPNetv2 widths with matching analytic twins", "[baselines]") {
  torch::NoGradGuard no_grad;
  const std::string name =
      GENERATE("shufflenet_v1_unit", "shufflenet_v2_unit", "mobilenet_v1_unit", "mobilenet_v2_unit");
  CAPTURE(name);
  const std::vector<std::pair<int64_t, int64_t>> widths = {{32, 2},  {64, 2},  {128, 1}, {128, 2},
                                                           {256, 1}, {256, 2}, {512, 1}};
  for (const auto& [ch, stride] : widths) {
    CAPTURE(ch, stride);
    BlockArgs args;
    args.in_channels = args.out_channels = ch;
    args.stride = stride;
    args = resolve_block(name, args);
    auto block = build_block(name, args);
    const int64_t size = 7;  // odd, so that the ceil(H / stride) contract is exercised
    auto y = block.forward(torch::randn({1, ch, size, size}));
    const int64_t out = (size + stride - 1) / stride;
    REQUIRE(y.sizes() == torch::IntArrayRef({1, ch, out, out}));
    Complexity c;
    REQUIRE(block_registry().at("block", name).analytic(c, args, {ch, size, size}) == Shape{ch, out, out});
    REQUIRE(c.params == param_count(*block.ptr()));
    REQUIRE(param_count(*block.ptr()->clone()) == c.params);
  }
}

TEST_CASE("the ShuffleNet v1 unit follows the paper's stride-2 concatenation", "[baselines]") {
  torch::NoGradGuard no_grad;
  ShuffleNetV1Unit unit(ShuffleNetV1UnitOptions(24, 240).stride(2).groups(3).first_group_conv(false));
  auto x = torch::rand({1, 24, 8, 8});
  auto y = unit->forward(x);
  REQUIRE(y.sizes() == torch::IntArrayRef({1, 240, 4, 4}));
  // The first `in` channels are the average-pooled input (non-negative input: ReLU keeps it).
  // Both sides run the same pooling, so they agree to rounding at most (pooled values lie in
  // [0, 1): 1e-8 relative is under 1e-8 absolute).
  auto pooled = torch::avg_pool2d(x, 3, 2, 1);
  test::require_close(y.narrow(1, 0, 24), pooled, 1e-8, "pooled channels");
  REQUIRE(unit->compress->options.groups() == 1);
  REQUIRE(unit->expand->options.out_channels() == 216);
}

TEST_CASE("channel shuffle interleaves the groups", "[baselines]") {
  auto x = torch::arange(6, torch::kFloat).view({1, 6, 1, 1});
  auto order = [](const torch::Tensor& t) {
    auto flat = t.flatten().to(torch::kLong);
    return std::vector<int64_t>(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
  };
  REQUIRE(order(shuffle_channels(x, 2)) == std::vector<int64_t>{0, 3, 1, 4, 2, 5});
  REQUIRE(order(shuffle_channels(x, 3)) == std::vector<int64_t>{0, 2, 4, 1, 3, 5});
  REQUIRE(order(shuffle_channels(x, 1)) == std::vector<int64_t>{0, 1, 2, 3, 4, 5});
  REQUIRE_THROWS_AS(shuffle_channels(x, 4), Error);
}

TEST_CASE("invalid baseline options fail with a message naming the option", "[baselines]") {
  auto resolve = [](const std::string& name, const json& o) { return resolve_model({name, o}); };
  REQUIRE_THROWS_WITH(resolve("shufflenet_v2", {{"width", 0.75}}),
                      Catch::Contains("'width'") && Catch::Contains("0.5, 1.0, 1.5, 2.0"));
  REQUIRE_THROWS_WITH(resolve("mobilenet_v1", {{"width", -1}}), Catch::Contains("'width'"));
  REQUIRE_THROWS_WITH(resolve("mobilenet_v2", {{"width", 2.0}}), Catch::Contains("'width'"));
  REQUIRE_THROWS_WITH(resolve("shufflenet_v1", {{"groups", 5}}),
                      Catch::Contains("'groups'") && Catch::Contains("1, 2, 3, 4, 8"));
  REQUIRE_THROWS_AS(resolve("mobilenet_v2", {{"dropout", 1.5}}), Error);
  REQUIRE_THROWS_AS(analytic("mobilenet_v1", {}, {1, 224, 224}), Error);

  auto block = [](const std::string& name, int64_t in, int64_t out, int64_t stride, const json& o) {
    BlockArgs a;
    a.in_channels = in, a.out_channels = out, a.stride = stride, a.options = o;
    return resolve_block(name, a);
  };
  REQUIRE_THROWS_WITH(block("shufflenet_v1_unit", 32, 32, 2, {{"stride2_shortcut", "avg_concat"}}),
                      Catch::Contains("out_channels must exceed in_channels"));
  REQUIRE_THROWS_WITH(block("shufflenet_v1_unit", 32, 32, 1, {{"groups", 3}}),
                      Catch::Contains("groups 3") && Catch::Contains("1, 2, 4, 8"));
  REQUIRE_THROWS_WITH(block("shufflenet_v1_unit", 32, 64, 1, json::object()),
                      Catch::Contains("in_channels must equal"));
  REQUIRE_THROWS_WITH(block("shufflenet_v2_unit", 32, 64, 1, json::object()),
                      Catch::Contains("in_channels must equal"));
  REQUIRE_THROWS_WITH(block("shufflenet_v2_unit", 32, 33, 2, json::object()), Catch::Contains("even"));
  REQUIRE_THROWS_WITH(block("mobilenet_v2_unit", 32, 32, 1, {{"expand_ratio", 0}}),
                      Catch::Contains("'expand_ratio'"));
  SECTION("the paper's concatenating unit is still available where it can widen") {
    BlockArgs a = block("shufflenet_v1_unit", 32, 64, 2, {{"stride2_shortcut", "avg_concat"}});
    auto m = build_block("shufflenet_v1_unit", a);
    REQUIRE(m.forward(torch::rand({1, 32, 8, 8})).sizes() == torch::IntArrayRef({1, 64, 4, 4}));
  }
}
