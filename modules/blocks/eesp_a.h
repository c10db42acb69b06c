// EESP-A, the intermediate design of ESPNetv2 (Fig. 1b): group point-wise
// reduce (CBR, groups=K), K depth-wise dilated 3x3 convs each followed by its own point-wise 1x1
// conv (d->d), hierarchical feature fusion, concat, BN+PReLU, residual, PReLU.
// Where the per-branch point-wise conv sits is the option `pw_before_hff` (default true:
// DW -> PW -> HFF). With false (DW -> HFF -> PW) each PW sees the fused output, which is the
// computation EESP's grouped merge conv performs (docs/architecture.md).
// The stride-2 form returns the BN+PReLU output of the concat (no residual, no final PReLU).
#pragma once
#include <torch/nn/modules/container/modulelist.h>

#include "modules/blocks/layers.h"

namespace espbench {

struct EESPAOptions {
  EESPAOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // 1, or 2 for the down-sampling form.
  TORCH_ARG(int64_t, stride) = 1;
  // Number of parallel branches K.
  TORCH_ARG(int64_t, branches) = 4;
  // Receptive-field limit capping the dilations (same rule as EESP).
  TORCH_ARG(int64_t, r_lim) = 7;
  // Hierarchical feature fusion on/off.
  TORCH_ARG(bool, hff) = true;
  // Per-branch point-wise conv before (true) or after (false) the fusion.
  TORCH_ARG(bool, pw_before_hff) = true;
};

class EESPAImpl : public torch::nn::Cloneable<EESPAImpl> {
 public:
  explicit EESPAImpl(EESPAOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const;

  EESPAOptions options;
  std::vector<int64_t> dilations;
  ConvBNAct proj_1x1{nullptr};
  torch::nn::ModuleList spp_dw{nullptr};
  torch::nn::ModuleList branch_pw{nullptr};
  BNAct br_after_cat{nullptr};
  torch::nn::PReLU module_act{nullptr};
};
TORCH_MODULE(EESPA);

}  // namespace espbench
