// FastESPNetv2 (--fast fuse on an ESPNetv2): the same network for inference, with the skeleton
// restructured around the blocks: every ConvBNAct becomes a FastConv (BN folded, oneDNN, in-place
// activation); the input reinforcement pools the image once per resolution (an image pyramid
// shared by the strided units, instead of re-pooling from full resolution in each unit: the same
// values, computed once); the strided units' 3x3 average pooling runs on our own kernel
// (modules/kernels/avg_pool.h), straight into the concatenated output; each strided unit's reinforcement add
// and PReLU run as one pass. Blocks run as they are (FastEESP when eesp_kernel was applied). Built from a
// plain ESPNetv2, whose submodules it shares; the plain network must not be used for training afterwards.
// `gemm`: the 1x1 FastConvs (input reinforcement, the level-5 expansion) run on our own kernel.
// Registered as the fused network of model "espnetv2" (fast_forms.h).
#pragma once
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "modules/inference/fast_conv.h"
#include "modules/network.h"

namespace espbench {

class ESPNetv2;
class StridedUnitImpl;

class FastESPNetv2 : public Network {
 public:
  explicit FastESPNetv2(const ESPNetv2& plain, bool gemm = false);
  torch::Tensor forward(torch::Tensor x) override;
  // forward() stopped after `layer`, one of the plain network's layer names (level1, level2_0,
  // level3_0, level3, level4_0, level4, level5_0, level5, classifier; modules/layer_outputs.h).
  torch::Tensor forward_to(torch::Tensor x, const std::string& layer);

  struct Down {
    torch::nn::AnyModule branch;  // the strided block
    FastConv reinf_cbr{nullptr}, reinf_cb{nullptr};
    torch::Tensor alpha;  // output PReLU
  };

 private:
  torch::Tensor down(Down& d, const torch::Tensor& x, std::vector<torch::Tensor>* pyramid);

  bool reinforcement_ = true;
  FastConv level1_{nullptr};
  Down down_[4];
  torch::nn::Sequential levels_[3];
  torch::nn::Linear classifier_{nullptr};
};

}  // namespace espbench
