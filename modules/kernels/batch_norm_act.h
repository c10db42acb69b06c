// Training-mode BatchNorm2d followed by an optional ReLU or PReLU, fused into one CPU kernel with
// its own backward.
//
// Why: LibTorch 1.13's CPU batch-norm backward and PReLU backward loop per channel over N planes of
// H*W elements; on the 4x4 .. 1x1 maps of 28x28 training that is ~2 ms per call, half of a
// training step. This kernel walks memory in order: one pass for the statistics (fixed chunks of
// the batch, summed in order, so the result does not depend on the thread count), one for the
// output; the backward likewise two passes, recomputing the normalised values instead of storing
// them.
//
//   y = kernels::batch_norm_act(x, state, prelu_weight_or_undefined, PostAct::PReLU);
//
// Semantics equal torch::nn::BatchNorm2d in training mode (batch statistics; running mean/var
// updated with the momentum, or the cumulative average when momentum is unset, unbiased variance;
// num_batches_tracked incremented) followed by the activation; gradients for the input, BN weight
// and bias, and the PReLU weight (1 or C parameters). Applies to float32 CPU [N,C,H,W] with
// N*H*W > 1 and the native kernels switched on (switch.h); callers use it only in training mode.
#pragma once
#include <ATen/core/Tensor.h>
#include <c10/util/Optional.h>

namespace espbench::kernels {

enum class PostAct { None, ReLU, PReLU };

struct BatchNormState {
  at::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
  c10::optional<double> momentum;
  double eps = 1e-5;
};

bool native_batch_norm_act_applies(const at::Tensor& x, const BatchNormState& bn);

at::Tensor batch_norm_act(const at::Tensor& x, const BatchNormState& bn, const at::Tensor& prelu_weight,
                          PostAct act);

inline constexpr const char* kBatchNormActOpName = "espbench::batch_norm_act";

// PReLU alone (1 or C weights), on the same loops, with its own backward; float32 CPU [N,C,H,W].
bool native_prelu_applies(const at::Tensor& x, const at::Tensor& weight);
at::Tensor prelu(const at::Tensor& x, const at::Tensor& weight);

inline constexpr const char* kPReLUOpName = "espbench::prelu";

}  // namespace espbench::kernels
