// The complexity counter: right for grouped, depth-wise, dilated and strided convs; counts what
// executes; identical in every autograd mode; no side effects.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "modules/scope.h"
#include "tests/test_support.h"

using namespace espbench;

namespace {

// conv (used twice), a conv that never runs, BN, ReLU, add, avg-pool, global pool, linear.
class Toy : public Network {
 public:
  Toy() {
    a = register_module(
        "a",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 16, 3).stride(2).padding(2).dilation(2).groups(4)));
    dw = register_module(
        "dw", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 16, 3).padding(1).groups(16).bias(false)));
    dead = register_module("dead", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 16, 1)));
    bn = register_module("bn", torch::nn::BatchNorm2d(16));
    fc = register_module("fc", torch::nn::Linear(16, 5));
  }
  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    auto y = a->forward(x);               // 16 x 5 x 5 for a 9x9 input
    y = dw->forward(dw->forward(y));      // run twice: counts twice
    y = torch::relu(bn->forward(y)) + y;  // BN, ReLU, add
    y = torch::avg_pool2d(y, 3, 1, 1);    // 9 ops per output element
    y = torch::adaptive_avg_pool2d(y, {1, 1}).flatten(1);
    return fc->forward(y);
  }
  torch::nn::Conv2d a{nullptr}, dw{nullptr}, dead{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  torch::nn::Linear fc{nullptr};
};

// Hand-computed expectations for a 1x8x9x9 input.
constexpr int64_t kOut = 16 * 5 * 5;
constexpr int64_t kConvA = kOut * (8 / 4) * 9;  // grouped, strided, dilated
constexpr int64_t kConvDw = 2 * kOut * 1 * 9;   // depth-wise, executed twice
constexpr int64_t kLinear = 16 * 5;
constexpr int64_t kElementwise = kOut /*bias of a*/ + kOut /*bn*/ + kOut /*relu*/ + kOut /*add*/ +
                                 kOut * 9 /*avg pool*/ + kOut /*global pool reads*/ + 5 /*fc bias*/;

}  // namespace

TEST_CASE("counter: exact MACs for grouped/depth-wise/dilated/strided convs, repeats and dead modules",
          "[counter]") {
  Toy toy;
  CountResult r = count_complexity(toy, {1, 8, 9, 9});
  REQUIRE(r.per_image.conv_macs == kConvA + kConvDw);
  REQUIRE(r.per_image.linear_macs == kLinear);
  REQUIRE(r.per_image.elementwise_ops == kElementwise);
  REQUIRE(r.per_image.params == test::param_count(toy));
  // The dead conv's weight and bias are registered but never read.
  REQUIRE(r.params_unused == 16 * 16 + 16);
  REQUIRE(r.unused_parameters == std::vector<std::string>{"dead.weight", "dead.bias"});

  SECTION("per-image counts do not depend on the batch") {
    CountResult r4 = count_complexity(toy, {4, 8, 9, 9});
    REQUIRE(r4.per_image.conv_macs == r.per_image.conv_macs);
    REQUIRE(r4.per_image.elementwise_ops == r.per_image.elementwise_ops);
  }
}

TEST_CASE("counter: identical under grad mode, NoGradGuard and InferenceMode; no side effects", "[counter]") {
  auto net = test::build("espnetv2", {{"scale", 0.5}});
  net->train();
  std::vector<torch::Tensor> before;
  for (const auto& t : net->parameters()) before.push_back(t.detach().clone());
  for (const auto& t : net->buffers()) before.push_back(t.detach().clone());
  const auto rng_state = at::detail::getDefaultCPUGenerator().get_state();

  CountResult grad = count_complexity(*net, {1, 3, 96, 96});
  CountResult nograd, inference;
  {
    torch::NoGradGuard g;
    nograd = count_complexity(*net, {1, 3, 96, 96});
  }
  {
    c10::InferenceMode g;
    inference = count_complexity(*net, {1, 3, 96, 96});
  }
  for (const CountResult* other : {&nograd, &inference}) {
    REQUIRE(other->per_image.conv_macs == grad.per_image.conv_macs);
    REQUIRE(other->per_image.linear_macs == grad.per_image.linear_macs);
    REQUIRE(other->per_image.elementwise_ops == grad.per_image.elementwise_ops);
    REQUIRE(other->params_unused == grad.params_unused);
  }
  REQUIRE(net->is_training());
  size_t i = 0;
  for (const auto& t : net->parameters()) REQUIRE(torch::equal(t, before[i++]));
  for (const auto& t : net->buffers()) REQUIRE(torch::equal(t, before[i++]));
  for (const auto& t : net->parameters()) REQUIRE_FALSE(t.grad().defined());
  // Counting draws no random numbers: the global generator continues where it was.
  const auto drawn_after = torch::randn({4});
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  gen.set_state(rng_state);
  REQUIRE(torch::equal(drawn_after, torch::randn({4})));
}

TEST_CASE("counter: the breakdown attributes every op and sums to the total", "[counter]") {
  auto net = test::build("espnetv2");
  CountResult r = count_complexity(*net, {1, 3, 224, 224});
  Complexity sum;
  for (const auto& row : r.breakdown) sum += row.cost;
  REQUIRE(sum.conv_macs == r.per_image.conv_macs);
  REQUIRE(sum.elementwise_ops == r.per_image.elementwise_ops);
  auto find = [&](const std::string& m) {
    for (const auto& row : r.breakdown)
      if (row.module == m) return row;
    FAIL("no breakdown row " << m);
    return ModuleCost{};
  };
  // Every level-4 unit runs once; the level5_0 reinforcement never runs and has no row.
  REQUIRE(find("level4.6").calls == 1);
  for (const auto& row : r.breakdown) REQUIRE(row.module.find("level5_0.inp_reinf") == std::string::npos);
  REQUIRE(r.uncounted_ops.count("aten::cat") == 1);
}
