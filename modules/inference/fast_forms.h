// The registries the --fast transform (fast_model.h) consults, so that it never names a concrete
// block or network type:
//   fast forms      keyed by BLOCK name: builds the inference form of one plain block (eesp ->
//                   FastEESP, fast_eesp.cpp). Applied by the `eesp_kernel` part to every block a
//                   BlockHolder (block_holder.h) holds.
//   fused networks  keyed by MODEL name: builds the fused inference form of a whole network
//                   (espnetv2 -> FastESPNetv2, fast_espnetv2.cpp). Applied by the `fuse` part.
// A fast form registers itself in its own file with one ESPBENCH_REGISTER_FAST_FORM (or
// ESPBENCH_REGISTER_FUSED_NETWORK) line; docs/extending.md.
#pragma once
#include <torch/nn/modules/container/any.h>

#include <functional>
#include <string>

#include "modules/network.h"
#include "modules/registry.h"

namespace espbench {

// The --fast parts a fast form may honour.
struct FastFormArgs {
  bool fuse = false;  // fuse epilogues (bias, residual, activation) into one pass
  bool gemm = false;  // run 1x1 convolutions on our own GEMM kernel
};

struct FastFormEntry {
  std::string name;         // the block's registry name
  std::string description;  // one line
  // Whether the fast form does more under `fuse` / `gemm` (then those parts count as applied).
  bool uses_fuse = false, uses_gemm = false;
  // The fast form of `block` (built by the block's own entry, state set), with the same function
  // in eval mode; an empty AnyModule when this particular module cannot take one. It may cast
  // `block` to the block's own type. The plain block must not be changed.
  std::function<torch::nn::AnyModule(const torch::nn::AnyModule& block, const FastFormArgs& args)> build;
};

struct FusedNetworkEntry {
  std::string name;         // the model's registry name
  std::string description;  // one line
  bool uses_gemm = false;   // whether `gemm` changes the fused network (then it counts as applied)
  // Non-empty when the fused network runs NCHW kernels only: `channels_last` is then skipped with
  // this reason.
  std::string channels_last_skip;
  // The fused form of `net` (the model's own network, its blocks already replaced by their fast
  // forms when eesp_kernel was asked for). It may cast `net` to the model's own type.
  std::function<NetworkPtr(Network& net, const FastFormArgs& args)> build;
};

Registry<FastFormEntry>& fast_form_registry();
Registry<FusedNetworkEntry>& fused_network_registry();

}  // namespace espbench

#define ESPBENCH_REGISTER_FAST_FORM(entry_expr) \
  ESPBENCH_REGISTER(::espbench::fast_form_registry(), entry_expr)
#define ESPBENCH_REGISTER_FUSED_NETWORK(entry_expr) \
  ESPBENCH_REGISTER(::espbench::fused_network_registry(), entry_expr)
