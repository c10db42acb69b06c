#include "modules/nets/espnetv2.h"

#include <fmt/format.h>
#include <torch/nn/functional/dropout.h>

#include <cmath>

#include "modules/error.h"
#include "modules/scope.h"

namespace espbench {

std::vector<int64_t> espnetv2_channels(double s) {
  // b = ceil(int(32 s) / 4) * 4; c0 = min(32, b); c_i = b * 2^i; head 1024 up to s = 1.5, else 1280.
  const int64_t base = static_cast<int64_t>(std::ceil(static_cast<int64_t>(32 * s + 1e-9) / 4.0)) * 4;
  return {std::min<int64_t>(32, base), base * 2, base * 4, base * 8, base * 16, s <= 1.5 ? 1024 : 1280};
}

ESPNetv2Plan espnetv2_plan(const json& o) {
  ESPNetv2Plan p;
  p.ch = espnetv2_channels(o.at("scale").get<double>());
  p.r_lim = o.at("r_lim").get<std::vector<int64_t>>();
  p.repeats = o.at("repeats").get<std::vector<int64_t>>();
  p.k = o.at("branches").get<int64_t>();
  p.in_ch = o.at("in_channels").get<int64_t>();
  p.stem_stride = o.value("small_input", false) ? 1 : 2;
  p.block = o.at("block").get<std::string>();
  p.block_options = o.at("block_options");
  p.reinf = o.at("input_reinforcement").get<bool>();
  return p;
}

StridedUnitOptions espnetv2_strided(const ESPNetv2Plan& p, int level) {
  const size_t i = static_cast<size_t>(level - 2);
  return StridedUnitOptions(p.ch[i], p.ch[i + 1])
      .block(p.block)
      .block_options(p.block_options)
      .branches(p.k)
      .r_lim(p.r_lim[i])
      .reinforcement_channels(p.reinf ? p.in_ch : 0);
}

BlockArgs espnetv2_unit(const ESPNetv2Plan& p, int level) {
  BlockArgs a;
  a.in_channels = a.out_channels = p.ch[static_cast<size_t>(level - 1)];
  a.branches = p.k;
  a.r_lim = p.r_lim[static_cast<size_t>(level - 1)];
  a.options = p.block_options;
  return resolve_block(p.block, a);
}

torch::nn::Sequential espnetv2_level_blocks(const ESPNetv2Plan& p, int level) {
  torch::nn::Sequential seq;
  BlockArgs a = espnetv2_unit(p, level);
  for (int64_t r = 0; r < p.repeats[static_cast<size_t>(level - 3)]; ++r)
    seq->push_back(build_block(p.block, a));
  return seq;
}

void espnetv2_validate_levels(const std::string& model, const json& o, const ESPNetv2Plan& p,
                              int last_level) {
  auto where = [&](const std::string& level, auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      throw Error(fmt::format("model '{}' (scale {}, widths [{}], branches K={}), {}: {}", model,
                              o.at("scale").get<double>(), fmt::join(p.ch, ","), p.k, level, e.what()));
    }
  };
  for (int level = 2; level <= last_level; ++level)
    where(fmt::format("level{}_0", level), [&] { strided_branch_args(espnetv2_strided(p, level)); });
  for (int level = 3; level <= last_level; ++level)
    where(fmt::format("level{}", level), [&] { espnetv2_unit(p, level); });
}

int espnetv2_map_level_blocks(torch::nn::Module& owner, const ESPNetv2Plan& p,
                              const std::vector<torch::nn::Sequential*>& levels,
                              const std::vector<std::string>& names, const BlockHolder::BlockMap& map) {
  int replaced = 0;
  for (size_t i = 0; i < levels.size(); ++i) {
    // The first repeats[i] modules of a level are its blocks (the classifier's level 5 continues
    // with the head).
    torch::nn::Sequential fresh;
    int64_t index = 0;
    for (const auto& any : **levels[i]) {
      torch::nn::AnyModule mapped = index++ < p.repeats[i] ? map(p.block, any) : torch::nn::AnyModule();
      replaced += !mapped.is_empty();
      fresh->push_back(mapped.is_empty() ? any : mapped);
    }
    *levels[i] = owner.replace_module(names[i], fresh);
  }
  return replaced;
}

std::array<Shape, 4> espnetv2_trunk_analytic(Complexity& cx, const ESPNetv2Plan& p, Shape in) {
  const Shape image = in;
  const Shape* img = p.reinf ? &image : nullptr;
  auto units = [&](int level, Shape s) {
    BlockArgs a = espnetv2_unit(p, level);
    const auto& entry = block_registry().at("block", p.block);
    for (int64_t r = 0; r < p.repeats[static_cast<size_t>(level - 3)]; ++r) s = entry.analytic(cx, a, s);
    return s;
  };
  std::array<Shape, 4> out;
  out[0] = ConvBNAct(ConvBNActOptions(p.in_ch, p.ch[0], 3).stride(p.stem_stride))->analytic(cx, in);
  out[1] = StridedUnit(espnetv2_strided(p, 2))->analytic(cx, out[0], img);
  out[2] = units(3, StridedUnit(espnetv2_strided(p, 3))->analytic(cx, out[1], img));
  out[3] = units(4, StridedUnit(espnetv2_strided(p, 4))->analytic(cx, out[2], img));
  return out;
}

namespace {

ConvBNActOptions head_dw(const ESPNetv2Plan& p) {
  return ConvBNActOptions(p.ch[4], p.ch[4], 3).groups(p.ch[4]);
}
ConvBNActOptions head_pw(const ESPNetv2Plan& p) { return ConvBNActOptions(p.ch[4], p.ch[5], 1).groups(p.k); }

// Runs every level's shape/width checks, naming the level on failure.
void validate(const json& o) {
  ESPNetv2Plan p = espnetv2_plan(o);
  if (p.r_lim.size() != 5)
    throw Error(
        fmt::format("model 'espnetv2': option 'r_lim' needs 5 values (one per level index "
                    "0..4), got {}",
                    o.at("r_lim").dump()));
  if (p.repeats.size() != 3)
    throw Error(fmt::format("model 'espnetv2': option 'repeats' needs 3 values (levels 3, 4, 5), got {}",
                            o.at("repeats").dump()));
  espnetv2_validate_levels("espnetv2", o, p, 5);
  if (p.ch[4] % p.k != 0 || p.ch[5] % p.k != 0)
    throw Error(fmt::format("model 'espnetv2': head group conv {}->{} needs widths divisible by K={}",
                            p.ch[4], p.ch[5], p.k));
}

}  // namespace

ESPNetv2::ESPNetv2(const json& o) : options(o) {
  ESPNetv2Plan p = espnetv2_plan(o);
  const auto& c = p.ch;
  // Registration order (level1, the strided units, the block levels) fixes the order in which
  // init_weights draws the initial weights.
  level1 = register_module("level1", ConvBNAct(ConvBNActOptions(p.in_ch, c[0], 3).stride(p.stem_stride)));
  level2_0 = register_module("level2_0", StridedUnit(espnetv2_strided(p, 2)));
  level3_0 = register_module("level3_0", StridedUnit(espnetv2_strided(p, 3)));
  level4_0 = register_module("level4_0", StridedUnit(espnetv2_strided(p, 4)));
  level5_0 = register_module("level5_0", StridedUnit(espnetv2_strided(p, 5)));
  level3 = register_module("level3", espnetv2_level_blocks(p, 3));
  level4 = register_module("level4", espnetv2_level_blocks(p, 4));
  level5 = register_module("level5", espnetv2_level_blocks(p, 5));
  level5->push_back(ConvBNAct(head_dw(p)));
  level5->push_back(ConvBNAct(head_pw(p)));
  classifier = register_module("classifier", torch::nn::Linear(c[5], o.at("num_classes").get<int64_t>()));
  init_weights(*this, 0.001);
}

torch::Tensor ESPNetv2::forward(torch::Tensor x) {
  ModuleScope scope(this);
  const torch::Tensor image = options.at("input_reinforcement").get<bool>() ? x : torch::Tensor();
  auto y = level1->forward(x);
  y = level2_0->forward(y, image);
  y = level3->forward(level3_0->forward(y, image));
  y = level4->forward(level4_0->forward(y, image));
  y = level5->forward(level5_0->forward(y));
  y = torch::adaptive_avg_pool2d(y, {1, 1}).flatten(1);
  y = torch::nn::functional::dropout(y, torch::nn::functional::DropoutFuncOptions()
                                            .p(options.at("dropout").get<double>())
                                            .training(is_training()));
  return classifier->forward(y);
}

std::vector<std::string> espnetv2_never_run(const json& o) {
  std::vector<std::string> out;
  if (o.at("input_reinforcement").get<bool>()) out.push_back("level5_0.inp_reinf");
  if (o.at("block").get<std::string>() == "eesp")
    for (int level = 2; level <= 5; ++level) out.push_back(fmt::format("level{}_0.eesp.module_act", level));
  return out;
}

int ESPNetv2::map_blocks(const BlockMap& map) {
  return espnetv2_map_level_blocks(*this, espnetv2_plan(options), {&level3, &level4, &level5},
                                   {"level3", "level4", "level5"}, map);
}

Complexity ESPNetv2::analytic(const json& o, Shape in) {
  ESPNetv2Plan p = espnetv2_plan(o);
  Complexity cx;
  Shape y = espnetv2_trunk_analytic(cx, p, in)[3];
  y = StridedUnit(espnetv2_strided(p, 5))->analytic(cx, y, nullptr);
  BlockArgs a = espnetv2_unit(p, 5);
  const auto& entry = block_registry().at("block", p.block);
  for (int64_t r = 0; r < p.repeats[2]; ++r) y = entry.analytic(cx, a, y);
  y = ConvBNAct(head_dw(p))->analytic(cx, y);
  y = ConvBNAct(head_pw(p))->analytic(cx, y);
  y = cx::global_avg_pool(cx, y);
  cx::linear(cx, y.c, o.at("num_classes").get<int64_t>());
  return cx;
}

namespace {

ModelEntry espnetv2_entry() {
  ModelEntry e;
  e.name = "espnetv2";
  e.family = "espnetv2";
  e.width_option = "scale";
  e.description = "ESPNetv2 classifier (CVPR 2019, Sec. 4.1 / official EdgeNets layer list)";
  e.schema = {
      {"scale",
       OptionType::Float,
       1.0,
       "width scale s (official: 0.5, 1.0, 1.25, 1.5, 2.0; others by formula)",
       {},
       0.1,
       2.0},
      {"block", OptionType::String, "eesp", "building block in every level (any registered block)"},
      {"block_options", OptionType::Object, json::object(),
       "options handed to the block, e.g. {\"hff\":false}"},
      {"branches", OptionType::Int, 4, "parallel branches K per block", {}, 1, 16},
      {"r_lim",
       OptionType::IntList,
       json::array({13, 11, 9, 7, 5}),
       "receptive-field limits per level index 0..4",
       {},
       3,
       99},
      {"repeats", OptionType::IntList, json::array({3, 7, 3}), "blocks at levels 3, 4, 5", {}, 0, 64},
      {"input_reinforcement", OptionType::Bool, true, "long-range shortcut from the image into levels 2-4"},
      {"in_channels", OptionType::Int, 3, "image channels", {}, 1, 64},
      {"num_classes", OptionType::Int, 1000, "classifier outputs", {}, 1, 100000},
      {"dropout", OptionType::Float, 0.2, "dropout before the classifier", {}, 0.0, 0.99},
      {"small_input", OptionType::Bool, false,
       "stride-1 stem conv for 28-64 px images (the only stride removed); off = official"},
  };
  e.validate = [](const json& o) {
    block_registry().at("block", o.at("block").get<std::string>());
    validate(o);
  };
  e.build = [](const json& o) { return std::make_shared<ESPNetv2>(o); };
  e.analytic = &ESPNetv2::analytic;
  e.never_run = &espnetv2_never_run;
  const char* src = "official EdgeNets README (sacmehta/EdgeNets, ImageNet model zoo)";
  auto fig = [&](double s, int64_t params, double macs_m) {
    PublishedFigure f;
    f.label = fmt::format("ESPNetv2 s={}", s);
    f.options = {{"scale", s}};
    f.params = params;
    f.conv_macs_m = macs_m;
    f.rel_tol = 0.001;
    f.source = src;
    return f;
  };
  e.published = {fig(0.5, 1241332, 28.38), fig(1.0, 1670072, 85.72), fig(1.25, 1965440, 123.40),
                 fig(1.5, 2314856, 168.60), fig(2.0, 3498136, 284.81)};
  return e;
}

}  // namespace

ESPBENCH_REGISTER_MODEL(espnetv2_entry());

}  // namespace espbench
