#include "modules/blocks/strided_unit.h"

#include <fmt/format.h>

#include "modules/error.h"
#include "modules/kernels/avg_pool.h"
#include "modules/scope.h"

namespace espbench {

InputReinforcementImpl::InputReinforcementImpl(InputReinforcementOptions options_)
    : options(std::move(options_)) {
  reset();
}

void InputReinforcementImpl::reset() {
  const int64_t c = options.image_channels();
  cbr = register_module("cbr", ConvBNAct(ConvBNActOptions(c, c, 3)));
  cb = register_module("cb", ConvBNAct(ConvBNActOptions(c, options.out_channels(), 1).act(Act::None)));
}

void InputReinforcementImpl::pretty_print(std::ostream& s) const {
  s << "InputReinforcement(" << options.image_channels() << "->" << options.out_channels() << ")";
}

torch::Tensor InputReinforcementImpl::forward(const torch::Tensor& image, int64_t width) {
  ModuleScope scope(this);
  auto pooled = image;
  do {
    if (pooled.size(3) <= width)
      throw Error(fmt::format("input reinforcement: cannot pool an image of width {} down to {}",
                              image.size(3), width));
    pooled = kernels::avg_pool3x3s2(pooled);
  } while (pooled.size(3) != width);
  return cb->forward(cbr->forward(pooled));
}

Shape InputReinforcementImpl::analytic(Complexity& c, Shape image, int64_t width) const {
  Shape p = image;
  do p = cx::avg_pool(c, p, 3, 2, 1);
  while (p.w != width && p.w > 1);
  return cb->analytic(c, cbr->analytic(c, p));
}

StridedUnitImpl::StridedUnitImpl(StridedUnitOptions options_) : options(std::move(options_)) { reset(); }

BlockArgs strided_branch_args(const StridedUnitOptions& options) {
  BlockArgs a;
  a.in_channels = options.in_channels();
  a.out_channels = options.out_channels() - options.in_channels();
  a.stride = 2;
  a.branches = options.branches();
  a.r_lim = options.r_lim();
  a.options = options.block_options();
  if (a.out_channels <= 0)
    throw Error(
        fmt::format("strided unit {}->{}: the output must be wider than the input "
                    "(the average-pooled input is concatenated)",
                    options.in_channels(), options.out_channels()));
  return resolve_block(options.block(), a);
}

void StridedUnitImpl::reset() {
  // A replaced branch (map_blocks) is not what the options build: keep a copy of it. clone()
  // copy-constructs the unit, so the copy's reset() sees the source's branch here.
  eesp = block_replaced_ ? eesp.clone()
                         : torch::nn::AnyModule(build_block(options.block(), strided_branch_args(options)));
  register_module("eesp", eesp.ptr());
  if (options.reinforcement_channels() > 0)
    inp_reinf = register_module("inp_reinf", InputReinforcement(InputReinforcementOptions(
                                                 options.reinforcement_channels(), options.out_channels())));
  act = register_module("act",
                        torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(options.out_channels())));
}

int StridedUnitImpl::map_blocks(const BlockMap& map) {
  torch::nn::AnyModule fresh = map(options.block(), eesp);
  if (fresh.is_empty()) return 0;
  eesp = std::move(fresh);
  replace_module("eesp", eesp.ptr());
  block_replaced_ = true;
  return 1;
}

void StridedUnitImpl::pretty_print(std::ostream& s) const {
  s << "StridedUnit(" << options.in_channels() << "->" << options.out_channels()
    << ", block=" << options.block() << ", reinforcement=" << (options.reinforcement_channels() > 0) << ")";
}

torch::Tensor StridedUnitImpl::forward(const torch::Tensor& x, const torch::Tensor& image) {
  ModuleScope scope(this);
  // 3x3/s2/p1 average pooling with padding counted, as the official nn.AvgPool2d(3, 2, 1).
  auto pooled = kernels::avg_pool3x3s2(x);
  auto y = torch::cat({pooled, eesp.forward(x)}, 1);
  if (image.defined() && inp_reinf) y = y + inp_reinf->forward(image, pooled.size(3));
  return prelu_forward(act, y);
}

Shape StridedUnitImpl::analytic(Complexity& c, Shape in, const Shape* image) const {
  Shape pooled = cx::avg_pool(c, in, 3, 2, 1);
  const BlockArgs a = strided_branch_args(options);
  block_registry().at("block", options.block()).analytic(c, a, in);
  Shape y{options.out_channels(), pooled.h, pooled.w};
  if (inp_reinf) {
    if (image) {
      inp_reinf->analytic(c, *image, pooled.w);
      cx::add(c, y);
    } else {
      // Built but never executed: parameters only.
      Complexity dead;
      inp_reinf->analytic(dead, {options.reinforcement_channels(), 8, 8}, 4);
      c.params += dead.params;
    }
  }
  return cx::prelu(c, y);
}

}  // namespace espbench
