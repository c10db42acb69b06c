// Wraps one registered block as a Network so that the counter, the latency runner and the tests
// can treat a block exactly like a model.
#pragma once
#include <torch/nn/modules/container/any.h>

#include "modules/block_holder.h"
#include "modules/network.h"
#include "modules/registry.h"

namespace espbench {

class BlockNetwork : public Network, public BlockHolder {
 public:
  BlockNetwork(const std::string& block, const BlockArgs& args)
      : name_(block), args_(resolve_block(block, args)), block_(build_block(block, args_)) {
    register_module("block", block_.ptr());
    make_twin = [block, a = args_] { return std::make_shared<BlockNetwork>(block, a); };
  }
  torch::Tensor forward(torch::Tensor x) override { return block_.forward(x); }
  const std::string& block_name() const { return name_; }
  const BlockArgs& args() const { return args_; }
  const torch::nn::AnyModule& block() const { return block_; }
  // Swaps the wrapped block (the --fast transform does this through map_blocks on its own copies).
  void replace_block(torch::nn::AnyModule block) {
    block_ = std::move(block);
    replace_module("block", block_.ptr());
  }
  int map_blocks(const BlockMap& map) override {
    torch::nn::AnyModule fresh = map(name_, block_);
    if (fresh.is_empty()) return 0;
    replace_block(std::move(fresh));
    return 1;
  }

 private:
  std::string name_;
  BlockArgs args_;
  torch::nn::AnyModule block_;
};

// The shapes blocks meet inside ESPNetv2 s=1.0 at 224x224 (docs/architecture.md): the strided branches of
// level2_0..level5_0 (in -> out-in, stride 2) and the stride-1 units of levels 3, 4 and 5.
struct SkeletonShape {
  std::string where;  // e.g. "level4_0"
  BlockArgs args;     // options left empty: the block's defaults
  int64_t size;       // input height = width
};
std::vector<SkeletonShape> espnetv2_block_shapes();

}  // namespace espbench
