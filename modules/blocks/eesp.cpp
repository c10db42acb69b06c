#include "modules/blocks/eesp.h"

#include <fmt/format.h>

#include "modules/blocks/dilations.h"
#include "modules/error.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {

void check_grouped_widths(const char* block, int64_t in, int64_t out, int64_t k, bool reduce_grouped) {
  if (out % k != 0)
    throw Error(
        fmt::format("block '{}': output width {} is not divisible by branches K={} "
                    "(choose a scale or K that divides every level's width)",
                    block, out, k));
  if (reduce_grouped && (in % k != 0 || (out / k) % k != 0))
    throw Error(
        fmt::format("block '{}': the group point-wise reduce {}->{} with {} groups needs "
                    "both widths divisible by K={}",
                    block, in, out / k, k, k));
}

void hierarchical_fusion(std::vector<torch::Tensor>& b) {
  for (size_t i = 1; i < b.size(); ++i) b[i] = b[i] + b[i - 1];
}

EESPImpl::EESPImpl(EESPOptions options_) : options(std::move(options_)) { reset(); }

void EESPImpl::reset() {
  const auto& o = options;
  const int64_t k = o.branches(), n = o.out_channels() / k;
  dilations = eesp_dilations(k, o.r_lim());
  proj_1x1 = register_module("proj_1x1", ConvBNAct(ConvBNActOptions(o.in_channels(), n, 1).groups(k)));
  spp_dw = register_module("spp_dw", torch::nn::ModuleList());
  for (int64_t d : dilations)
    spp_dw->push_back(ConvBNAct(
        ConvBNActOptions(n, n, 3).stride(o.stride()).dilation(d).groups(n).batch_norm(false).act(Act::None)));
  br_after_cat = register_module("br_after_cat", BNAct(BNActOptions(o.out_channels())));
  conv_1x1_exp = register_module(
      "conv_1x1_exp",
      ConvBNAct(ConvBNActOptions(o.out_channels(), o.out_channels(), 1).groups(k).act(Act::None)));
  module_act = register_module("module_act",
                               torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(o.out_channels())));
}

void EESPImpl::pretty_print(std::ostream& s) const {
  s << "EESP(" << options.in_channels() << "->" << options.out_channels() << ", stride=" << options.stride()
    << ", K=" << options.branches() << ", r_lim=" << options.r_lim()
    << ", dilations=" << torch::IntArrayRef(dilations) << ", hff=" << options.hff() << ")";
}

torch::Tensor EESPImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  auto reduced = proj_1x1->forward(x);
  std::vector<torch::Tensor> outs;
  outs.reserve(spp_dw->size());
  for (const auto& m : *spp_dw) outs.push_back(m->as<ConvBNActImpl>()->forward(reduced));
  if (options.hff()) hierarchical_fusion(outs);
  auto y = conv_1x1_exp->forward(br_after_cat->forward(torch::cat(outs, 1)));
  if (options.stride() == 2) return y;
  if (y.sizes() == x.sizes()) y = y + x;
  return prelu_forward(module_act, y);
}

Shape EESPImpl::analytic(Complexity& c, Shape in) const {
  const int64_t k = options.branches();
  Shape r = proj_1x1->analytic(c, in);
  Shape b;
  for (const auto& m : *spp_dw) b = m->as<ConvBNActImpl>()->analytic(c, r);
  if (options.hff()) c.elementwise_ops += (k - 1) * b.numel();
  Shape cat{options.out_channels(), b.h, b.w};
  Shape y = conv_1x1_exp->analytic(c, br_after_cat->analytic(c, cat));
  c.params += options.out_channels();  // module_act, built even where it never runs
  if (options.stride() == 2) return y;
  if (y == in) cx::add(c, y);
  c.elementwise_ops += y.numel();  // module_act
  return y;
}

namespace {

EESPOptions eesp_options(const BlockArgs& a) {
  return EESPOptions(a.in_channels, a.out_channels)
      .stride(a.stride)
      .branches(a.branches)
      .r_lim(a.r_lim)
      .hff(a.options.at("hff").get<bool>());
}

BlockEntry eesp_entry() {
  BlockEntry e;
  e.name = "eesp";
  e.description = "EESP (ESPNetv2 Fig. 1c): group PW reduce, K DW dilated 3x3, HFF, group PW merge";
  e.schema = {{"hff", OptionType::Bool, true, "hierarchical feature fusion of the branch outputs"}};
  e.validate = [](const BlockArgs& a) {
    check_grouped_widths("eesp", a.in_channels, a.out_channels, a.branches, true);
  };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(EESP(eesp_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return EESP(eesp_options(a))->analytic(c, in);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_BLOCK(eesp_entry());

}  // namespace espbench
