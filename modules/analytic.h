// Analytic complexity twins (after pycls): every block can describe its cost without running,
// by advancing a per-image Shape through these primitives. The harness's counter measures the
// same quantities from the ops a real forward pass executes; tests require the two to agree.
//
// Conventions (per image, batch 1):
//   conv_macs / linear_macs: multiply-accumulates, Cout*Hout*Wout*(Cin/groups)*kh*kw resp. in*out.
//   elementwise_ops: one per output element of BatchNorm, activations, additions, products and
//     bias adds; kernel_h*kernel_w per output element of a pooling window; one per input element
//     of an adaptive average pool; one per output element of a bilinear resize. Concatenation,
//     channel shuffle, dropout and reshapes count zero.
//   params: every registered parameter, also of modules that never run (as PyTorch counts).
#pragma once
#include <cstdint>

namespace espbench {

struct Shape {
  int64_t c = 0, h = 0, w = 0;
  int64_t numel() const { return c * h * w; }
  bool operator==(const Shape& o) const { return c == o.c && h == o.h && w == o.w; }
};

struct Complexity {
  int64_t params = 0;
  int64_t conv_macs = 0;
  int64_t linear_macs = 0;
  int64_t elementwise_ops = 0;
  Complexity& operator+=(const Complexity& o) {
    params += o.params, conv_macs += o.conv_macs, linear_macs += o.linear_macs;
    elementwise_ops += o.elementwise_ops;
    return *this;
  }
};

namespace cx {
// Output size of a k x k window with the given stride, padding and dilation (floor mode).
int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation = 1);

// Conv2d, square kernel, padding `pad`; adds params (weights [+bias]) and MACs.
Shape conv(Complexity& c, Shape in, int64_t out_c, int64_t k, int64_t stride = 1, int64_t pad = 0,
           int64_t dilation = 1, int64_t groups = 1, bool bias = false);
// Parameters of a conv that is built but never executed.
void conv_params(Complexity& c, int64_t in_c, int64_t out_c, int64_t k, int64_t groups = 1,
                 bool bias = false);
Shape batch_norm(Complexity& c, Shape in);  // 2*C params, 1 op/element
Shape prelu(Complexity& c, Shape in);       // C params, 1 op/element
Shape activation(Complexity& c, Shape in);  // ReLU/ReLU6: 1 op/element
Shape add(Complexity& c, Shape in);         // 1 op/element
Shape avg_pool(Complexity& c, Shape in, int64_t k, int64_t stride, int64_t pad);
Shape max_pool(Complexity& c, Shape in, int64_t k, int64_t stride, int64_t pad);
Shape global_avg_pool(Complexity& c, Shape in);  // 1 op per input element
// Adaptive average pooling to h x w: 1 op per input element (as the global pool).
Shape adaptive_avg_pool(Complexity& c, Shape in, int64_t h, int64_t w);
// Bilinear resize to h x w: 1 op per output element.
Shape resize(Complexity& c, Shape in, int64_t h, int64_t w);
int64_t linear(Complexity& c, int64_t in_features, int64_t out_features, bool bias = true);
}  // namespace cx

}  // namespace espbench
