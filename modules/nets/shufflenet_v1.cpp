// ShuffleNet v1 (Zhang et al. 2018, Table 1; Megvii's released code): 3x3/s2
// stem, 3x3/s2 max-pool, stages of 4/8/4 units (the first strides 2 and does not group its first
// 1x1 in stage 2), global average pool, FC without bias (as Megvii's classifier), initialised as
// Megvii's training code does (init_weights_megvii: a depth-wise 3x3 ~ N(0, 1), not He's fan-out
// rule, whose much smaller weights make the same lr far larger for the BN-normalised convs and
// blow up the first epoch). Widths: Megvii's
// channel lists where they released a model (g = 3 and 8 at 0.5x-2x), otherwise the paper's 1x
// stage widths scaled by s and rounded so that every group conv divides.
#include <cmath>

#include "modules/blocks/layers.h"
#include "modules/blocks/shufflenet_units.h"
#include "modules/nets/baseline_common.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {
namespace {

// Stage-2 output channels at 1x per group count (paper Table 1); stages 3 and 4 double each time.
constexpr std::pair<int64_t, int64_t> kStage2At1x[] = {{1, 144}, {2, 200}, {3, 240}, {4, 272}, {8, 384}};
constexpr int64_t kRepeats[] = {4, 8, 4};
constexpr int64_t kStemAt1x = 24;

// Megvii's channel lists (stem, stage 2). They differ from the rule below only in the 1.5x stem.
struct Released {
  int64_t groups;
  double width;
  int64_t stem, stage2;
};
constexpr Released kMegvii[] = {{3, 0.5, 12, 120}, {3, 1.0, 24, 240}, {3, 1.5, 24, 360}, {3, 2.0, 48, 480},
                                {8, 0.5, 16, 192}, {8, 1.0, 24, 384}, {8, 1.5, 24, 576}, {8, 2.0, 48, 768}};

void validate(const json& o) {
  const int64_t g = o.at("groups").get<int64_t>();
  for (const auto& [groups, stage2] : kStage2At1x)
    if (groups == g) return;
  throw Error(
      fmt::format("model 'shufflenet_v1': invalid value {} for option 'groups': expected one of "
                  "1, 2, 3, 4, 8 (the group counts of paper Table 1)",
                  g));
}

// Stem and stage-2 channels for g groups at width s.
std::pair<int64_t, int64_t> widths(int64_t g, double s) {
  for (const auto& r : kMegvii)
    if (r.groups == g && std::abs(r.width - s) < 1e-9) return {r.stem, r.stage2};
  int64_t base = 0;
  for (const auto& [groups, stage2] : kStage2At1x)
    if (groups == g) base = stage2;
  // Stage width a multiple of 4g (its quarter, the bottleneck, splits into g groups); stem a
  // multiple of g (so the first unit's out - in new channels split into g groups too).
  const int64_t quantum = 4 * g;
  const int64_t stage2 = std::max<int64_t>(quantum, std::llround(base * s / quantum) * quantum);
  const int64_t stem = static_cast<int64_t>(std::ceil(kStemAt1x * s / g)) * g;
  return {stem, stage2};
}

struct Plan {
  ConvBNActOptions stem{3, kStemAt1x, 3};
  std::vector<ShuffleNetV1UnitOptions> units;
  bool head_bn = false;
  int64_t num_classes = 1000;
};

Plan make_plan(const json& o) {
  validate(o);
  const int64_t g = o.at("groups").get<int64_t>();
  const auto [stem, stage2] = widths(g, o.at("width").get<double>());
  const bool small = o.at("small_input").get<bool>();
  Plan p;
  p.stem = ConvBNActOptions(o.at("in_channels").get<int64_t>(), stem, 3).stride(small ? 1 : 2).act(Act::ReLU);
  int64_t in = stem;
  for (int s = 0; s < 3; ++s) {
    const int64_t out = stage2 << s;
    for (int64_t i = 0; i < kRepeats[s]; ++i) {
      p.units.push_back(ShuffleNetV1UnitOptions(in, out)
                            .stride(i == 0 ? 2 : 1)
                            .groups(g)
                            .first_group_conv(!(s == 0 && i == 0))
                            .concat_shortcut(true));
      in = out;
    }
  }
  p.num_classes = o.at("num_classes").get<int64_t>();
  p.head_bn = o.at("head_bn").get<bool>();
  return p;
}

class ShuffleNetV1 : public Network {
 public:
  explicit ShuffleNetV1(const Plan& p) : Network("ShuffleNetV1") {
    stem = register_module("stem", ConvBNAct(p.stem));
    stages = register_module("stages", torch::nn::Sequential());
    for (const auto& u : p.units) stages->push_back(ShuffleNetV1Unit(u));
    if (p.head_bn)
      head_bn = register_module("head_bn", torch::nn::BatchNorm2d(p.units.back().out_channels()));
    fc = register_module(
        "fc", torch::nn::Linear(
                  torch::nn::LinearOptions(p.units.back().out_channels(), p.num_classes).bias(false)));
    init_weights_megvii(*this, "stem");
  }

  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    x = stem->forward(x);
    x = torch::max_pool2d(x, 3, 2, 1);
    x = stages->forward(x);
    if (head_bn) x = head_bn->forward(x);
    return baseline::classify(x, fc, 0.0, is_training());
  }

  ConvBNAct stem{nullptr};
  torch::nn::Sequential stages{nullptr};
  torch::nn::BatchNorm2d head_bn{nullptr};
  torch::nn::Linear fc{nullptr};
};

Complexity analytic(const json& o, Shape in) {
  baseline::check_input("shufflenet_v1", o, in);
  const Plan p = make_plan(o);
  Complexity c;
  Shape y = conv_bn_act_analytic(c, in, p.stem);
  y = cx::max_pool(c, y, 3, 2, 1);
  for (const auto& u : p.units) y = ShuffleNetV1UnitImpl::analytic(u, c, y);
  if (p.head_bn) y = cx::batch_norm(c, y);
  baseline::classify_analytic(c, y, p.num_classes, /*bias=*/false);
  return c;
}

PublishedFigure figure(int64_t groups, double width, double macs_m, const char* source) {
  PublishedFigure f;
  f.label = fmt::format("ShuffleNet v1 {}x g={}", width, groups);
  f.options = {{"groups", groups}, {"width", width}};
  f.conv_linear_macs_m = macs_m;
  f.rel_tol = 0.02;
  f.source = source;
  return f;
}

ModelEntry shufflenet_v1_entry() {
  ModelEntry e;
  e.name = "shufflenet_v1";
  e.family = "shufflenet_v1";
  e.width_option = "width";
  e.description = "ShuffleNet v1 (Zhang et al. 2018, Table 1; Megvii's channel lists, Tables 2 and 5)";
  e.schema = baseline::with_common({
      {"groups", OptionType::Int, 3, "groups g of the 1x1 convs: 1, 2, 3, 4 or 8 (paper Table 1)", {}, 1, 8},
      {"width", OptionType::Float, 1.0, "width multiplier s (paper: 0.25, 0.5, 1, 1.5, 2)", {}, 0.25, 2.0},
      {"head_bn", OptionType::Bool, false,
       "BatchNorm on the last stage's output, so the classifier reads normalised features as in every "
       "other family (off = Megvii's network)"},
  });
  e.validate = &validate;
  e.build = [](const json& o) -> NetworkPtr { return std::make_shared<ShuffleNetV1>(make_plan(o)); };
  e.analytic = &analytic;
  e.published = {figure(3, 0.5, 38, "ShuffleNet v1 paper Table 2"),
                 figure(3, 1.0, 140, "ShuffleNet v1 paper Table 2 (arch table: 137)"),
                 figure(3, 1.5, 292, "ShuffleNet v1 paper Table 5"),
                 figure(3, 2.0, 524, "ShuffleNet v1 paper Table 5"),
                 figure(8, 1.0, 140, "ShuffleNet v1 paper Table 2"),
                 figure(8, 2.0, 522, "Megvii ShuffleNetV1 README")};
  return e;
}

}  // namespace

ESPBENCH_REGISTER_MODEL(shufflenet_v1_entry());

}  // namespace espbench
