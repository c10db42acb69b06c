// FastESPNetv2Seg (--fast fuse on an espnetv2_seg): the same network for inference. The trunk as
// FastTrunk (fast_trunk.h: FastConvs, the shared image pyramid, fused strided-unit epilogues; its
// blocks as they are, FastEESP under eesp_kernel); the decoder's pyramid units as FastPyramidPool
// and each merge step (resize, gated projection of the encoder level, addition, BN + PReLU) as one
// FastMergeUnit call (fast_seg_decoder.h). Built from a plain ESPNetv2Seg, whose blocks it shares;
// the plain network must not be used for training afterwards. Registered as the fused network of
// model "espnetv2_seg" (fast_forms.h). NCHW throughout (channels_last is skipped).
#pragma once
#include "modules/inference/fast_seg_decoder.h"
#include "modules/inference/fast_trunk.h"
#include "modules/network.h"

namespace espbench {

class ESPNetv2Seg;

class FastESPNetv2Seg : public Network {
 public:
  explicit FastESPNetv2Seg(const ESPNetv2Seg& plain, bool gemm = false);
  torch::Tensor forward(torch::Tensor x) override;
  // forward() stopped after `layer`, one of the plain network's (espnetv2_seg_layers()).
  torch::Tensor forward_to(torch::Tensor x, const std::string& layer);

 private:
  // The forward pass stopped after layer number `stop` of espnetv2_seg_layers().
  torch::Tensor run_to(const torch::Tensor& input, size_t stop);

  FastTrunk trunk_;
  FastPyramidPool dec_[4]{nullptr, nullptr, nullptr, nullptr};
  FastMergeUnit merge_[3]{nullptr, nullptr, nullptr};
};

}  // namespace espbench
