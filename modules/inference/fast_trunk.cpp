#include "modules/inference/fast_trunk.h"

#include <ATen/record_function.h>
#include <fmt/format.h>

#include "modules/blocks/strided_unit.h"
#include "modules/error.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/dw_hff.h"
#include "modules/kernels/reinforce.h"

namespace espbench {

torch::nn::Sequential sequential_with_fast_convs(const torch::nn::Sequential& seq, bool gemm) {
  torch::nn::Sequential out;
  for (const auto& any : *seq) {
    if (auto* c = any.ptr()->as<ConvBNActImpl>())
      out->push_back(FastConv(*c, gemm));
    else
      out->push_back(any);
  }
  return out;
}

namespace {

// 3x3/s2/p1 average pooling (padding counted) into channels [0, C) of a new tensor of `channels`
// channels; the caller fills the rest.
torch::Tensor pool_into_new(const torch::Tensor& x, int64_t channels) {
  RECORD_FUNCTION(kernels::kAvgPoolOpName,
                  std::vector<c10::IValue>({x, c10::IValue(std::vector<int64_t>{3, 3})}));
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  auto y = torch::empty({n, channels, oh, ow}, x.options());
  kernels::avg_pool3x3s2_forward(x.data_ptr<float>(), n, c, h, w, y.data_ptr<float>(), channels * oh * ow);
  return y;
}

}  // namespace

FastTrunk::FastTrunk(torch::nn::Module& owner, const ConvBNActImpl& level1,
                     const std::vector<const StridedUnitImpl*>& units,
                     const std::vector<const torch::nn::Sequential*>& levels, bool reinforcement, bool gemm)
    : reinforcement_(reinforcement) {
  level1_ = owner.register_module("level1", FastConv(level1, gemm));
  for (size_t i = 0; i < units.size(); ++i) {
    const auto& u = *units[i];
    const int level = static_cast<int>(i) + 2;
    Down d;
    d.branch = u.eesp;
    owner.register_module(fmt::format("level{}_0_branch", level), u.eesp.ptr());
    if (u.inp_reinf) {
      d.reinf_cbr =
          owner.register_module(fmt::format("level{}_0_reinf_cbr", level), FastConv(*u.inp_reinf->cbr, gemm));
      d.reinf_cb =
          owner.register_module(fmt::format("level{}_0_reinf_cb", level), FastConv(*u.inp_reinf->cb, gemm));
    }
    d.alpha = owner.register_buffer(fmt::format("level{}_0_alpha", level),
                                    u.act->weight.detach().clone().contiguous());
    down_.push_back(std::move(d));
  }
  for (size_t i = 0; i < levels.size(); ++i)
    levels_.push_back(
        owner.register_module(fmt::format("level{}", i + 3), sequential_with_fast_convs(*levels[i], gemm)));
}

// pyramid: the image average-pooled 1, 2, 3, ... times (grown on demand); null: no reinforcement.
torch::Tensor FastTrunk::down(Down& d, const torch::Tensor& x, std::vector<torch::Tensor>* pyramid) {
  // The pooled input and the branch's output, concatenated: the pool writes its channels in place.
  // Contiguous: a block left in channels-last must not reach the raw kernel.
  const auto branch = d.branch.forward(x).contiguous();
  const int64_t pooled_channels = x.size(1);
  auto y = pool_into_new(x.contiguous(), pooled_channels + branch.size(1));
  y.narrow(1, pooled_channels, branch.size(1)).copy_(branch);
  const int64_t width = y.size(3);
  const float* residual = nullptr;
  torch::Tensor reinf;
  const bool reinforce = pyramid && d.reinf_cb;
  if (reinforce) {
    size_t level = 0;
    do {  // as InputReinforcement: pool at least once, until the widths match
      if (++level == pyramid->size()) {
        if (pyramid->back().size(3) <= width)
          throw Error(fmt::format("input reinforcement: cannot pool an image of width {} down to {}",
                                  pyramid->front().size(3), width));
        pyramid->push_back(pool_into_new(pyramid->back(), pyramid->back().size(1)));
      }
    } while ((*pyramid)[level].size(3) != width);
    const auto r = d.reinf_cbr->forward((*pyramid)[level]).contiguous();
    if (r.size(1) <= kernels::kReinforceMaxChannels && d.reinf_cb->act == Act::None &&
        d.reinf_cb->groups == 1) {
      // The expanding 1x1 conv, the addition and the unit's PReLU in one pass.
      RECORD_FUNCTION(kernels::kReinforceOpName, std::vector<c10::IValue>({y}));
      kernels::ReinforceArgs a;
      a.y = y.data_ptr<float>();
      a.batch = y.size(0), a.channels = y.size(1), a.plane = y.size(2) * y.size(3);
      a.r = r.data_ptr<float>();
      a.k = r.size(1);
      a.weight = d.reinf_cb->weight.data_ptr<float>();
      a.bias = d.reinf_cb->bias.data_ptr<float>();
      a.alpha = d.alpha.data_ptr<float>();
      kernels::reinforce_prelu(a);
      return y;
    }
    reinf = d.reinf_cb->forward(r);
    residual = reinf.data_ptr<float>();
  }
  RECORD_FUNCTION("espbench::bias_residual_prelu", std::vector<c10::IValue>({y}));
  kernels::bias_residual_prelu(y.data_ptr<float>(), y.size(0), y.size(1), y.size(2) * y.size(3), nullptr,
                               residual, d.alpha.data_ptr<float>());
  return y;
}

std::vector<torch::Tensor> FastTrunk::image_pyramid(const torch::Tensor& x) const {
  return reinforcement_ ? std::vector<torch::Tensor>{x} : std::vector<torch::Tensor>{};
}

torch::Tensor FastTrunk::level1(const torch::Tensor& x) { return level1_->forward(x); }

torch::Tensor FastTrunk::unit(size_t i, const torch::Tensor& y, std::vector<torch::Tensor>& pyramid) {
  const bool reinforced = i < kReinforcedUnits && !pyramid.empty();
  return down(down_.at(i), y, reinforced ? &pyramid : nullptr);
}

torch::Tensor FastTrunk::level(size_t i, const torch::Tensor& y) {
  auto& seq = levels_.at(i);
  return seq->is_empty() ? y : seq->forward(y);
}

std::vector<torch::Tensor> FastTrunk::forward(const torch::Tensor& x) {
  auto pyramid = image_pyramid(x);
  std::vector<torch::Tensor> out{level1(x)};
  out.push_back(unit(0, out.back(), pyramid));
  for (size_t i = 1; i < down_.size(); ++i) out.push_back(level(i - 1, unit(i, out.back(), pyramid)));
  return out;
}

}  // namespace espbench
