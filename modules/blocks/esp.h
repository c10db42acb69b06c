// ESP module of ESPNet (Mehta et al., ECCV 2018): point-wise reduce, K parallel
// standard 3x3 dilated convs (dilation 2^(k-1)), hierarchical feature fusion, concat, residual,
// BN+PReLU. Branch width n = floor(out/K); the first (d=1) branch absorbs the remainder, so the
// output need not be divisible by K. HFF leaves the d=1 branch alone and sums the others
// cumulatively. The stride-2 form is ESPNet's DownSamplerB: a 3x3 stride-2 reduce conv, no
// residual, BN+PReLU on the concat. Inside the ESPNetv2 skeleton K follows the skeleton's
// `branches` (4 by default; ESPNet itself uses 5).
#pragma once
#include <torch/nn/modules/container/modulelist.h>

#include "modules/blocks/layers.h"

namespace espbench {

struct ESPOptions {
  ESPOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // 1, or 2 for DownSamplerB (the reduce conv becomes 3x3 stride 2).
  TORCH_ARG(int64_t, stride) = 1;
  // Number of parallel branches K.
  TORCH_ARG(int64_t, branches) = 5;
  // Dilations: 2^(k-1) (ESPNet, default) or capped by r_lim as in EESP.
  TORCH_ARG(bool, rlim_dilations) = false;
  // Receptive-field limit, used only with rlim_dilations.
  TORCH_ARG(int64_t, r_lim) = 7;
  // Hierarchical feature fusion on/off.
  TORCH_ARG(bool, hff) = true;
};

class ESPImpl : public torch::nn::Cloneable<ESPImpl> {
 public:
  explicit ESPImpl(ESPOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const;

  ESPOptions options;
  std::vector<int64_t> dilations;
  ConvBNAct c1{nullptr};
  torch::nn::ModuleList branches{nullptr};
  BNAct bn_act{nullptr};
};
TORCH_MODULE(ESP);

}  // namespace espbench
