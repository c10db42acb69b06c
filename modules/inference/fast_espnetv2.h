// FastESPNetv2 (--fast fuse on an ESPNetv2): the same network for inference, its levels 1-5 a
// FastTrunk (fast_trunk.h: every ConvBNAct a FastConv with BN folded and the activation in place,
// the image pyramid shared by the reinforced strided units, the 3x3 average pooling written by our
// kernel straight into the concatenated output, each strided unit's reinforcement and PReLU in one
// pass); then global pooling and the classifier. Blocks run as they are (FastEESP when eesp_kernel
// was applied). Built from a plain ESPNetv2, whose submodules it shares; the plain network must not
// be used for training afterwards. `gemm`: the 1x1 FastConvs run on our own kernel.
// Registered as the fused network of model "espnetv2" (fast_forms.h).
#pragma once
#include <torch/nn/modules/linear.h>

#include "modules/inference/fast_trunk.h"
#include "modules/network.h"

namespace espbench {

class ESPNetv2;

class FastESPNetv2 : public Network {
 public:
  explicit FastESPNetv2(const ESPNetv2& plain, bool gemm = false);
  torch::Tensor forward(torch::Tensor x) override;
  // forward() stopped after `layer`, one of the plain network's layer names (level1, level2_0,
  // level3_0, level3, level4_0, level4, level5_0, level5, classifier; modules/layer_outputs.h).
  torch::Tensor forward_to(torch::Tensor x, const std::string& layer);

 private:
  torch::Tensor classify(const torch::Tensor& features);

  FastTrunk trunk_;
  torch::nn::Linear classifier_{nullptr};
};

}  // namespace espbench
