// EESP: Extremely Efficient Spatial Pyramid of depth-wise dilated separable convolutions
// (ESPNetv2, Fig. 1c, exactly as the official code builds it):
// group point-wise reduce (CBR, groups=K) -> K depth-wise dilated 3x3 convs -> hierarchical
// feature fusion -> concat -> BN+PReLU -> group point-wise merge (CB, groups=K) -> residual -> PReLU.
// With stride 2 it is the official 'avg' down-sampling form: it returns the merge output (no
// residual, no activation) and the StridedUnit finishes the job; the unused output PReLU is still
// built, as in the official code, so parameter counts match the published ones.
#pragma once
#include <torch/nn/modules/container/modulelist.h>

#include "modules/blocks/layers.h"

namespace espbench {

struct EESPOptions {
  EESPOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // 1, or 2 for the down-sampling form (depth-wise convs stride, the reduce conv does not).
  TORCH_ARG(int64_t, stride) = 1;
  // Number of parallel branches K; widths must be divisible by K.
  TORCH_ARG(int64_t, branches) = 4;
  // Receptive-field limit that caps the dilations (official EESP, nn_layers/eesp.py).
  TORCH_ARG(int64_t, r_lim) = 7;
  // Hierarchical feature fusion (cumulative sum of branch outputs); off = plain concat.
  TORCH_ARG(bool, hff) = true;
};

class EESPImpl : public torch::nn::Cloneable<EESPImpl> {
 public:
  explicit EESPImpl(EESPOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x);
  Shape analytic(Complexity& c, Shape in) const;

  EESPOptions options;
  std::vector<int64_t> dilations;
  ConvBNAct proj_1x1{nullptr};
  torch::nn::ModuleList spp_dw{nullptr};
  BNAct br_after_cat{nullptr};
  ConvBNAct conv_1x1_exp{nullptr};
  torch::nn::PReLU module_act{nullptr};
};
TORCH_MODULE(EESP);

// Shape checks shared by the EESP family: widths divisible by K, branch width divisible by K.
void check_grouped_widths(const char* block, int64_t in, int64_t out, int64_t branches, bool reduce_grouped);

// Hierarchical feature fusion: o_1 = b_1, o_i = b_i + o_{i-1} (every branch, as the code does).
void hierarchical_fusion(std::vector<torch::Tensor>& branches);

}  // namespace espbench
