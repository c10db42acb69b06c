// The ESPNetv2 trunk for inference, as a part of a fused network (levels 1-5 in FastESPNetv2,
// levels 1-4 in FastESPNetv2Seg):
// level1 as a FastConv; each strided unit with its branch block as it is (FastEESP under
// eesp_kernel), its 3x3/s2 average pool written by our kernel straight into the concatenated
// output, its input reinforcement fed from an image pyramid pooled once per resolution and shared
// by the units (the same values as re-pooling from full resolution in each), and the
// reinforcement add + PReLU in one pass; the block levels with every ConvBNAct as a FastConv.
// Not a module: it registers its parts in the owning network (level1, level{L}_0_branch,
// level{L}_0_reinf_cbr, level{L}_0_reinf_cb, level{L}_0_alpha, level3, level4, ...), whose clone()
// rebuilds it. `gemm`: the 1x1 and small 3x3 FastConvs run on our own kernels.
#pragma once
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/sequential.h>

#include <vector>

#include "modules/inference/fast_conv.h"

namespace espbench {

class StridedUnitImpl;

// A Sequential with every ConvBNAct replaced by a FastConv (other modules shared as they are).
torch::nn::Sequential sequential_with_fast_convs(const torch::nn::Sequential& seq, bool gemm);

class FastTrunk {
 public:
  FastTrunk() = default;
  // units: level2_0, level3_0, ... (3 for the segmentation trunk, 4 for the classifier);
  // levels: level3, level4, ... (one fewer than the units).
  FastTrunk(torch::nn::Module& owner, const ConvBNActImpl& level1,
            const std::vector<const StridedUnitImpl*>& units,
            const std::vector<const torch::nn::Sequential*>& levels, bool reinforcement, bool gemm);

  // The image reinforces the units of levels 2-4 only: level5_0 carries the module (the official
  // weights have it) but the plain network calls it without the image.
  static constexpr size_t kReinforcedUnits = 3;

  // The outputs of level1, level2_0, level3, level4, ... (one per unit after level1). `x`:
  // contiguous float32 NCHW.
  std::vector<torch::Tensor> forward(const torch::Tensor& x);

  // The same pass stage by stage, for callers that stop between stages (a layer's output):
  //   auto pyramid = t.image_pyramid(x);  auto y = t.level1(x);
  //   y = t.unit(0, y, pyramid);  y = t.level(0, t.unit(1, y, pyramid));  ...
  // The pyramid holds the image pooled 1, 2, 3, ... times, grown on demand; empty without
  // input reinforcement.
  std::vector<torch::Tensor> image_pyramid(const torch::Tensor& x) const;
  torch::Tensor level1(const torch::Tensor& x);
  torch::Tensor unit(size_t i, const torch::Tensor& y, std::vector<torch::Tensor>& pyramid);  // level{i+2}_0
  torch::Tensor level(size_t i, const torch::Tensor& y);  // level{i+3}; the identity when empty
  size_t units() const { return down_.size(); }

 private:
  struct Down {
    torch::nn::AnyModule branch;
    FastConv reinf_cbr{nullptr}, reinf_cb{nullptr};
    torch::Tensor alpha;  // the unit's output PReLU
  };
  torch::Tensor down(Down& d, const torch::Tensor& x, std::vector<torch::Tensor>* pyramid);

  bool reinforcement_ = true;
  FastConv level1_{nullptr};
  std::vector<Down> down_;
  std::vector<torch::nn::Sequential> levels_;
};

}  // namespace espbench
