// MobileNetV2 (Sandler et al. 2018, Table 2; torchvision's mobilenet_v2):
// 3x3/s2 stem, 17 inverted residuals from the (t, c, n, s) table, 1x1 conv to 1280, global average
// pool, dropout, FC. Channels are rounded to multiples of 8 as torchvision does, and the last
// conv keeps 1280 channels below width 1, so width 1.0 has exactly torchvision's 3,504,872 params.
#include "modules/blocks/mobilenet_units.h"
#include "modules/nets/baseline_common.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {
namespace {

// Expansion t, output channels c, repeats n, stride s of the first repeat (paper Table 2).
struct Row {
  int64_t t, c, n, s;
};
constexpr Row kRows[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                         {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
constexpr int64_t kStemChannels = 32;
constexpr int64_t kLastChannels = 1280;
constexpr int64_t kRound = 8;

struct Plan {
  ConvBNActOptions stem{3, kStemChannels, 3};
  std::vector<MobileNetV2UnitOptions> units;
  ConvBNActOptions last{320, kLastChannels, 1};
  int64_t num_classes = 1000;
  double dropout = 0.2;
};

Plan make_plan(const json& o) {
  const double width = o.at("width").get<double>();
  Plan p;
  const int64_t stem_stride = o.at("small_input").get<bool>() ? 1 : 2;
  p.stem = ConvBNActOptions(o.at("in_channels").get<int64_t>(),
                            baseline::make_divisible(kStemChannels * width, kRound), 3)
               .stride(stem_stride)
               .act(Act::ReLU6);
  int64_t in = p.stem.out_channels();
  for (const auto& r : kRows) {
    const int64_t out = baseline::make_divisible(r.c * width, kRound);
    for (int64_t i = 0; i < r.n; ++i) {
      p.units.push_back(MobileNetV2UnitOptions(in, out).stride(i == 0 ? r.s : 1).expand_ratio(r.t));
      in = out;
    }
  }
  const int64_t last = baseline::make_divisible(kLastChannels * std::max(1.0, width), kRound);
  p.last = ConvBNActOptions(in, last, 1).act(Act::ReLU6);
  p.num_classes = o.at("num_classes").get<int64_t>();
  p.dropout = o.at("dropout").get<double>();
  return p;
}

class MobileNetV2 : public Network {
 public:
  explicit MobileNetV2(const Plan& p) : Network("MobileNetV2"), dropout(p.dropout) {
    features = register_module("features", torch::nn::Sequential(ConvBNAct(p.stem)));
    for (const auto& u : p.units) features->push_back(MobileNetV2Unit(u));
    features->push_back(ConvBNAct(p.last));
    fc = register_module("fc", torch::nn::Linear(p.last.out_channels(), p.num_classes));
    init_weights(*this, 0.01);
  }

  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    return baseline::classify(features->forward(x), fc, dropout, is_training());
  }

  double dropout;
  torch::nn::Sequential features{nullptr};
  torch::nn::Linear fc{nullptr};
};

Complexity analytic(const json& o, Shape in) {
  baseline::check_input("mobilenet_v2", o, in);
  const Plan p = make_plan(o);
  Complexity c;
  Shape y = conv_bn_act_analytic(c, in, p.stem);
  for (const auto& u : p.units) y = MobileNetV2UnitImpl::analytic(u, c, y);
  y = conv_bn_act_analytic(c, y, p.last);
  baseline::classify_analytic(c, y, p.num_classes, /*bias=*/true);
  return c;
}

PublishedFigure figure(double width, double macs_m, const char* source) {
  PublishedFigure f;
  f.label = fmt::format("MobileNetV2 {}-224", width);
  f.options = {{"width", width}};
  f.conv_linear_macs_m = macs_m;
  f.rel_tol = 0.02;
  f.source = source;
  return f;
}

ModelEntry mobilenet_v2_entry() {
  ModelEntry e;
  e.name = "mobilenet_v2";
  e.family = "mobilenet_v2";
  e.width_option = "width";
  e.description = "MobileNetV2 (Sandler et al. 2018, Table 2; torchvision layout and rounding)";
  e.schema = baseline::with_common({
      {"width", OptionType::Float, 1.0, "width multiplier (paper: 0.35-1.4)", {}, 0.35, 1.4},
      {"dropout", OptionType::Float, 0.2, "dropout before the classifier", {}, 0.0, 0.99},
  });
  e.build = [](const json& o) -> NetworkPtr { return std::make_shared<MobileNetV2>(make_plan(o)); };
  e.analytic = &analytic;
  PublishedFigure tv = figure(1.0, 300, "MobileNetV2 paper Table 4; params: torchvision IMAGENET1K_V1");
  tv.params = 3504872;
  e.published = {
      tv, figure(1.4, 585, "MobileNetV2 paper Table 4"), figure(0.75, 209, "TF-slim mobilenet_v2_0.75_224"),
      figure(0.5, 97, "TF-slim mobilenet_v2_0.5_224"), figure(0.35, 59, "TF-slim mobilenet_v2_0.35_224")};
  return e;
}

}  // namespace

ESPBENCH_REGISTER_MODEL(mobilenet_v2_entry());

}  // namespace espbench
