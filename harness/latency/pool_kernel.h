// 3x3 average pooling, stride 2, padding 1, padding counted (divisor always 9): the pooling of
// ESPNetv2's strided units and of its image pyramid (--fast fuse). ATen's avg_pool2d spends about
// a millisecond on one 32x112x112 map at batch 1; this kernel sums rows with vector loops first and
// columns second, writes straight into a slice of the concatenated output, and threads over
// channels through at::parallel_for. Float32, NCHW-contiguous input, CPU only.
#pragma once
#include <cstdint>

namespace espbench::fast {

// in [batch, channels, h, w] -> out[b * out_image_stride + c * oh * ow + y * ow + x], with
// oh = (h + 1) / 2 and ow = (w + 1) / 2 (PyTorch's output size for kernel 3, stride 2, padding 1).
void avg_pool3x3s2(const float* in, int64_t batch, int64_t channels, int64_t h, int64_t w, float* out,
                   int64_t out_image_stride);

}  // namespace espbench::fast
