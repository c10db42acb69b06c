// ESPNetv2 image classifier (Mehta et al., CVPR 2019; spec section 2, official layer list):
// level1 CBR 3x3/s2 -> level2_0, level3_0 strided units -> level3 (3 units) -> level4_0 ->
// level4 (7) -> level5_0 -> level5 (3) + depth-wise 3x3 CBR + group 1x1 CBR -> global average
// pool -> dropout -> linear. Any registered block fills every level (option `block`).
#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "modules/blocks/strided_unit.h"
#include "modules/network.h"

namespace espbench {

// Channel list [c0..c5] for scale s: the official table for 0.5/1.0/1.25/1.5/2.0 and the
// formula of the paper-era code for any other s (official EdgeNets, model/classification/espnetv2.py).
std::vector<int64_t> espnetv2_channels(double scale);

class ESPNetv2 : public Network {
 public:
  explicit ESPNetv2(const json& resolved_options);
  torch::Tensor forward(torch::Tensor x) override;
  static Complexity analytic(const json& resolved_options, Shape in);

  json options;
  ConvBNAct level1{nullptr};
  StridedUnit level2_0{nullptr}, level3_0{nullptr}, level4_0{nullptr}, level5_0{nullptr};
  torch::nn::Sequential level3{nullptr}, level4{nullptr}, level5{nullptr};
  torch::nn::Linear classifier{nullptr};
};

}  // namespace espbench
