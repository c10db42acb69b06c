// MobileNetV1 (Howard et al. 2017, Table 1): 3x3/s2 stem, 13 depth-wise
// separable units, global average pool, FC. Width alpha scales every layer with TF-slim's minimum
// depth of 8. The paper's table shows the second-to-last depth-wise conv with stride 2 on a 7x7
// map, a known typo: it strides 1 here, as in every implementation and in the 569 M MAC count.
#include <algorithm>

#include "modules/blocks/mobilenet_units.h"
#include "modules/nets/baseline_common.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {
namespace {

// (point-wise output channels, depth-wise stride) of the separable units, paper Table 1.
constexpr std::pair<int64_t, int64_t> kUnits[] = {{64, 1},  {128, 2},  {128, 1}, {256, 2}, {256, 1},
                                                  {512, 2}, {512, 1},  {512, 1}, {512, 1}, {512, 1},
                                                  {512, 1}, {1024, 2}, {1024, 1}};
constexpr int64_t kStemChannels = 32;
constexpr int64_t kMinDepth = 8;

struct Plan {
  ConvBNActOptions stem{3, kStemChannels, 3};
  std::vector<MobileNetV1UnitOptions> units;
  int64_t num_classes = 1000;
};

Plan make_plan(const json& o) {
  const double width = o.at("width").get<double>();
  auto depth = [&](int64_t c) { return std::max<int64_t>(kMinDepth, static_cast<int64_t>(c * width)); };
  Plan p;
  const int64_t stem_stride = o.at("small_input").get<bool>() ? 1 : 2;
  p.stem = ConvBNActOptions(o.at("in_channels").get<int64_t>(), depth(kStemChannels), 3)
               .stride(stem_stride)
               .act(Act::ReLU);
  int64_t in = p.stem.out_channels();
  for (const auto& [out, stride] : kUnits) {
    p.units.push_back(MobileNetV1UnitOptions(in, depth(out)).stride(stride));
    in = depth(out);
  }
  p.num_classes = o.at("num_classes").get<int64_t>();
  return p;
}

class MobileNetV1 : public Network {
 public:
  explicit MobileNetV1(const Plan& p) : Network("MobileNetV1") {
    features = register_module("features", torch::nn::Sequential(ConvBNAct(p.stem)));
    for (const auto& u : p.units) features->push_back(MobileNetV1Unit(u));
    fc = register_module("fc", torch::nn::Linear(p.units.back().out_channels(), p.num_classes));
    init_weights(*this, 0.01);
  }

  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    return baseline::classify(features->forward(x), fc, 0.0, is_training());
  }

  torch::nn::Sequential features{nullptr};
  torch::nn::Linear fc{nullptr};
};

Complexity analytic(const json& o, Shape in) {
  baseline::check_input("mobilenet_v1", o, in);
  const Plan p = make_plan(o);
  Complexity c;
  Shape y = conv_bn_act_analytic(c, in, p.stem);
  for (const auto& u : p.units) y = MobileNetV1UnitImpl::analytic(u, c, y);
  baseline::classify_analytic(c, y, p.num_classes, /*bias=*/true);
  return c;
}

PublishedFigure figure(double width, double macs_m) {
  PublishedFigure f;
  f.label = fmt::format("MobileNetV1 {}-224", width);
  f.options = {{"width", width}};
  f.conv_linear_macs_m = macs_m;
  f.rel_tol = 0.02;
  f.source = "MobileNetV1 paper (Howard et al. 2017), Table 6";
  return f;
}

ModelEntry mobilenet_v1_entry() {
  ModelEntry e;
  e.name = "mobilenet_v1";
  e.family = "mobilenet_v1";
  e.width_option = "width";
  e.description = "MobileNetV1 (Howard et al. 2017, Table 1; width multiplier as in Table 6)";
  e.schema = baseline::with_common({
      {"width", OptionType::Float, 1.0, "width multiplier alpha (paper: 1, 0.75, 0.5, 0.25)", {}, 0.25, 1.0},
  });
  e.build = [](const json& o) -> NetworkPtr { return std::make_shared<MobileNetV1>(make_plan(o)); };
  e.analytic = &analytic;
  e.published = {figure(1.0, 569), figure(0.75, 325), figure(0.5, 149), figure(0.25, 41)};
  return e;
}

}  // namespace

ESPBENCH_REGISTER_MODEL(mobilenet_v1_entry());

}  // namespace espbench
