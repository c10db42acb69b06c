#include "modules/blocks/shufflenet_units.h"

#include <fmt/format.h>

#include "modules/blocks/layers.h"
#include "modules/error.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {

torch::Tensor shuffle_channels(const torch::Tensor& x, int64_t groups) {
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  if (groups < 1 || c % groups != 0)
    throw Error(fmt::format("shuffle_channels: {} channels cannot be split into {} groups", c, groups));
  return x.reshape({n, groups, c / groups, h, w}).transpose(1, 2).reshape({n, c, h, w});
}

namespace {

// ---- ShuffleNet v1 ----

bool concatenates(const ShuffleNetV1UnitOptions& o) { return o.stride() == 2 && o.concat_shortcut(); }

// Channels the branch makes: with the concatenated shortcut only the new ones.
int64_t branch_width(const ShuffleNetV1UnitOptions& o) {
  return concatenates(o) ? o.out_channels() - o.in_channels() : o.out_channels();
}

// Paper Sec. 3.3: the bottleneck is a quarter of the unit's output width.
int64_t bottleneck(const ShuffleNetV1UnitOptions& o) { return o.out_channels() / 4; }

// compress, depth-wise, expand: reset() builds them and analytic() costs them.
std::vector<ConvBNActOptions> v1_layers(const ShuffleNetV1UnitOptions& o) {
  const int64_t mid = bottleneck(o), g = o.groups();
  return {ConvBNActOptions(o.in_channels(), mid, 1).groups(o.first_group_conv() ? g : 1).act(Act::ReLU),
          // No ReLU after the depth-wise conv (paper Sec. 3.2).
          ConvBNActOptions(mid, mid, 3).stride(o.stride()).groups(mid).act(Act::None),
          ConvBNActOptions(mid, branch_width(o), 1).groups(g).act(Act::None)};
}

// The first reason the options cannot be built, or "".
std::string v1_problem(const ShuffleNetV1UnitOptions& o) {
  const int64_t in = o.in_channels(), out = o.out_channels(), g = o.groups();
  if (in < 1 || out < 1) return fmt::format("channels must be positive, got {} -> {}", in, out);
  if (o.stride() != 1 && o.stride() != 2) return fmt::format("stride must be 1 or 2, got {}", o.stride());
  if (g < 1) return fmt::format("groups must be >= 1, got {}", g);
  if (o.stride() == 1 && in != out)
    return fmt::format("stride 1 adds the identity, so in_channels must equal out_channels, got {} -> {}", in,
                       out);
  if (concatenates(o) && out <= in)
    return fmt::format(
        "stride 2 concatenates the pooled input, so out_channels must exceed in_channels, "
        "got {} -> {} (stride2_shortcut 'none' lets the branch make every channel)",
        in, out);
  if (bottleneck(o) < 1) return fmt::format("out_channels {} leaves no bottleneck (out/4 = 0)", out);
  if (o.first_group_conv() && in % g != 0)
    return fmt::format("groups {} must divide in_channels {} (the first 1x1 conv is grouped)", g, in);
  if (bottleneck(o) % g != 0)
    return fmt::format("groups {} must divide the bottleneck width out_channels/4 = {}", g, bottleneck(o));
  if (branch_width(o) % g != 0)
    return fmt::format("groups {} must divide the {} channels the branch makes", g, branch_width(o));
  return "";
}

// ---- ShuffleNet v2 ----

std::vector<ConvBNActOptions> v2_branch1(const ShuffleNetV2UnitOptions& o) {
  const int64_t in = o.in_channels(), half = o.out_channels() / 2;
  return {ConvBNActOptions(in, in, 3).stride(o.stride()).groups(in).act(Act::None),
          ConvBNActOptions(in, half, 1).act(Act::ReLU)};
}

std::vector<ConvBNActOptions> v2_branch2(const ShuffleNetV2UnitOptions& o) {
  const int64_t half = o.out_channels() / 2;
  const int64_t in = o.stride() == 2 ? o.in_channels() : half;  // stride 1 sees one half only
  return {ConvBNActOptions(in, half, 1).act(Act::ReLU),
          ConvBNActOptions(half, half, 3).stride(o.stride()).groups(half).act(Act::None),
          ConvBNActOptions(half, half, 1).act(Act::ReLU)};
}

torch::nn::Sequential sequential(const std::vector<ConvBNActOptions>& layers) {
  torch::nn::Sequential s;
  for (const auto& l : layers) s->push_back(ConvBNAct(l));
  return s;
}

Shape walk(Complexity& c, Shape in, const std::vector<ConvBNActOptions>& layers) {
  for (const auto& l : layers) in = conv_bn_act_analytic(c, in, l);
  return in;
}

}  // namespace

void check(const ShuffleNetV1UnitOptions& o) {
  std::string problem = v1_problem(o);
  if (problem.empty()) return;
  std::vector<std::string> fit;
  for (int64_t g = 1; g <= 64; ++g)
    if (v1_problem(ShuffleNetV1UnitOptions(o).groups(g)).empty()) fit.push_back(std::to_string(g));
  throw Error(fmt::format("block 'shufflenet_v1_unit': {}{}", problem,
                          o.groups() == 1 || fit.empty()
                              ? ""
                              : fmt::format("; groups that fit {} -> {} at stride {}: {}", o.in_channels(),
                                            o.out_channels(), o.stride(), join(fit))));
}

void check(const ShuffleNetV2UnitOptions& o) {
  const int64_t in = o.in_channels(), out = o.out_channels();
  auto fail = [](const std::string& why) { throw Error("block 'shufflenet_v2_unit': " + why); };
  if (in < 1 || out < 1) fail(fmt::format("channels must be positive, got {} -> {}", in, out));
  if (o.stride() != 1 && o.stride() != 2) fail(fmt::format("stride must be 1 or 2, got {}", o.stride()));
  if (out % 2 != 0) fail(fmt::format("out_channels {} must be even (two concatenated halves)", out));
  if (o.stride() == 1 && in != out)
    fail(
        fmt::format("stride 1 splits the input into the two halves of the output, so in_channels must "
                    "equal out_channels, got {} -> {}",
                    in, out));
}

ShuffleNetV1UnitImpl::ShuffleNetV1UnitImpl(ShuffleNetV1UnitOptions options_) : options(std::move(options_)) {
  reset();
}

void ShuffleNetV1UnitImpl::reset() {
  check(options);
  auto layers = v1_layers(options);
  compress = register_module("compress", ConvBNAct(layers[0]));
  dw = register_module("dw", ConvBNAct(layers[1]));
  expand = register_module("expand", ConvBNAct(layers[2]));
  if (concatenates(options))
    shortcut_pool = register_module(
        "shortcut_pool", torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(3).stride(2).padding(1)));
}

void ShuffleNetV1UnitImpl::pretty_print(std::ostream& s) const {
  s << "ShuffleNetV1Unit(" << options.in_channels() << "->" << options.out_channels()
    << ", s=" << options.stride() << ", g=" << options.groups() << ", bottleneck=" << bottleneck(options)
    << (options.first_group_conv() ? "" : ", first 1x1 ungrouped")
    << (concatenates(options) ? ", avg-pool concat" : "") << ")";
}

torch::Tensor ShuffleNetV1UnitImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  auto y = compress->forward(x);
  if (options.groups() > 1) y = shuffle_channels(y, options.groups());
  y = expand->forward(dw->forward(y));
  if (options.stride() == 1) return torch::relu(x + y);
  if (!concatenates(options)) return y;
  return torch::relu(torch::cat({shortcut_pool->forward(x), y}, 1));
}

Shape ShuffleNetV1UnitImpl::analytic(const ShuffleNetV1UnitOptions& o, Complexity& c, Shape in) {
  Shape y = walk(c, in, v1_layers(o));
  if (o.stride() == 1) return cx::activation(c, cx::add(c, y));
  if (!concatenates(o)) return y;
  Shape pooled = cx::avg_pool(c, in, 3, 2, 1);
  return cx::activation(c, Shape{pooled.c + y.c, y.h, y.w});
}

ShuffleNetV2UnitImpl::ShuffleNetV2UnitImpl(ShuffleNetV2UnitOptions options_) : options(std::move(options_)) {
  reset();
}

void ShuffleNetV2UnitImpl::reset() {
  check(options);
  if (options.stride() == 2) branch1 = register_module("branch1", sequential(v2_branch1(options)));
  branch2 = register_module("branch2", sequential(v2_branch2(options)));
}

void ShuffleNetV2UnitImpl::pretty_print(std::ostream& s) const {
  s << "ShuffleNetV2Unit(" << options.in_channels() << "->" << options.out_channels()
    << ", s=" << options.stride() << ")";
}

torch::Tensor ShuffleNetV2UnitImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  torch::Tensor y;
  if (options.stride() == 1) {
    auto halves = x.chunk(2, 1);
    y = torch::cat({halves[0], branch2->forward(halves[1])}, 1);
  } else {
    y = torch::cat({branch1->forward(x), branch2->forward(x)}, 1);
  }
  return shuffle_channels(y, 2);
}

Shape ShuffleNetV2UnitImpl::analytic(const ShuffleNetV2UnitOptions& o, Complexity& c, Shape in) {
  if (o.stride() == 1) {
    Shape half{in.c / 2, in.h, in.w};
    Shape b = walk(c, half, v2_branch2(o));
    return {half.c + b.c, b.h, b.w};
  }
  Shape a = walk(c, in, v2_branch1(o));
  Shape b = walk(c, in, v2_branch2(o));
  return {a.c + b.c, b.h, b.w};
}

namespace {

ShuffleNetV1UnitOptions v1_options(const BlockArgs& a) {
  const auto& o = a.options;
  const std::string shortcut = o.at("stride2_shortcut").get<std::string>();
  // 'auto': the paper's concatenation where it can widen, else the bare branch (the host, e.g.
  // ESPNetv2's down-sampler asking for in -> in at stride 2, concatenates the pooled input itself).
  const bool concat = shortcut == "avg_concat" || (shortcut == "auto" && a.out_channels > a.in_channels);
  return ShuffleNetV1UnitOptions(a.in_channels, a.out_channels)
      .stride(a.stride)
      .groups(o.at("groups").get<int64_t>())
      .first_group_conv(o.at("first_group_conv").get<bool>())
      .concat_shortcut(concat);
}

ShuffleNetV2UnitOptions v2_options(const BlockArgs& a) {
  return ShuffleNetV2UnitOptions(a.in_channels, a.out_channels).stride(a.stride);
}

BlockEntry shufflenet_v1_unit_entry() {
  BlockEntry e;
  e.name = "shufflenet_v1_unit";
  e.description = "ShuffleNet v1 unit: group 1x1, channel shuffle, 3x3 DW, group 1x1 (paper Fig. 2b/c)";
  e.schema = {
      // 4, not the paper's 3: it divides every ESPNetv2 width (32..512) and their quarters.
      {"groups", OptionType::Int, 4, "groups g of the 1x1 convs (paper: 1, 2, 3, 4, 8)", {}, 1, 64},
      {"first_group_conv", OptionType::Bool, true, "group the first 1x1 (off in ShuffleNet's first unit)"},
      {"stride2_shortcut",
       OptionType::String,
       "auto",
       "stride 2: avg_concat = paper (needs out > in), none = branch only, auto = avg_concat if out > in",
       {"auto", "avg_concat", "none"}},
  };
  e.validate = [](const BlockArgs& a) { check(v1_options(a)); };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(ShuffleNetV1Unit(v1_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return ShuffleNetV1UnitImpl::analytic(v1_options(a), c, in);
  };
  return e;
}

BlockEntry shufflenet_v2_unit_entry() {
  BlockEntry e;
  e.name = "shufflenet_v2_unit";
  e.description = "ShuffleNet v2 unit: channel split, 1x1-DW-1x1 branch, concat, shuffle (paper Fig. 3c/d)";
  e.validate = [](const BlockArgs& a) { check(v2_options(a)); };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(ShuffleNetV2Unit(v2_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return ShuffleNetV2UnitImpl::analytic(v2_options(a), c, in);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_BLOCK(shufflenet_v1_unit_entry());
ESPBENCH_REGISTER_BLOCK(shufflenet_v2_unit_entry());

}  // namespace espbench
