#include "modules/blocks/esp.h"

#include <fmt/format.h>

#include "modules/blocks/dilations.h"
#include "modules/error.h"
#include "modules/registry.h"
#include "modules/scope.h"

namespace espbench {

// ESPNet v1 uses BatchNorm eps 1e-3 (official ESPNet code, sacmehta/ESPNet train/Model.py).
constexpr double kEspBnEps = 1e-3;

ESPImpl::ESPImpl(ESPOptions options_) : options(std::move(options_)) { reset(); }

void ESPImpl::reset() {
  const auto& o = options;
  const int64_t k = o.branches(), n = o.out_channels() / k, n1 = o.out_channels() - (k - 1) * n;
  dilations = o.rlim_dilations() ? eesp_dilations(k, o.r_lim()) : esp_dilations(k);
  const int64_t reduce_k = o.stride() == 2 ? 3 : 1;
  c1 = register_module("c1", ConvBNAct(ConvBNActOptions(o.in_channels(), n, reduce_k)
                                           .stride(o.stride())
                                           .batch_norm(false)
                                           .act(Act::None)));
  branches = register_module("branches", torch::nn::ModuleList());
  for (size_t i = 0; i < dilations.size(); ++i)
    branches->push_back(ConvBNAct(
        ConvBNActOptions(n, i == 0 ? n1 : n, 3).dilation(dilations[i]).batch_norm(false).act(Act::None)));
  bn_act = register_module("bn_act", BNAct(BNActOptions(o.out_channels()).bn_eps(kEspBnEps)));
}

void ESPImpl::pretty_print(std::ostream& s) const {
  s << "ESP(" << options.in_channels() << "->" << options.out_channels() << ", stride=" << options.stride()
    << ", K=" << options.branches() << ", dilations=" << torch::IntArrayRef(dilations)
    << ", hff=" << options.hff() << ")";
}

torch::Tensor ESPImpl::forward(const torch::Tensor& x) {
  ModuleScope scope(this);
  auto reduced = c1->forward(x);
  std::vector<torch::Tensor> outs;
  for (const auto& m : *branches) outs.push_back(m->as<ConvBNActImpl>()->forward(reduced));
  if (options.hff())
    for (size_t i = 2; i < outs.size(); ++i) outs[i] = outs[i] + outs[i - 1];
  auto y = torch::cat(outs, 1);
  if (options.stride() == 1 && y.sizes() == x.sizes()) y = y + x;
  return bn_act->forward(y);
}

Shape ESPImpl::analytic(Complexity& c, Shape in) const {
  Shape r = c1->analytic(c, in);
  Shape b;
  for (const auto& m : *branches) b = m->as<ConvBNActImpl>()->analytic(c, r);
  const int64_t k = options.branches(), n = options.out_channels() / k;
  if (options.hff() && k > 2) c.elementwise_ops += (k - 2) * n * b.h * b.w;
  Shape y{options.out_channels(), b.h, b.w};
  if (options.stride() == 1 && y == in) cx::add(c, y);
  return bn_act->analytic(c, y);
}

namespace {

ESPOptions esp_options(const BlockArgs& a) {
  return ESPOptions(a.in_channels, a.out_channels)
      .stride(a.stride)
      .branches(a.branches)
      .r_lim(a.r_lim)
      .rlim_dilations(a.options.at("dilations").get<std::string>() == "r_lim")
      .hff(a.options.at("hff").get<bool>());
}

BlockEntry esp_entry() {
  BlockEntry e;
  e.name = "esp";
  e.description = "ESP (ESPNet sec. 3.1): PW reduce, K standard dilated 3x3 (d=2^(k-1)), HFF, residual";
  e.schema = {{"hff", OptionType::Bool, true, "hierarchical feature fusion of the branch outputs"},
              {"dilations",
               OptionType::String,
               "pow2",
               "pow2: 2^(k-1) as in ESPNet; r_lim: EESP's rule capped by the level's r_lim",
               {"pow2", "r_lim"}}};
  e.validate = [](const BlockArgs& a) {
    if (a.out_channels / a.branches < 1)
      throw Error(fmt::format("block 'esp': output width {} is narrower than branches K={}", a.out_channels,
                              a.branches));
  };
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(ESP(esp_options(a))); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return ESP(esp_options(a))->analytic(c, in);
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_BLOCK(esp_entry());

}  // namespace espbench
