#include "modules/analytic.h"

namespace espbench::cx {

int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation) {
  return (in + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
}

Shape conv(Complexity& c, Shape in, int64_t out_c, int64_t k, int64_t stride, int64_t pad, int64_t dilation,
           int64_t groups, bool bias) {
  Shape out{out_c, out_size(in.h, k, stride, pad, dilation), out_size(in.w, k, stride, pad, dilation)};
  conv_params(c, in.c, out_c, k, groups, bias);
  c.conv_macs += out.numel() * (in.c / groups) * k * k;
  if (bias) c.elementwise_ops += out.numel();
  return out;
}

void conv_params(Complexity& c, int64_t in_c, int64_t out_c, int64_t k, int64_t groups, bool bias) {
  c.params += out_c * (in_c / groups) * k * k + (bias ? out_c : 0);
}

Shape batch_norm(Complexity& c, Shape in) {
  c.params += 2 * in.c;
  c.elementwise_ops += in.numel();
  return in;
}

Shape prelu(Complexity& c, Shape in) {
  c.params += in.c;
  c.elementwise_ops += in.numel();
  return in;
}

Shape activation(Complexity& c, Shape in) {
  c.elementwise_ops += in.numel();
  return in;
}

Shape add(Complexity& c, Shape in) {
  c.elementwise_ops += in.numel();
  return in;
}

Shape avg_pool(Complexity& c, Shape in, int64_t k, int64_t stride, int64_t pad) {
  Shape out{in.c, out_size(in.h, k, stride, pad), out_size(in.w, k, stride, pad)};
  c.elementwise_ops += out.numel() * k * k;
  return out;
}

Shape max_pool(Complexity& c, Shape in, int64_t k, int64_t stride, int64_t pad) {
  return avg_pool(c, in, k, stride, pad);
}

Shape global_avg_pool(Complexity& c, Shape in) {
  c.elementwise_ops += in.numel();
  return {in.c, 1, 1};
}

Shape adaptive_avg_pool(Complexity& c, Shape in, int64_t h, int64_t w) {
  c.elementwise_ops += in.numel();
  return {in.c, h, w};
}

Shape resize(Complexity& c, Shape in, int64_t h, int64_t w) {
  const Shape out{in.c, h, w};
  c.elementwise_ops += out.numel();
  return out;
}

int64_t linear(Complexity& c, int64_t in_features, int64_t out_features, bool bias) {
  c.params += in_features * out_features + (bias ? out_features : 0);
  c.linear_macs += in_features * out_features;
  if (bias) c.elementwise_ops += out_features;
  return out_features;
}

}  // namespace espbench::cx
