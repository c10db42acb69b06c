// ESPNetv2 image classifier (Mehta et al., CVPR 2019; the official layer list,
// docs/architecture.md):
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

#include <array>

#include "modules/block_holder.h"
#include "modules/blocks/strided_unit.h"
#include "modules/network.h"

namespace espbench {

// Channel list [c0..c5] for scale s: the official table for 0.5/1.0/1.25/1.5/2.0 and the
// formula of the paper-era code for any other s (official EdgeNets, model/classification/espnetv2.py).
std::vector<int64_t> espnetv2_channels(double scale);

// What the ESPNetv2 levels are built from, read from resolved options: those of the classifier and
// of every network that reuses its trunk (espnetv2_seg: levels 1-4, no `small_input` option).
struct ESPNetv2Plan {
  std::vector<int64_t> ch;              // espnetv2_channels(scale)
  std::vector<int64_t> r_lim, repeats;  // r_lim per level index 0.., repeats per level 3..
  int64_t k = 4, in_ch = 3, stem_stride = 2;
  std::string block;
  json block_options;
  bool reinf = true;
};
ESPNetv2Plan espnetv2_plan(const json& resolved_options);

// level{L}_0 (L = 2..5): c_{L-2} -> c_{L-1} with r_lim[L-2], the image shortcut when enabled.
StridedUnitOptions espnetv2_strided(const ESPNetv2Plan& p, int level);
// A stride-1 block of level L (3..5), c_{L-1} wide with r_lim[L-1], resolved.
BlockArgs espnetv2_unit(const ESPNetv2Plan& p, int level);
// level{L} (3..5): repeats[L-3] blocks.
torch::nn::Sequential espnetv2_level_blocks(const ESPNetv2Plan& p, int level);

// Shape checks of level1 .. level{last}_0 and level3 .. level{last}, as the constructors build
// them; an error names `model`, the scale, widths, K and the level.
void espnetv2_validate_levels(const std::string& model, const json& resolved_options, const ESPNetv2Plan& p,
                              int last_level);

// BlockHolder::map_blocks for the level Sequentials of `owner` (levels[i] registered as names[i]):
// the first repeats[i] modules of each are its blocks; returns how many were replaced.
int espnetv2_map_level_blocks(torch::nn::Module& owner, const ESPNetv2Plan& p,
                              const std::vector<torch::nn::Sequential*>& levels,
                              const std::vector<std::string>& names, const BlockHolder::BlockMap& map);

// Analytic twin of levels 1-4 (level1 .. level4); the output shapes of level1, level2_0, level3
// and level4, in that order.
std::array<Shape, 4> espnetv2_trunk_analytic(Complexity& c, const ESPNetv2Plan& p, Shape in);

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
