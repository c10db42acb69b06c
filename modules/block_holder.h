// A module that holds registered blocks as replaceable parts (the ESPNetv2 levels, a strided
// unit's branch, a BlockNetwork's block). The --fast transform (modules/inference/fast_model.h)
// walks a network, asks every BlockHolder to map its blocks through the fast-form registry, and so
// never needs to know the concrete type of a network, unit or block.
#pragma once
#include <torch/nn/modules/container/any.h>

#include <functional>
#include <string>

namespace espbench {

class BlockHolder {
 public:
  virtual ~BlockHolder() = default;

  // Given a held block and the registry name it was built under, returns its replacement, or an
  // empty AnyModule to keep it.
  using BlockMap =
      std::function<torch::nn::AnyModule(const std::string& block_name, const torch::nn::AnyModule& block)>;

  // Replaces every block this module holds directly (not those of its child holders) for which
  // `map` returns a module; returns how many were replaced.
  virtual int map_blocks(const BlockMap& map) = 0;
};

}  // namespace espbench
