// ShuffleNet v2 (Ma et al. 2018, Table 5; torchvision's shufflenet_v2_x*):
// 3x3/s2 stem of 24 channels, 3x3/s2 max-pool, stages of 4/8/4 units (the first strides 2),
// 1x1 conv, global average pool, FC. Reproduces torchvision's parameter counts exactly.
#include <cmath>

#include "modules/blocks/layers.h"
#include "modules/blocks/shufflenet_units.h"
#include "modules/nets/baseline_common.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {
namespace {

// Output channels of stages 2, 3, 4 and of the last 1x1 conv per width (paper Table 5).
struct Widths {
  double width;
  int64_t stage[3];
  int64_t last;
};
constexpr Widths kWidths[] = {{0.5, {48, 96, 192}, 1024},
                              {1.0, {116, 232, 464}, 1024},
                              {1.5, {176, 352, 704}, 1024},
                              {2.0, {244, 488, 976}, 2048}};
constexpr int64_t kRepeats[] = {4, 8, 4};
constexpr int64_t kStemChannels = 24;

const Widths* find_widths(double width) {
  for (const auto& w : kWidths)
    if (std::abs(w.width - width) < 1e-9) return &w;
  return nullptr;
}

void validate(const json& o) {
  const double width = o.at("width").get<double>();
  if (!find_widths(width))
    throw Error(
        fmt::format("model 'shufflenet_v2': invalid value {} for option 'width': expected one of "
                    "0.5, 1.0, 1.5, 2.0 (the widths of paper Table 5)",
                    width));
}

struct Plan {
  ConvBNActOptions stem{3, kStemChannels, 3};
  std::vector<ShuffleNetV2UnitOptions> units;
  ConvBNActOptions last{464, 1024, 1};
  int64_t num_classes = 1000;
};

Plan make_plan(const json& o) {
  validate(o);
  const Widths& w = *find_widths(o.at("width").get<double>());
  const bool small = o.at("small_input").get<bool>();
  Plan p;
  p.stem = ConvBNActOptions(o.at("in_channels").get<int64_t>(), kStemChannels, 3)
               .stride(small ? 1 : 2)
               .act(Act::ReLU);
  int64_t in = kStemChannels;
  for (int s = 0; s < 3; ++s)
    for (int64_t i = 0; i < kRepeats[s]; ++i) {
      p.units.push_back(ShuffleNetV2UnitOptions(in, w.stage[s]).stride(i == 0 ? 2 : 1));
      in = w.stage[s];
    }
  p.last = ConvBNActOptions(in, w.last, 1).act(Act::ReLU);
  p.num_classes = o.at("num_classes").get<int64_t>();
  return p;
}

class ShuffleNetV2 : public Network {
 public:
  explicit ShuffleNetV2(const Plan& p) : Network("ShuffleNetV2") {
    stem = register_module("stem", ConvBNAct(p.stem));
    stages = register_module("stages", torch::nn::Sequential());
    for (const auto& u : p.units) stages->push_back(ShuffleNetV2Unit(u));
    last = register_module("last", ConvBNAct(p.last));
    fc = register_module("fc", torch::nn::Linear(p.last.out_channels(), p.num_classes));
    init_weights(*this, 0.01);
  }

  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    x = stem->forward(x);
    x = torch::max_pool2d(x, 3, 2, 1);
    x = last->forward(stages->forward(x));
    return baseline::classify(x, fc, 0.0, is_training());
  }

  ConvBNAct stem{nullptr};
  torch::nn::Sequential stages{nullptr};
  ConvBNAct last{nullptr};
  torch::nn::Linear fc{nullptr};
};

Complexity analytic(const json& o, Shape in) {
  baseline::check_input("shufflenet_v2", o, in);
  const Plan p = make_plan(o);
  Complexity c;
  Shape y = conv_bn_act_analytic(c, in, p.stem);
  y = cx::max_pool(c, y, 3, 2, 1);
  for (const auto& u : p.units) y = ShuffleNetV2UnitImpl::analytic(u, c, y);
  y = conv_bn_act_analytic(c, y, p.last);
  baseline::classify_analytic(c, y, p.num_classes, /*bias=*/true);
  return c;
}

PublishedFigure figure(double width, int64_t params, double macs_m) {
  PublishedFigure f;
  f.label = fmt::format("ShuffleNet v2 {}x", width);
  f.options = {{"width", width}};
  f.params = params;
  f.conv_linear_macs_m = macs_m;
  f.rel_tol = 0.02;
  f.source = "ShuffleNet v2 paper Table 8 (MACs); torchvision shufflenet_v2 weights (params)";
  return f;
}

ModelEntry shufflenet_v2_entry() {
  ModelEntry e;
  e.name = "shufflenet_v2";
  e.family = "shufflenet_v2";
  e.width_option = "width";
  e.description = "ShuffleNet v2 (Ma et al. 2018, Table 5; torchvision layout)";
  e.schema = baseline::with_common({
      {"width", OptionType::Float, 1.0, "width: 0.5, 1.0, 1.5 or 2.0 (paper Table 5)", {}, 0.5, 2.0},
  });
  e.validate = &validate;
  e.build = [](const json& o) -> NetworkPtr { return std::make_shared<ShuffleNetV2>(make_plan(o)); };
  e.analytic = &analytic;
  e.published = {figure(0.5, 1366792, 41), figure(1.0, 2278604, 146), figure(1.5, 3503624, 299),
                 figure(2.0, 7393996, 591)};
  return e;
}

}  // namespace

ESPBENCH_REGISTER_MODEL(shufflenet_v2_entry());

}  // namespace espbench
