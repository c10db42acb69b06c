// ESPNetv2 image classifier (Mehta et al., CVPR 2019; spec section 2, official layer list):
// level1 CBR 3x3/s2 -> level2_0, level3_0 strided units -> level3 (3 units) -> level4_0 ->
// level4 (7) -> level5_0 -> level5 (3) + depth-wise 3x3 CBR + group 1x1 CBR -> global average
// pool -> dropout -> linear. Any registered block fills every level (option `block`).
//
// Modules that are built but never run in a forward pass, as in the official network (their
// parameters are counted in `params`, and reported as params_unused by harness/complexity):
//   level5_0.inp_reinf      level5_0's input reinforcement (forward() never hands level5_0 the image)
//   level{2..5}_0.eesp.module_act   the strided EESP branches' output PReLU (a stride-2 EESP returns
//                                   its merge output; the unit's own PReLU follows the concatenation)
// espnetv2_never_run() lists them as module paths (the model entry's `never_run`);
// tests/test_module_contracts.cpp checks that the forward pass leaves exactly these unused.
#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "modules/block_holder.h"
#include "modules/blocks/strided_unit.h"
#include "modules/network.h"

namespace espbench {

// Channel list [c0..c5] for scale s: the official table for 0.5/1.0/1.25/1.5/2.0 and the
// formula of the paper-era code for any other s (official EdgeNets, model/classification/espnetv2.py).
std::vector<int64_t> espnetv2_channels(double scale);

// Module paths that never run, per the list above, for resolved options. The strided branches'
// PReLU is listed for the EESP (its `module_act`); other blocks' stride-2 forms use all they build.
std::vector<std::string> espnetv2_never_run(const json& resolved_options);

// Holds the blocks of levels 3, 4 and 5 (BlockHolder; the strided units hold their own branches).
class ESPNetv2 : public Network, public BlockHolder {
 public:
  explicit ESPNetv2(const json& resolved_options);
  torch::Tensor forward(torch::Tensor x) override;
  static Complexity analytic(const json& resolved_options, Shape in);
  int map_blocks(const BlockMap& map) override;

  json options;
  ConvBNAct level1{nullptr};
  StridedUnit level2_0{nullptr}, level3_0{nullptr}, level4_0{nullptr}, level5_0{nullptr};
  torch::nn::Sequential level3{nullptr}, level4{nullptr}, level5{nullptr};
  torch::nn::Linear classifier{nullptr};
};

}  // namespace espbench
