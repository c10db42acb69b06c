// BatchNorm folding for inference (eval-mode BN is a per-channel affine map, so it merges into the
// preceding convolution: w' = w * g / sqrt(var + eps), b' = beta - mean * g / sqrt(var + eps)).
// Operates only on modules the fast transform has already copied: never on a user's model.
#pragma once
#include <torch/types.h>

#include "modules/blocks/layers.h"

namespace espbench {

// Per-channel scale and shift equivalent to `bn` in eval mode.
std::pair<torch::Tensor, torch::Tensor> bn_scale_shift(const torch::nn::BatchNorm2dImpl& bn);

// Folds m.bn into m.conv (which gains a bias) and removes the BN; no-op without a BN. Its options
// then describe the folded form (batch_norm off, conv_bias on), so that clone() rebuilds it.
void fold_bn_in_place(ConvBNActImpl& m);

// Folded copy of m's conv weight [out, in/g, k, k] and bias [out] (m is left as it is).
std::pair<torch::Tensor, torch::Tensor> folded_conv(const ConvBNActImpl& m);

}  // namespace espbench
