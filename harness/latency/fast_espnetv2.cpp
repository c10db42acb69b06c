#include "harness/latency/fast_espnetv2.h"

#include <fmt/format.h>

#include "harness/latency/eesp_kernel.h"
#include "modules/blocks/strided_unit.h"
#include "modules/error.h"
#include "modules/nets/espnetv2.h"
#include "modules/scope.h"

namespace espbench {

namespace {

torch::nn::Sequential with_fast_convs(const torch::nn::Sequential& seq) {
  torch::nn::Sequential out;
  for (const auto& any : *seq) {
    if (auto* c = any.ptr()->as<ConvBNActImpl>())
      out->push_back(FastConv(*c));
    else
      out->push_back(any);
  }
  return out;
}

}  // namespace

FastESPNetv2::FastESPNetv2(const ESPNetv2& p) {
  reinforcement_ = p.options.at("input_reinforcement").get<bool>();
  level1_ = register_module("level1", FastConv(*p.level1));
  const StridedUnitImpl* units[] = {p.level2_0.get(), p.level3_0.get(), p.level4_0.get(), p.level5_0.get()};
  for (int i = 0; i < 4; ++i) {
    const auto& u = *units[i];
    const auto& avg = u.avg->options;
    auto is = [](const torch::ExpandingArray<2>& a, int64_t v) { return (*a)[0] == v && (*a)[1] == v; };
    if (!is(avg.kernel_size(), 3) || !is(avg.stride(), 2) || !is(avg.padding(), 1) ||
        !avg.count_include_pad())
      throw Error("FastESPNetv2: expects the strided units' 3x3/s2/p1 average pool");
    Down& d = down_[i];
    d.branch = u.eesp;
    register_module(fmt::format("level{}_0_branch", i + 2), u.eesp.ptr());
    if (u.inp_reinf) {
      d.reinf_cbr = register_module(fmt::format("level{}_0_reinf_cbr", i + 2), FastConv(*u.inp_reinf->cbr));
      d.reinf_cb = register_module(fmt::format("level{}_0_reinf_cb", i + 2), FastConv(*u.inp_reinf->cb));
    }
    d.alpha =
        register_buffer(fmt::format("level{}_0_alpha", i + 2), u.act->weight.detach().clone().contiguous());
  }
  const torch::nn::Sequential* levels[] = {&p.level3, &p.level4, &p.level5};
  for (int i = 0; i < 3; ++i)
    levels_[i] = register_module(fmt::format("level{}", i + 3), with_fast_convs(*levels[i]));
  classifier_ =
      register_module("classifier", std::dynamic_pointer_cast<torch::nn::LinearImpl>(p.classifier->clone()));
  eval();
}

// pyramid: the image average-pooled 1, 2, 3, ... times (grown on demand); null: no reinforcement.
torch::Tensor FastESPNetv2::down(Down& d, const torch::Tensor& x, std::vector<torch::Tensor>* pyramid) {
  auto pooled = torch::avg_pool2d(x, 3, 2, 1);
  // Contiguous: a block left in channels-last (--fast channels_last) must not reach the raw kernel.
  auto y = torch::cat({pooled, d.branch.forward(x)}, 1).contiguous();
  const float* residual = nullptr;
  torch::Tensor reinf;
  if (pyramid && d.reinf_cb) {
    const int64_t width = pooled.size(3);
    size_t level = 0;
    do {  // as InputReinforcement: pool at least once, until the widths match
      if (++level == pyramid->size()) {
        if (pyramid->back().size(3) <= width)
          throw Error(fmt::format("input reinforcement: cannot pool an image of width {} down to {}",
                                  pyramid->front().size(3), width));
        pyramid->push_back(torch::avg_pool2d(pyramid->back(), 3, 2, 1));
      }
    } while ((*pyramid)[level].size(3) != width);
    reinf = d.reinf_cb->forward(d.reinf_cbr->forward((*pyramid)[level]));
    residual = reinf.data_ptr<float>();
  }
  fast::bias_residual_prelu(y.data_ptr<float>(), y.size(0), y.size(1), y.size(2) * y.size(3), nullptr,
                            residual, d.alpha.data_ptr<float>());
  return y;
}

torch::Tensor FastESPNetv2::forward(torch::Tensor input) {
  ModuleScope scope(this);
  check_fast_input(input, "FastESPNetv2");
  const auto x = input.contiguous();
  std::vector<torch::Tensor> pyramid{x};
  std::vector<torch::Tensor>* pyr = reinforcement_ ? &pyramid : nullptr;
  auto y = level1_->forward(x);
  y = down(down_[0], y, pyr);
  y = levels_[0]->forward(down(down_[1], y, pyr));
  y = levels_[1]->forward(down(down_[2], y, pyr));
  y = levels_[2]->forward(down(down_[3], y, nullptr));
  y = y.mean({2, 3});  // global average pool; dropout is the identity in eval mode
  // One image: matrix-vector product (ATen's addmm packs the whole 1000x1024 weight every call).
  if (y.size(0) == 1) return at::addmv(classifier_->bias, classifier_->weight, y[0]).unsqueeze(0);
  return classifier_->forward(y);
}

}  // namespace espbench
