#include "modules/blocks/seg_decoder.h"

#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/pooling.h>

#include <cmath>
#include <numeric>

#include "modules/blocks/shufflenet_units.h"
#include "modules/scope.h"

namespace espbench {

torch::Tensor ChannelShuffleImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  return shuffle_channels(x, groups);
}

torch::Tensor resize_bilinear(const torch::Tensor& x, int64_t h, int64_t w) {
  return at::upsample_bilinear2d(x, {h, w}, /*align_corners=*/true);
}

// ---- PyramidPool ----

int64_t PyramidPoolImpl::branch_size(int64_t n, double scale) {
  // In double precision, as the official int(math.ceil(n * scale)) (n * 0.1 is not exact).
  return std::max<int64_t>(5, static_cast<int64_t>(std::ceil(static_cast<double>(n) * scale)));
}

PyramidPoolImpl::PyramidPoolImpl(PyramidPoolOptions options_) : options(std::move(options_)) { reset(); }

void PyramidPoolImpl::reset() {
  const auto& o = options;
  const int64_t p = o.proj_channels(), n = static_cast<int64_t>(kScales.size());
  projection_layer = register_module("projection_layer", ConvBNAct(ConvBNActOptions(o.in_channels(), p, 1)));
  stages = register_module("stages", torch::nn::ModuleList());
  for (size_t i = 0; i < kScales.size(); ++i)
    stages->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(p, p, 3).padding(1).groups(p).bias(false)));
  merge_layer = register_module(
      "merge_layer",
      torch::nn::Sequential(
          BNAct(BNActOptions(n * p)), ChannelShuffle(n), ConvBNAct(ConvBNActOptions(n * p, p, 3).groups(p)),
          torch::nn::Conv2d(torch::nn::Conv2dOptions(p, o.out_channels(), 1).bias(o.last()))));
  br = o.last() ? nullptr : register_module("br", BNAct(BNActOptions(o.out_channels())));
}

void PyramidPoolImpl::pretty_print(std::ostream& s) const {
  s << "PyramidPool(" << options.in_channels() << "->" << options.proj_channels() << "x" << kScales.size()
    << "->" << options.out_channels() << (options.last() ? ", last" : "") << ")";
}

torch::Tensor PyramidPoolImpl::forward(const torch::Tensor& input) {
  ModuleScope scope(this);
  const auto x = projection_layer->forward(input);
  const int64_t h = x.size(2), w = x.size(3);
  std::vector<torch::Tensor> branches;
  for (size_t i = 0; i < kScales.size(); ++i) {
    const double s = kScales[i];
    auto& stage = *stages[i]->as<torch::nn::Conv2dImpl>();
    const int64_t hs = branch_size(h, s), ws = branch_size(w, s);
    if (s < 1.0)
      branches.push_back(resize_bilinear(stage.forward(torch::adaptive_avg_pool2d(x, {hs, ws})), h, w));
    else if (s > 1.0)
      branches.push_back(torch::adaptive_avg_pool2d(stage.forward(resize_bilinear(x, hs, ws)), {h, w}));
    else
      branches.push_back(stage.forward(x));
  }
  auto y = merge_br().forward(torch::cat(branches, 1));
  y = merge_pw().forward(merge_conv().forward(shuffle().forward(y)));
  return br ? br->forward(y) : y;
}

Shape PyramidPoolImpl::analytic(Complexity& c, Shape in) const {
  const int64_t p = options.proj_channels();
  const Shape x = projection_layer->analytic(c, in);
  for (double s : kScales) {
    const int64_t hs = branch_size(x.h, s), ws = branch_size(x.w, s);
    auto stage = [&](Shape at) { return cx::conv(c, at, p, 3, 1, 1, 1, p); };
    if (s < 1.0)
      cx::resize(c, stage(cx::adaptive_avg_pool(c, x, hs, ws)), x.h, x.w);
    else if (s > 1.0)
      cx::adaptive_avg_pool(c, stage(cx::resize(c, x, hs, ws)), x.h, x.w);
    else
      stage(x);
  }
  Shape y = merge_br().analytic(c, {p * static_cast<int64_t>(kScales.size()), x.h, x.w});
  y = merge_conv().analytic(c, y);
  y = cx::conv(c, y, options.out_channels(), 1, 1, 0, 1, 1, /*bias=*/options.last());
  return br ? br->analytic(c, y) : y;
}

// ---- MergeUnit ----

MergeUnitImpl::MergeUnitImpl(int64_t in, int64_t out) : in_channels(in), out_channels(out) { reset(); }

void MergeUnitImpl::reset() {
  wt_layer = register_module(
      "wt_layer", torch::nn::Sequential(
                      torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)),
                      torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 1).bias(false)),
                      torch::nn::Sigmoid()));
  expansion_layer = register_module(
      "expansion_layer",
      ConvBNAct(ConvBNActOptions(in_channels, out_channels, 3).groups(std::gcd(in_channels, out_channels))));
}

void MergeUnitImpl::pretty_print(std::ostream& s) const {
  s << "MergeUnit(" << in_channels << "->" << out_channels << ")";
}

torch::Tensor MergeUnitImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  const auto gate = wt_layer->forward(x);
  return expansion_layer->forward(x) * gate;
}

Shape MergeUnitImpl::analytic(Complexity& c, Shape in) const {
  Shape g = cx::global_avg_pool(c, in);
  g = cx::conv(c, g, out_channels, 1);
  cx::activation(c, g);                                 // sigmoid
  return cx::add(c, expansion_layer->analytic(c, in));  // the gated product
}

}  // namespace espbench
