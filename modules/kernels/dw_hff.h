// Inference kernels of the fast EESP path (--fast eesp_kernel / fuse): one build per instruction
// set, picked at run time (dispatch.h); threads through at::parallel_for. Float32,
// NCHW-contiguous, CPU only.
//
// The official EESP runs K depth-wise dilated 3x3 convolutions one after another, adds them
// cumulatively (HFF), concatenates, then applies BN and PReLU: 2K+3 passes over memory and as many
// ATen calls. dw_dilated_hff() does all of it in one pass per channel, writing straight into the
// concatenated buffer, and also applies the reduce convolution's bias and PReLU while it copies the
// input plane into a zero-padded scratch plane (so the convolution loops need no bounds checks),
// convolving the padded plane as one flat array (one long vector loop even for 7- or 14-wide maps).
#pragma once
#include <cstdint>
#include <vector>

namespace espbench::kernels {

struct DwHffArgs {
  const float* in = nullptr;  // [batch, n, h, w]: the reduce conv's output, before bias and PReLU
  int64_t batch = 1, n = 0, h = 0, w = 0;
  const float* in_bias = nullptr;   // [n] or null
  const float* in_alpha = nullptr;  // [n] PReLU slopes, or null (identity)
  const float* weight = nullptr;    // [K, n, 3, 3] depth-wise weights, branch-major
  std::vector<int64_t> dilations;   // K entries; padding = dilation (same output size)
  int64_t stride = 1;
  bool hff = true;                   // cumulative sum of branch outputs
  const float* out_scale = nullptr;  // [K*n] post-concat BN as scale/shift (null: identity)
  const float* out_shift = nullptr;
  const float* out_alpha = nullptr;  // [K*n] PReLU slopes, or null
  float* out = nullptr;              // [batch, K*n, oh, ow]
  int64_t oh = 0, ow = 0;
};

// One pass: out[b, i*n+c] = prelu(scale * sum_{j<=i} dwconv_j(prelu(in[b,c] + bias)) + shift).
void dw_dilated_hff(const DwHffArgs& a);

// In place: y[b,c] = prelu(y[b,c] + bias[c] (+ residual[b,c])), over [batch, channels, plane].
// Any of bias, residual, alpha may be null.
void bias_residual_prelu(float* y, int64_t batch, int64_t channels, int64_t plane, const float* bias,
                         const float* residual, const float* alpha);

}  // namespace espbench::kernels
