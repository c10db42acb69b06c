#include "modules/network.h"

#include <fmt/format.h>
#include <torch/nn/cloneable.h>

#include "modules/error.h"

namespace espbench {

namespace {

// Module::clone_, which overwrites a module in place with a deep copy of another, is reachable
// only from Cloneable::clone(). This helper holds the source network's children; its reset()
// registers the target's children under the same names, so Cloneable::clone() overwrites each
// target child with a clone of the matching source child.
class ChildCopier : public torch::nn::Cloneable<ChildCopier> {
 public:
  ChildCopier(const torch::nn::Module& source, torch::nn::Module& target) : target_(&target) {
    for (const auto& child : source.named_children()) register_module(child.key(), child.value());
  }
  void reset() override {
    for (const auto& child : target_->named_children()) register_module(child.key(), child.value());
  }

 private:
  torch::nn::Module* target_;
};

}  // namespace

std::shared_ptr<torch::nn::Module> Network::clone(const c10::optional<torch::Device>& device) const {
  if (!make_twin)
    throw Error(
        fmt::format("clone() of network {}: it was built without make_twin (build it with "
                    "build_model(), as a BlockNetwork or through the --fast transform)",
                    name()));
  torch::NoGradGuard no_grad;
  NetworkPtr copy = make_twin();
  const auto src_names = named_children().keys(), dst_names = copy->named_children().keys();
  if (src_names != dst_names)
    throw Error(fmt::format("clone() of network {}: its twin has other children ({} vs {})", name(),
                            fmt::join(dst_names, ","), fmt::join(src_names, ",")));
  ChildCopier(*this, *copy).clone(device);
  auto copy_own = [&](const auto& from, auto to) {
    for (const auto& item : from) {
      auto* dst = to.find(item.key());
      if (!dst) throw Error(fmt::format("clone() of network {}: its twin lacks '{}'", name(), item.key()));
      dst->set_data(device && item.value().device() != *device ? item.value().to(*device)
                                                               : item.value().clone());
    }
  };
  copy_own(named_parameters(/*recurse=*/false), copy->named_parameters(/*recurse=*/false));
  copy_own(named_buffers(/*recurse=*/false), copy->named_buffers(/*recurse=*/false));
  copy->train(is_training());
  return copy;
}

}  // namespace espbench
