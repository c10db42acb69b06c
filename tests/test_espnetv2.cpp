// ESPNetv2 against the official network: layer list, channel widths, dilations, shapes and counts.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "modules/blocks/dilations.h"
#include "modules/nets/espnetv2.h"
#include "tests/test_support.h"

using namespace espbench;
using espbench::test::build;

TEST_CASE("EESP dilation rule (spec 1.3 step 3)", "[espnetv2]") {
  using V = std::vector<int64_t>;
  REQUIRE(eesp_dilations(4, 13) == V{1, 2, 3, 4});
  REQUIRE(eesp_dilations(4, 9) == V{1, 2, 3, 4});
  REQUIRE(eesp_dilations(4, 7) == V{1, 1, 2, 3});
  REQUIRE(eesp_dilations(4, 5) == V{1, 1, 1, 2});
  REQUIRE(eesp_dilations(4, 3) == V{1, 1, 1, 1});
  REQUIRE(esp_dilations(5) == V{1, 2, 4, 8, 16});
}

TEST_CASE("channel table: the five official scales and the formula (spec 2.2)", "[espnetv2]") {
  using V = std::vector<int64_t>;
  REQUIRE(espnetv2_channels(0.5) == V{16, 32, 64, 128, 256, 1024});
  REQUIRE(espnetv2_channels(1.0) == V{32, 64, 128, 256, 512, 1024});
  REQUIRE(espnetv2_channels(1.25) == V{32, 80, 160, 320, 640, 1024});
  REQUIRE(espnetv2_channels(1.5) == V{32, 96, 192, 384, 768, 1024});
  REQUIRE(espnetv2_channels(2.0) == V{32, 128, 256, 512, 1024, 1280});
  REQUIRE(espnetv2_channels(0.75) == V{24, 48, 96, 192, 384, 1024});
}

TEST_CASE("s=1.0: dead parameters, stage MACs and shapes match the official code", "[espnetv2]") {
  auto net = build("espnetv2");
  CountResult r = count_complexity(*net, {1, 3, 224, 224});
  // level5_0's reinforcement (2,650) and the four strided EESP output PReLUs (480) never run.
  REQUIRE(r.params_unused == 2650 + 480);
  REQUIRE(r.per_image.conv_macs == 85720404);
  REQUIRE(r.per_image.linear_macs == 1024000);
  int64_t level4 = 0;
  for (const auto& row : r.breakdown)
    if (row.module.rfind("level4.", 0) == 0) level4 += row.cost.conv_macs;
  REQUIRE(level4 == 7 * 196 * (256 * 64 / 4 + 9 * 256 + 256 * 256 / 4));  // spec 1.3 per-unit formula
  REQUIRE(std::lround(level4 / 1e4) == 3126);                             // 31.26 M (spec 2.3)
}

TEST_CASE("any input size runs at defaults, odd sizes included; small_input keeps 2x2 at 28 px",
          "[espnetv2]") {
  torch::NoGradGuard g;
  const int64_t size = GENERATE(97, 225, 64);
  auto net = build("espnetv2", {{"scale", 0.5}});
  net->eval();
  REQUIRE(net->forward(torch::randn({1, 3, size, size})).sizes() == torch::IntArrayRef({1, 1000}));
  ResolvedModel m = resolve_model({"espnetv2", {{"scale", 0.5}}});
  CountResult r = count_complexity(*net, {1, 3, size, size});
  REQUIRE(m.entry->analytic(m.options, {3, size, size}).conv_macs == r.per_image.conv_macs);

  auto small = std::dynamic_pointer_cast<ESPNetv2>(
      build("espnetv2", {{"small_input", true}, {"in_channels", 1}, {"num_classes", 10}}));
  small->eval();
  auto x = torch::randn({1, 1, 28, 28});
  auto y = small->level5_0->forward(small->level4->forward(
      small->level4_0->forward(small->level3->forward(small->level3_0->forward(
                                   small->level2_0->forward(small->level1->forward(x), x), x)),
                               x)));
  REQUIRE(y.size(2) == 2);
}

TEST_CASE("block variants fill every level; their options change what they should", "[espnetv2]") {
  torch::NoGradGuard g;
  auto count = [](const json& options) {
    auto net = build("espnetv2", options);
    return count_complexity(*net, {1, 3, 64, 64});
  };
  CountResult eesp = count({});
  CountResult eesp_a = count({{"block", "eesp_a"}});
  CountResult esp = count({{"block", "esp"}});
  // EESP-A and EESP have the same convolution cost (paper: "same computational complexity").
  REQUIRE(eesp_a.per_image.conv_macs == eesp.per_image.conv_macs);
  // ESP's standard 3x3 convs cost far more than depth-wise ones.
  REQUIRE(esp.per_image.conv_macs > 2 * eesp.per_image.conv_macs);
  CountResult no_hff = count({{"block_options", {{"hff", false}}}});
  REQUIRE(no_hff.per_image.conv_macs == eesp.per_image.conv_macs);
  REQUIRE(no_hff.per_image.elementwise_ops < eesp.per_image.elementwise_ops);
  CountResult no_ir = count({{"input_reinforcement", false}});
  REQUIRE(no_ir.per_image.params < eesp.per_image.params);
  REQUIRE(no_ir.params_unused == 480);  // only the strided EESP output PReLUs remain dead

  // pw_before_hff changes the function, not the cost.
  auto a1 = build("espnetv2", {{"block", "eesp_a"}, {"scale", 0.5}});
  auto a2 =
      build("espnetv2", {{"block", "eesp_a"}, {"scale", 0.5}, {"block_options", {{"pw_before_hff", false}}}});
  auto p2 = a2->named_parameters();
  for (const auto& p : a1->named_parameters()) p2[p.key()].copy_(p.value());
  a1->eval(), a2->eval();
  auto x = torch::randn({1, 3, 64, 64});
  // The outputs must differ by far more than rounding: by over 1e-2 of their largest magnitude.
  const torch::Tensor y1 = a1->forward(x), y2 = a2->forward(x);
  REQUIRE(test::max_rel_error(y1, y2) > 1e-2);
  REQUIRE(count_complexity(*a1, {1, 3, 64, 64}).per_image.conv_macs ==
          count_complexity(*a2, {1, 3, 64, 64}).per_image.conv_macs);
}

TEST_CASE("invalid ESPNetv2 options give one clear error", "[espnetv2][errors]") {
  // s=0.3 gives widths [12,24,48,96,192]: the level2_0 branch (12 channels) has 3 per branch.
  REQUIRE_THROWS_WITH(resolve_model({"espnetv2", {{"scale", 0.3}}}),
                      Catch::Contains("level2_0") && Catch::Contains("K=4"));
  REQUIRE_THROWS_WITH(resolve_model({"espnetv2", {{"branches", 3}}}), Catch::Contains("divisible"));
  REQUIRE_THROWS_WITH(resolve_model({"espnetv2", {{"block", "eespp"}}}),
                      Catch::Contains("unknown block 'eespp'") && Catch::Contains("did you mean 'eesp'"));
  REQUIRE_THROWS_WITH(resolve_model({"espnetv2", {{"r_lim", {13, 11}}}}), Catch::Contains("5 values"));
  REQUIRE_THROWS_WITH(resolve_model({"espnetv2", {{"block_options", {{"pw_before_hff", true}}}}}),
                      Catch::Contains("unknown option 'pw_before_hff'"));
  REQUIRE_THROWS_WITH(resolve_model({"espnetv3", {}}),
                      Catch::Contains("valid models") && Catch::Contains("espnetv2"));
}
