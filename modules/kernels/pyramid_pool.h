// The resampling kernels of espnetv2_seg's decoder for inference (fast_seg_decoder.h):
//
// pyramid_branches: the five scale branches of a pyramid pooling unit for every (image, channel)
// plane in one pass, each written straight into its slot of the concatenated output or merged at
// once (PyramidBranchesArgs):
//   up   (scale > 1): bilinear resize (corners aligned) to hs x ws, depth-wise 3x3 (padding 1),
//        adaptive average pool back to h x w; streamed row by row (three resized rows and one conv
//        row live at a time, never the resized plane);
//   same (scale 1):  depth-wise 3x3;
//   down (scale < 1): adaptive average pool to hs x ws, depth-wise 3x3, bilinear resize to h x w.
// resize_bilinear: bilinear resize with aligned corners (F.interpolate(..., align_corners=True)).
// Float32, NCHW, contiguous; results equal LibTorch's ops up to float rounding.
#pragma once
#include <cstdint>

namespace espbench::kernels {

enum class BranchKind : int64_t { Down = -1, Same = 0, Up = 1 };

struct PyramidBranchesArgs {
  const float* in = nullptr;  // [batch, channels, h, w]
  int64_t batch = 1, channels = 0, h = 0, w = 0;
  int64_t branches = 0;
  const BranchKind* kinds = nullptr;  // [branches]
  const int64_t* sizes = nullptr;     // [branches][2]: the branch's working size hs, ws
  const float* weight = nullptr;      // [branches, channels, 3, 3]
  // Without merge_weight: out [batch, branches, channels, h, w], the branches. With it, per channel
  // c: each branch i through PReLU(merge_scale * b + merge_shift; merge_in_alpha) at index
  // i * channels + c (the concatenation's BN + PReLU), then the sum over i of the 3x3 convs (padding
  // 1) with merge_weight[c, i], + merge_bias[c], PReLU with merge_alpha[c]: out [batch, channels, h,
  // w] (the pyramid unit's shuffle and grouped CBR; the branch planes never leave the thread).
  const float* merge_scale = nullptr;  // [branches * channels] each
  const float* merge_shift = nullptr;
  const float* merge_in_alpha = nullptr;
  const float* merge_weight = nullptr;  // [channels, branches, 3, 3]
  const float* merge_bias = nullptr;    // [channels] each
  const float* merge_alpha = nullptr;
  float* out = nullptr;
};

void pyramid_branches(const PyramidBranchesArgs& a);

// in [planes, h, w] -> out [planes, oh, ow].
void resize_bilinear(const float* in, int64_t planes, int64_t h, int64_t w, int64_t oh, int64_t ow,
                     float* out);

inline constexpr const char* kPyramidBranchesOpName = "espbench::pyramid_branches";
inline constexpr const char* kResizeBilinearOpName = "espbench::resize_bilinear";

}  // namespace espbench::kernels
