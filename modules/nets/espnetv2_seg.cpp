#include "modules/nets/espnetv2_seg.h"

#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>

#include <algorithm>

#include "modules/error.h"
#include "modules/nets/espnetv2.h"
#include "modules/scope.h"

namespace espbench {

SegDecoderWidths espnetv2_seg_decoder_widths(const json& o) {
  const int64_t b = o.at("decoder_planes").get<int64_t>(), classes = o.at("num_classes").get<int64_t>();
  SegDecoderWidths w;
  w.d = {4 * b, 3 * b, 2 * b, classes};
  w.proj = std::min(classes / 2, b);
  return w;
}

std::vector<std::string> espnetv2_seg_never_run(const json& o) {
  std::vector<std::string> out;
  if (o.at("block").get<std::string>() == "eesp")
    for (int level = 2; level <= 4; ++level) out.push_back(fmt::format("level{}_0.eesp.module_act", level));
  return out;
}

namespace {

// The decoder unit at step i (0: bu_dec_l1 on level 4, 1..3: bu_dec_l2..l4), its input width `in`.
PyramidPoolOptions decoder_unit(const SegDecoderWidths& w, size_t i, int64_t in) {
  return PyramidPoolOptions(in, w.proj, w.d[i]).last(i == 3);
}

torch::nn::Sequential bn_prelu(int64_t channels) {
  return torch::nn::Sequential(torch::nn::BatchNorm2d(channels),
                               torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(channels)));
}

// A level's blocks (none when repeats is 0: LibTorch refuses to run an empty Sequential).
torch::Tensor run_level(torch::nn::Sequential& level, const torch::Tensor& x) {
  return level->is_empty() ? x : level->forward(x);
}

}  // namespace

ESPNetv2Seg::ESPNetv2Seg(const json& o) : options(o) {
  const ESPNetv2Plan p = espnetv2_plan(o);
  const SegDecoderWidths w = espnetv2_seg_decoder_widths(o);
  level1 = register_module("level1", ConvBNAct(ConvBNActOptions(p.in_ch, p.ch[0], 3).stride(p.stem_stride)));
  level2_0 = register_module("level2_0", StridedUnit(espnetv2_strided(p, 2)));
  level3_0 = register_module("level3_0", StridedUnit(espnetv2_strided(p, 3)));
  level3 = register_module("level3", espnetv2_level_blocks(p, 3));
  level4_0 = register_module("level4_0", StridedUnit(espnetv2_strided(p, 4)));
  level4 = register_module("level4", espnetv2_level_blocks(p, 4));
  bu_dec_l1 = register_module("bu_dec_l1", PyramidPool(decoder_unit(w, 0, p.ch[3])));
  bu_dec_l2 = register_module("bu_dec_l2", PyramidPool(decoder_unit(w, 1, w.d[0])));
  bu_dec_l3 = register_module("bu_dec_l3", PyramidPool(decoder_unit(w, 2, w.d[1])));
  bu_dec_l4 = register_module("bu_dec_l4", PyramidPool(decoder_unit(w, 3, w.d[2])));
  merge_enc_dec_l2 = register_module("merge_enc_dec_l2", MergeUnit(p.ch[2], w.d[0]));
  merge_enc_dec_l3 = register_module("merge_enc_dec_l3", MergeUnit(p.ch[1], w.d[1]));
  merge_enc_dec_l4 = register_module("merge_enc_dec_l4", MergeUnit(p.ch[0], w.d[2]));
  bu_br_l2 = register_module("bu_br_l2", bn_prelu(w.d[0]));
  bu_br_l3 = register_module("bu_br_l3", bn_prelu(w.d[1]));
  bu_br_l4 = register_module("bu_br_l4", bn_prelu(w.d[2]));
  init_weights(*this, 0.001);
}

std::array<torch::Tensor, 4> ESPNetv2Seg::encode(const torch::Tensor& x) {
  const torch::Tensor image = options.at("input_reinforcement").get<bool>() ? x : torch::Tensor();
  auto l1 = level1->forward(x);
  auto l2 = level2_0->forward(l1, image);
  auto l3 = run_level(level3, level3_0->forward(l2, image));
  auto l4 = run_level(level4, level4_0->forward(l3, image));
  return {l1, l2, l3, l4};
}

const std::vector<std::string>& espnetv2_seg_layers() {
  static const std::vector<std::string> names{"level1",    "level2_0",  "level3",    "level4", "bu_dec_l1",
                                              "bu_dec_l2", "bu_dec_l3", "bu_dec_l4", "output"};
  return names;
}

size_t espnetv2_seg_layer_index(const std::string& layer, const std::string& network) {
  const auto& names = espnetv2_seg_layers();
  const auto it = std::find(names.begin(), names.end(), layer);
  if (it == names.end()) throw Error(fmt::format("{}: no layer '{}'", network, layer));
  return static_cast<size_t>(it - names.begin());
}

torch::Tensor ESPNetv2Seg::forward(torch::Tensor x) {
  ModuleScope scope(this);
  return run_to(x, espnetv2_seg_layers().size() - 1);
}

torch::Tensor ESPNetv2Seg::forward_to(torch::Tensor x, const std::string& layer) {
  return run_to(x, espnetv2_seg_layer_index(layer, "ESPNetv2Seg"));
}

torch::Tensor ESPNetv2Seg::run_to(const torch::Tensor& x, size_t stop) {
  const auto enc = encode(x);
  if (stop < enc.size()) return enc[stop];
  auto y = bu_dec_l1->forward(enc[3]);
  if (stop == enc.size()) return y;
  MergeUnit* merges[] = {&merge_enc_dec_l2, &merge_enc_dec_l3, &merge_enc_dec_l4};
  torch::nn::Sequential* brs[] = {&bu_br_l2, &bu_br_l3, &bu_br_l4};
  PyramidPool* decoders[] = {&bu_dec_l2, &bu_dec_l3, &bu_dec_l4};
  for (size_t i = 0; i < 3; ++i) {
    const auto& skip = enc[2 - i];
    y = resize_bilinear(y, skip.size(2), skip.size(3)) + (*merges[i])->forward(skip);
    y = (*decoders[i])->forward((*brs[i])->forward(y));
    if (stop == enc.size() + 1 + i) return y;
  }
  return resize_bilinear(y, x.size(2), x.size(3));
}

int ESPNetv2Seg::map_blocks(const BlockMap& map) {
  return espnetv2_map_level_blocks(*this, espnetv2_plan(options), {&level3, &level4}, {"level3", "level4"},
                                   map);
}

Complexity ESPNetv2Seg::analytic(const json& o, Shape in) {
  const ESPNetv2Plan p = espnetv2_plan(o);
  const SegDecoderWidths w = espnetv2_seg_decoder_widths(o);
  Complexity c;
  const auto enc = espnetv2_trunk_analytic(c, p, in);
  Shape y = PyramidPool(decoder_unit(w, 0, p.ch[3]))->analytic(c, enc[3]);
  for (size_t i = 0; i < 3; ++i) {
    const Shape skip = enc[2 - i];
    y = cx::resize(c, y, skip.h, skip.w);
    y = cx::add(c, MergeUnit(skip.c, w.d[i])->analytic(c, skip));
    y = cx::prelu(c, cx::batch_norm(c, y));
    y = PyramidPool(decoder_unit(w, i + 1, w.d[i]))->analytic(c, y);
  }
  cx::resize(c, y, in.h, in.w);
  return c;
}

namespace {

void validate(const json& o) {
  const ESPNetv2Plan p = espnetv2_plan(o);
  if (p.r_lim.size() != 4)
    throw Error(
        fmt::format("model 'espnetv2_seg': option 'r_lim' needs 4 values (one per level index 0..3), got {}",
                    o.at("r_lim").dump()));
  if (p.repeats.size() != 2)
    throw Error(fmt::format("model 'espnetv2_seg': option 'repeats' needs 2 values (levels 3, 4), got {}",
                            o.at("repeats").dump()));
  espnetv2_validate_levels("espnetv2_seg", o, p, 4);
}

// A configuration of the official README's ESPNetv2 segmentation tables (Cityscapes: 20 classes,
// PASCAL VOC: 21; decoder_planes 16 for both). The README's "FLOPs" are the Conv2d MACs plus half
// the bias adds of the last conv (its counter counts a bias add as one FLOP and halves the sum),
// hence the tolerance; the exact parameter counts are those of the official model code.
PublishedFigure seg_figure(const char* data_set, double s, int64_t classes, int64_t h, int64_t w,
                           int64_t params, double macs_m) {
  PublishedFigure f;
  f.label = fmt::format("ESPNetv2-seg s={} {} {}x{}", s, data_set, w, h);
  f.options = {{"scale", s}, {"num_classes", classes}};
  f.input = {3, h, w};
  f.params = params;
  f.conv_macs_m = macs_m;
  f.rel_tol = 0.003;
  f.source = "official EdgeNets segmentation model zoo README (MACs); exact params of its model code";
  return f;
}

std::vector<PublishedFigure> published() {
  std::vector<PublishedFigure> out;
  const double scales[] = {0.5, 1.0, 1.5, 2.0};
  const int64_t pascal_params[] = {80353, 234021, 468373, 789253};
  const int64_t city_params[] = {80342, 234010, 468362, 789242};
  const double pascal256[] = {74.88, 136.0, 214.51, 337.58}, pascal384[] = {168.46, 306.00, 482.63, 759.52};
  const double city512[] = {149.40, 271.66, 428.66}, city1024[] = {597.56, 1086.59, 1714.57, 2699.05};
  for (int i = 0; i < 4; ++i) {
    out.push_back(seg_figure("PASCAL VOC", scales[i], 21, 256, 256, pascal_params[i], pascal256[i]));
    out.push_back(seg_figure("PASCAL VOC", scales[i], 21, 384, 384, pascal_params[i], pascal384[i]));
    if (i < 3) out.push_back(seg_figure("Cityscapes", scales[i], 20, 256, 512, city_params[i], city512[i]));
    out.push_back(seg_figure("Cityscapes", scales[i], 20, 512, 1024, city_params[i], city1024[i]));
  }
  return out;
}

ModelEntry espnetv2_seg_entry() {
  ModelEntry e;
  e.name = "espnetv2_seg";
  e.family = "espnetv2_seg";
  e.width_option = "scale";
  e.dense_output = true;
  e.description = "ESPNetv2 segmentation: trunk levels 1-4 + pyramid-pooling decoder (official EdgeNets)";
  e.schema = {
      {"scale",
       OptionType::Float,
       1.0,
       "width scale s of the trunk (official: 0.5, 1.0, 1.5, 2.0; others by formula)",
       {},
       0.1,
       2.0},
      {"block", OptionType::String, "eesp", "building block in levels 3 and 4 (any registered block)"},
      {"block_options", OptionType::Object, json::object(),
       "options handed to the block, e.g. {\"hff\":false}"},
      {"branches", OptionType::Int, 4, "parallel branches K per block", {}, 1, 16},
      {"r_lim",
       OptionType::IntList,
       json::array({13, 11, 9, 7}),
       "receptive-field limits per level index 0..3",
       {},
       3,
       99},
      {"repeats", OptionType::IntList, json::array({3, 7}), "blocks at levels 3, 4", {}, 0, 64},
      {"input_reinforcement", OptionType::Bool, true, "long-range shortcut from the image into levels 2-4"},
      {"in_channels", OptionType::Int, 3, "image channels", {}, 1, 64},
      {"num_classes", OptionType::Int, 20, "classes (Cityscapes 20, PASCAL VOC 21)", {}, 2, 100000},
      {"decoder_planes",
       OptionType::Int,
       16,
       "decoder width b: widths 4b, 3b, 2b (official: 16 Cityscapes/PASCAL, 32 COCO)",
       {},
       1,
       1024},
  };
  e.validate = [](const json& o) {
    block_registry().at("block", o.at("block").get<std::string>());
    validate(o);
  };
  e.build = [](const json& o) { return std::make_shared<ESPNetv2Seg>(o); };
  e.analytic = &ESPNetv2Seg::analytic;
  e.never_run = &espnetv2_seg_never_run;
  e.published = published();
  return e;
}

}  // namespace

ESPBENCH_REGISTER_MODEL(espnetv2_seg_entry());

}  // namespace espbench
