// The down-sampling unit of ESPNetv2 (Fig. 2; the official DownSampler), for any
// registered block: [AvgPool(3,s2,p1)(x), block(x, stride 2, in -> out-in)] concatenated, plus the
// input reinforcement (the image, average-pooled to this resolution, through a 3x3 CBR and a 1x1
// CB) added when the forward call receives the image, then PReLU. The reinforcement is built
// whenever enabled, also where the network never feeds it (level5_0), as the official code does.
#pragma once
#include <torch/nn/modules/container/any.h>

#include "modules/block_holder.h"
#include "modules/blocks/layers.h"
#include "modules/registry.h"

namespace espbench {

struct InputReinforcementOptions {
  InputReinforcementOptions(int64_t image_channels, int64_t out_channels)
      : image_channels_(image_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, image_channels);
  TORCH_ARG(int64_t, out_channels);
};

class InputReinforcementImpl : public torch::nn::Cloneable<InputReinforcementImpl> {
 public:
  explicit InputReinforcementImpl(InputReinforcementOptions options);
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  // Pools `image` (3x3, stride 2, pad 1) until its width equals `width` (at least once, comparing
  // widths only, as the official loop does), then projects it to out_channels.
  torch::Tensor forward(const torch::Tensor& image, int64_t width);
  Shape analytic(Complexity& c, Shape image, int64_t width) const;

  InputReinforcementOptions options;
  ConvBNAct cbr{nullptr};
  ConvBNAct cb{nullptr};
};
TORCH_MODULE(InputReinforcement);

struct StridedUnitOptions {
  StridedUnitOptions(int64_t in_channels, int64_t out_channels)
      : in_channels_(in_channels), out_channels_(out_channels) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  // Registered block that forms the strided branch, and its options.
  TORCH_ARG(std::string, block) = "eesp";
  TORCH_ARG(json, block_options) = json::object();
  // Branch count K and receptive-field limit handed to the block.
  TORCH_ARG(int64_t, branches) = 4;
  TORCH_ARG(int64_t, r_lim) = 9;
  // Build the long-range shortcut from the image (0 = none); its channel count otherwise.
  TORCH_ARG(int64_t, reinforcement_channels) = 3;
};

// The resolved BlockArgs of a strided unit's branch (in -> out-in, stride 2); throws
// espbench::Error when the block cannot take them. Needs no module to be built.
BlockArgs strided_branch_args(const StridedUnitOptions& options);

// Holds its branch as a block (BlockHolder), so that the --fast transform can replace it. The
// 3x3/s2/p1 average pool (padding counted) has no parameters and runs on modules/kernels/avg_pool.h.
class StridedUnitImpl : public torch::nn::Cloneable<StridedUnitImpl>, public BlockHolder {
 public:
  explicit StridedUnitImpl(StridedUnitOptions options);
  void reset() override;
  int map_blocks(const BlockMap& map) override;
  void pretty_print(std::ostream& stream) const override;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& image = {});
  Shape analytic(Complexity& c, Shape in, const Shape* image) const;

  StridedUnitOptions options;
  torch::nn::AnyModule eesp;  // the strided branch (named as in the official code)
  InputReinforcement inp_reinf{nullptr};
  torch::nn::PReLU act{nullptr};

 private:
  // Set once map_blocks() replaced the branch (the --fast transform's eesp_kernel): reset(), and so
  // clone(), then copies the branch instead of building the plain block from the options.
  bool block_replaced_ = false;
};
TORCH_MODULE(StridedUnit);

}  // namespace espbench
