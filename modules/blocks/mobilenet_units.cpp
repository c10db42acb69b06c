#include "modules/blocks/mobilenet_units.h"

#include <fmt/format.h>

#include "modules/error.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {

namespace {

// Each unit's convolutions in order: reset() builds them and analytic() costs them, so the two
// cannot drift apart.
std::vector<ConvBNActOptions> v1_layers(const MobileNetV1UnitOptions& o) {
  const int64_t in = o.in_channels();
  return {ConvBNActOptions(in, in, 3).stride(o.stride()).groups(in).act(o.act()),
          ConvBNActOptions(in, o.out_channels(), 1).act(o.act())};
}

std::vector<ConvBNActOptions> v2_layers(const MobileNetV2UnitOptions& o) {
  const int64_t in = o.in_channels();
  const int64_t hidden = in * o.expand_ratio();
  std::vector<ConvBNActOptions> layers;
  if (o.expand_ratio() != 1) layers.push_back(ConvBNActOptions(in, hidden, 1).act(Act::ReLU6));
  layers.push_back(ConvBNActOptions(hidden, hidden, 3).stride(o.stride()).groups(hidden).act(Act::ReLU6));
  // Linear bottleneck: a ReLU on the narrow projection would destroy information (paper Sec. 3.2).
  layers.push_back(ConvBNActOptions(hidden, o.out_channels(), 1).act(Act::None));
  return layers;
}

void check_shape(const char* block, int64_t in, int64_t out, int64_t stride) {
  if (in < 1 || out < 1)
    throw Error(fmt::format("block '{}': channels must be positive, got {} -> {}", block, in, out));
  if (stride != 1 && stride != 2)
    throw Error(fmt::format("block '{}': stride must be 1 or 2, got {}", block, stride));
}

}  // namespace

void check(const MobileNetV1UnitOptions& o) {
  check_shape("mobilenet_v1_unit", o.in_channels(), o.out_channels(), o.stride());
}

void check(const MobileNetV2UnitOptions& o) {
  check_shape("mobilenet_v2_unit", o.in_channels(), o.out_channels(), o.stride());
  if (o.expand_ratio() < 1)
    throw Error(fmt::format("block 'mobilenet_v2_unit': option 'expand_ratio' must be >= 1, got {}",
                            o.expand_ratio()));
}

MobileNetV1UnitImpl::MobileNetV1UnitImpl(MobileNetV1UnitOptions options_) : options(std::move(options_)) {
  reset();
}

void MobileNetV1UnitImpl::reset() {
  check(options);
  auto layers = v1_layers(options);
  dw = register_module("dw", ConvBNAct(layers[0]));
  pw = register_module("pw", ConvBNAct(layers[1]));
}

void MobileNetV1UnitImpl::pretty_print(std::ostream& s) const {
  s << "MobileNetV1Unit(" << options.in_channels() << "->" << options.out_channels()
    << ", s=" << options.stride() << ", " << to_string(options.act()) << ")";
}

torch::Tensor MobileNetV1UnitImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  return pw->forward(dw->forward(x));
}

Shape MobileNetV1UnitImpl::analytic(const MobileNetV1UnitOptions& o, Complexity& c, Shape in) {
  for (const auto& layer : v1_layers(o)) in = conv_bn_act_analytic(c, in, layer);
  return in;
}

MobileNetV2UnitImpl::MobileNetV2UnitImpl(MobileNetV2UnitOptions options_) : options(std::move(options_)) {
  reset();
}

void MobileNetV2UnitImpl::reset() {
  check(options);
  conv = register_module("conv", torch::nn::Sequential());
  for (const auto& layer : v2_layers(options)) conv->push_back(ConvBNAct(layer));
}

void MobileNetV2UnitImpl::pretty_print(std::ostream& s) const {
  s << "MobileNetV2Unit(" << options.in_channels() << "->" << options.out_channels()
    << ", s=" << options.stride() << ", t=" << options.expand_ratio() << (residual() ? ", residual" : "")
    << ")";
}

torch::Tensor MobileNetV2UnitImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  auto y = conv->forward(x);
  return residual() ? x + y : y;
}

Shape MobileNetV2UnitImpl::analytic(const MobileNetV2UnitOptions& o, Complexity& c, Shape in) {
  Shape y = in;
  for (const auto& layer : v2_layers(o)) y = conv_bn_act_analytic(c, y, layer);
  if (o.stride() == 1 && o.in_channels() == o.out_channels()) cx::add(c, y);
  return y;
}

namespace {

MobileNetV1UnitOptions v1_options(const BlockArgs& a) {
  return MobileNetV1UnitOptions(a.in_channels, a.out_channels).stride(a.stride);
}

MobileNetV2UnitOptions v2_options(const BlockArgs& a) {
  return MobileNetV2UnitOptions(a.in_channels, a.out_channels)
      .stride(a.stride)
      .expand_ratio(a.options.at("expand_ratio").get<int64_t>());
}

BlockEntry mobilenet_v1_unit_entry() {
  BlockEntry e;
  e.name = "mobilenet_v1_unit";
  e.description = "MobileNetV1 depth-wise separable conv: 3x3 DW+BN+ReLU, 1x1 PW+BN+ReLU (paper Fig. 3)";
  e.validate = [](const BlockArgs& a) { check(v1_options(a)); };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(MobileNetV1Unit(v1_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return MobileNetV1UnitImpl::analytic(v1_options(a), c, in);
  };
  return e;
}

BlockEntry mobilenet_v2_unit_entry() {
  BlockEntry e;
  e.name = "mobilenet_v2_unit";
  e.description = "MobileNetV2 inverted residual with linear bottleneck, ReLU6 (paper Table 1)";
  e.schema = {{"expand_ratio", OptionType::Int, 6, "expansion factor t of the hidden width", {}, 1, 16}};
  e.validate = [](const BlockArgs& a) { check(v2_options(a)); };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(MobileNetV2Unit(v2_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return MobileNetV2UnitImpl::analytic(v2_options(a), c, in);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_BLOCK(mobilenet_v1_unit_entry());
ESPBENCH_REGISTER_BLOCK(mobilenet_v2_unit_entry());

}  // namespace espbench
