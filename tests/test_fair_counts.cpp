// Counts a reviewer needs to compare families fairly: `small_input` removes the same stride in every
// family, and the counter shows the MACs of taps that read only zero padding.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "modules/kernels/depthwise.h"
#include "modules/registry.h"
#include "modules/scope.h"
#include "tests/test_support.h"

using namespace espbench;

TEST_CASE("small_input removes exactly the stem's stride-2 in every family and width",
          "[counter][small_input]") {
  int64_t checked = 0;
  for (const auto& name : model_registry().names()) {
    const ModelEntry& e = model_registry().at(name);
    const bool has_small = std::any_of(e.schema.begin(), e.schema.end(),
                                       [](const OptionSpec& s) { return s.name == "small_input"; });
    if (!has_small || !e.analytic) continue;
    // Every published configuration (each width the family publishes) and the defaults.
    std::vector<json> configs{json::object()};
    for (const auto& f : e.published) configs.push_back(f.options);
    for (json options : configs) {
      options["in_channels"] = 3;
      ModelSpec full{name, options}, small{name, options};
      small.options["small_input"] = true;
      const ResolvedModel rf = resolve_model(full), rs = resolve_model(small);
      const double at224 = static_cast<double>(e.analytic(rf.options, {3, 224, 224}).conv_macs);
      const double at28 = static_cast<double>(e.analytic(rs.options, {3, 28, 28}).conv_macs);
      INFO(name << " " << options.dump() << ": " << at224 << " / " << at28);
      // One stride-2 fewer: the maps of 28 px are those of 56 px -> (224/56)^2 = 16, up to rounding.
      REQUIRE(at224 / at28 >= 12.0);
      REQUIRE(at224 / at28 <= 20.0);
      ++checked;
    }
  }
  REQUIRE(checked >= 20);
}

namespace {

// One 3x3 conv (LibTorch's, or espbench's native depth-wise kernel) with the given dilation.
class OneConv : public Network {
 public:
  OneConv(int64_t channels, int64_t dilation, int64_t stride, bool native)
      : dilation(dilation), stride(stride), native(native) {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, channels, 3)
                                                         .stride(stride)
                                                         .padding(dilation)
                                                         .dilation(dilation)
                                                         .groups(channels)
                                                         .bias(false)));
  }
  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    if (native) return kernels::depthwise_conv2d_native(x, conv->weight, stride, dilation, dilation);
    return conv->forward(x);
  }
  int64_t dilation, stride;
  bool native;
  torch::nn::Conv2d conv{nullptr};
};

}  // namespace

TEST_CASE("counter: MACs of taps that read only padding", "[counter][padding_only]") {
  for (const bool native : {false, true}) {
    INFO((native ? "native depth-wise kernel" : "LibTorch conv"));
    auto dead = [&](int64_t size, int64_t dilation, int64_t stride) {
      OneConv m(8, dilation, stride, native);
      const CountResult r = count_complexity(m, {1, 8, size, size});
      REQUIRE(r.breakdown.size() >= 1);
      return std::pair{r.padding_only_macs, r.per_image.conv_macs};
    };
    // 4x4 map, dilation 4: every off-centre tap lands in the padding at every position.
    auto [d4, all4] = dead(4, 4, 1);
    REQUIRE(all4 == 8 * 16 * 9);
    REQUIRE(d4 == 8 * 16 * 8);
    // Dilation 2 and 3 on 4x4: every tap reads the image somewhere.
    REQUIRE(dead(4, 2, 1).first == 0);
    REQUIRE(dead(4, 3, 1).first == 0);
    // 2x2 map, dilation 2: the centre only; 7x7, dilation 8: the centre only.
    REQUIRE(dead(2, 2, 1).first == 8 * 4 * 8);
    REQUIRE(dead(7, 8, 1).first == 8 * 49 * 8);
    // Stride 2 on 5x5 with dilation 4: outputs 0..2 read rows o*2-4, o*2, o*2+4: all three taps live.
    REQUIRE(dead(5, 4, 2).first == 0);
    // 1x1 map: every tap but the centre reads padding, whatever the dilation.
    REQUIRE(dead(1, 1, 1).first == 8 * 1 * 8);
  }
}

TEST_CASE("an ESP block on a small map pays for taps that see nothing; measure reports it",
          "[counter][padding_only][cli]") {
  auto [code, out] =
      test::run_command(test::espbench_binary() +
                        " measure espnetv2 --set block=esp --set small_input=true --set in_channels=1 "
                        "--input 1x28x28 --json --breakdown --threads 1");
  REQUIRE(code == 0);
  const json j = json::parse(out);
  const int64_t total = j["macs"]["padding_only"].get<int64_t>();
  REQUIRE(total > 0);
  REQUIRE(total < j["macs"]["conv"].get<int64_t>());
  int64_t sum = 0, level5 = 0;
  for (const auto& row : j["breakdown"]) {
    sum += row["macs"]["padding_only"].get<int64_t>();
    if (row["module"].get<std::string>().rfind("level5", 0) == 0)
      level5 += row["macs"]["padding_only"].get<int64_t>();
  }
  REQUIRE(sum == total);
  REQUIRE(level5 > 0);  // 2x2 maps at level 5 with dilations up to 8
  auto [tcode, text] =
      test::run_command(test::espbench_binary() +
                        " measure espnetv2 --set block=esp --set small_input=true --set in_channels=1 "
                        "--input 1x28x28 --threads 1");
  REQUIRE(tcode == 0);
  REQUIRE(text.find("padding-only") != std::string::npos);
}
