#include "modules/blocks/eesp_a.h"

#include "modules/blocks/dilations.h"
#include "modules/blocks/eesp.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {

EESPAImpl::EESPAImpl(EESPAOptions options_) : options(std::move(options_)) { reset(); }

void EESPAImpl::reset() {
  const auto& o = options;
  const int64_t k = o.branches(), n = o.out_channels() / k;
  dilations = eesp_dilations(k, o.r_lim());
  proj_1x1 = register_module("proj_1x1", ConvBNAct(ConvBNActOptions(o.in_channels(), n, 1).groups(k)));
  spp_dw = register_module("spp_dw", torch::nn::ModuleList());
  branch_pw = register_module("branch_pw", torch::nn::ModuleList());
  for (int64_t d : dilations) {
    spp_dw->push_back(ConvBNAct(
        ConvBNActOptions(n, n, 3).stride(o.stride()).dilation(d).groups(n).batch_norm(false).act(Act::None)));
    branch_pw->push_back(ConvBNAct(ConvBNActOptions(n, n, 1).batch_norm(false).act(Act::None)));
  }
  br_after_cat = register_module("br_after_cat", BNAct(BNActOptions(o.out_channels())));
  if (o.stride() == 1)
    module_act = register_module(
        "module_act", torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(o.out_channels())));
}

void EESPAImpl::pretty_print(std::ostream& s) const {
  s << "EESPA(" << options.in_channels() << "->" << options.out_channels() << ", stride=" << options.stride()
    << ", K=" << options.branches() << ", r_lim=" << options.r_lim()
    << ", dilations=" << torch::IntArrayRef(dilations) << ", hff=" << options.hff()
    << ", pw_before_hff=" << options.pw_before_hff() << ")";
}

torch::Tensor EESPAImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  auto reduced = proj_1x1->forward(x);
  const bool before = options.pw_before_hff();
  std::vector<torch::Tensor> outs;
  for (size_t i = 0; i < spp_dw->size(); ++i) {
    auto y = spp_dw[i]->as<ConvBNActImpl>()->forward(reduced);
    outs.push_back(before ? branch_pw[i]->as<ConvBNActImpl>()->forward(y) : y);
  }
  if (options.hff()) hierarchical_fusion(outs);
  if (!before)
    for (size_t i = 0; i < outs.size(); ++i) outs[i] = branch_pw[i]->as<ConvBNActImpl>()->forward(outs[i]);
  auto y = br_after_cat->forward(torch::cat(outs, 1));
  if (options.stride() == 2) return y;
  if (y.sizes() == x.sizes()) y = y + x;
  return prelu_forward(module_act, y);
}

Shape EESPAImpl::analytic(Complexity& c, Shape in) const {
  const int64_t k = options.branches();
  Shape r = proj_1x1->analytic(c, in);
  Shape b;
  for (size_t i = 0; i < spp_dw->size(); ++i)
    b = branch_pw->ptr(i)->as<ConvBNActImpl>()->analytic(c,
                                                         spp_dw->ptr(i)->as<ConvBNActImpl>()->analytic(c, r));
  if (options.hff()) c.elementwise_ops += (k - 1) * b.numel();
  Shape y = br_after_cat->analytic(c, {options.out_channels(), b.h, b.w});
  if (options.stride() == 2) return y;
  if (y == in) cx::add(c, y);
  return cx::prelu(c, y);
}

namespace {

EESPAOptions eesp_a_options(const BlockArgs& a) {
  return EESPAOptions(a.in_channels, a.out_channels)
      .stride(a.stride)
      .branches(a.branches)
      .r_lim(a.r_lim)
      .hff(a.options.at("hff").get<bool>())
      .pw_before_hff(a.options.at("pw_before_hff").get<bool>());
}

BlockEntry eesp_a_entry() {
  BlockEntry e;
  e.name = "eesp_a";
  e.description = "EESP-A (ESPNetv2 Fig. 1b): group PW reduce, K DW dilated 3x3 each with its own PW, HFF";
  e.schema = {{"hff", OptionType::Bool, true, "hierarchical feature fusion of the branch outputs"},
              {"pw_before_hff", OptionType::Bool, true,
               "per-branch point-wise conv before (true) or after (false) the fusion"}};
  e.validate = [](const BlockArgs& a) {
    check_grouped_widths("eesp_a", a.in_channels, a.out_channels, a.branches, true);
  };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(EESPA(eesp_a_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return EESPA(eesp_a_options(a))->analytic(c, in);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_BLOCK(eesp_a_entry());

}  // namespace espbench
