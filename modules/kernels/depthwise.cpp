#include "modules/kernels/depthwise.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "modules/kernels/depthwise_isa.h"
#include "modules/kernels/switch.h"

namespace espbench::kernels {

IsaTable<DepthwiseLoops> depthwise_loops("depthwise_conv2d");

namespace {

using Geometry = DwGeometry;

Geometry geometry(const at::Tensor& x, const at::Tensor& w, int64_t stride, int64_t padding,
                  int64_t dilation) {
  Geometry g{x.size(0), x.size(1), x.size(2), x.size(3), 0,       0,
             w.size(2), w.size(3), stride,    padding,   dilation};
  g.oh = (g.h + 2 * padding - dilation * (g.kh - 1) - 1) / stride + 1;
  g.ow = (g.w + 2 * padding - dilation * (g.kw - 1) - 1) / stride + 1;
  return g;
}

// [N, C, H, W] -> [N, H, W, C] and back (LibTorch's permuted copy is several times slower here).
at::Tensor transpose_images(const at::Tensor& t_in, std::vector<int64_t> out_sizes, int64_t rows,
                            int64_t cols) {
  const at::Tensor t = t_in.contiguous();
  at::Tensor out = at::empty(out_sizes, t.options());
  const float* ip = t.data_ptr<float>();
  float* op = out.data_ptr<float>();
  const int64_t per_image = rows * cols;
  const DepthwiseLoops& loops = depthwise_loops.get();
  at::parallel_for(0, t.size(0), std::max<int64_t>(1, 65536 / std::max<int64_t>(1, per_image)),
                   [&](int64_t b, int64_t e) {
                     for (int64_t n = b; n < e; ++n)
                       loops.transpose_image(ip + n * per_image, op + n * per_image, rows, cols);
                   });
  return out;
}
at::Tensor channels_last(const at::Tensor& t) {
  return transpose_images(t, {t.size(0), t.size(2), t.size(3), t.size(1)}, t.size(1), t.size(2) * t.size(3));
}
at::Tensor from_channels_last(const at::Tensor& t) {
  return transpose_images(t, {t.size(0), t.size(3), t.size(1), t.size(2)}, t.size(1) * t.size(2), t.size(3));
}
// [C, 1, kh, kw] -> [kh * kw, C]
at::Tensor taps_major(const at::Tensor& w) { return w.reshape({w.size(0), -1}).t().contiguous(); }

int64_t row_grain(const Geometry& g) {
  return std::max<int64_t>(1, 32768 / std::max<int64_t>(1, g.ow * g.kh * g.kw * g.c));
}

at::Tensor forward_impl(const at::Tensor& x, const at::Tensor& w, const Geometry& g) {
  const at::Tensor xc = channels_last(x), wt = taps_major(w);
  at::Tensor yc = at::zeros({g.n, g.oh, g.ow, g.c}, x.options());
  const float* xp = xc.data_ptr<float>();
  const float* wp = wt.data_ptr<float>();
  float* yp = yc.data_ptr<float>();
  const DepthwiseLoops& loops = depthwise_loops.get();
  at::parallel_for(0, g.n * g.oh, row_grain(g),
                   [&](int64_t begin, int64_t end) { loops.forward_rows(g, begin, end, xp, wp, yp); });
  return from_channels_last(yc);
}

// Parallel over images: each writes only its own input gradient. gyc: the output gradient,
// channels-last.
at::Tensor grad_input_impl(const at::Tensor& gyc, const at::Tensor& w, const Geometry& g) {
  const at::Tensor wt = taps_major(w);
  at::Tensor gxc = at::zeros({g.n, g.h, g.w, g.c}, gyc.options());
  const float* gyp = gyc.data_ptr<float>();
  const float* wp = wt.data_ptr<float>();
  float* gxp = gxc.data_ptr<float>();
  const DepthwiseLoops& loops = depthwise_loops.get();
  at::parallel_for(0, g.n, std::max<int64_t>(1, row_grain(g) / std::max<int64_t>(1, g.oh)),
                   [&](int64_t begin, int64_t end) { loops.grad_input_images(g, begin, end, gyp, wp, gxp); });
  return from_channels_last(gxc);
}

// Fixed slices of the batch accumulate their own [taps, C] sums, added in slice order: the result
// does not depend on the thread count. gyc and xc are channels-last.
at::Tensor grad_weight_impl(const at::Tensor& gyc, const at::Tensor& xc, const Geometry& g) {
  const int64_t slices = std::min<int64_t>(g.n, 16), taps = g.kh * g.kw, c = g.c;
  at::Tensor parts = at::zeros({slices, taps, c}, gyc.options());
  const float* gyp = gyc.data_ptr<float>();
  const float* xp = xc.data_ptr<float>();
  float* pp = parts.data_ptr<float>();
  const DepthwiseLoops& loops = depthwise_loops.get();
  at::parallel_for(0, slices, 1, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k)
      loops.grad_weight_images(g, k * g.n / slices, (k + 1) * g.n / slices, gyp, xp, pp + k * taps * c);
  });
  // parts[0] + parts[1] + ... in that order, every element in one pass (not one op per slice).
  at::Tensor sum = at::empty({taps, c}, gyc.options());
  float* sp = sum.data_ptr<float>();
  const int64_t size = taps * c;
  at::parallel_for(0, size, 8192, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      float v = pp[i];
      for (int64_t k = 1; k < slices; ++k) v += pp[k * size + i];
      sp[i] = v;
    }
  });
  return sum.t().reshape({c, 1, g.kh, g.kw}).contiguous();
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct DepthwiseFunction : torch::autograd::Function<DepthwiseFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& w, int64_t stride,
                            int64_t padding, int64_t dilation) {
    ctx->save_for_backward({x, w});
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["padding"] = padding;
    ctx->saved_data["dilation"] = dilation;
    return forward_impl(x, w, geometry(x, w, stride, padding, dilation));
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& x = saved[0];
    const at::Tensor& w = saved[1];
    const Geometry g = geometry(x, w, ctx->saved_data["stride"].toInt(), ctx->saved_data["padding"].toInt(),
                                ctx->saved_data["dilation"].toInt());
    const at::Tensor gy = grads[0].contiguous();
    at::Tensor gx, gw;
    const at::Tensor gyc = channels_last(gy);  // once for both gradients
    if (ctx->needs_input_grad(0)) gx = grad_input_impl(gyc, w, g);
    if (ctx->needs_input_grad(1)) gw = grad_weight_impl(gyc, channels_last(x), g);
    return {gx, gw, at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

}  // namespace

bool native_depthwise_applies(const at::Tensor& x, const at::Tensor& weight, int64_t dilation) {
  // Measured (kernel_dw3x3_* in espbench_blocks_bench): LibTorch's own kernel is faster for
  // undilated convs on maps of 7x7 and up; this one wins on dilated convs and tiny maps.
  const bool wins = dilation > 1 || (x.dim() == 4 && x.size(2) * x.size(3) <= 16);
  return wins && native_kernels_enabled() && x.device().is_cpu() && x.scalar_type() == at::kFloat &&
         x.dim() == 4 && weight.dim() == 4 && weight.size(1) == 1 && weight.size(0) == x.size(1) &&
         weight.scalar_type() == at::kFloat && weight.device().is_cpu() && !x.is_mkldnn() &&
         x.layout() == at::kStrided;
}

at::Tensor depthwise_conv2d(const at::Tensor& x, const at::Tensor& weight, int64_t stride, int64_t padding,
                            int64_t dilation) {
  if (!native_depthwise_applies(x, weight, dilation))
    return at::conv2d(x, weight, {}, {stride, stride}, {padding, padding}, {dilation, dilation}, x.size(1));
  return depthwise_conv2d_native(x, weight, stride, padding, dilation);
}

at::Tensor depthwise_conv2d_native(const at::Tensor& x, const at::Tensor& weight, int64_t stride,
                                   int64_t padding, int64_t dilation) {
  TORCH_CHECK(x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4 && weight.dim() == 4 &&
                  weight.size(1) == 1 && weight.size(0) == x.size(1),
              "depthwise_conv2d_native: needs float32 CPU [N,C,H,W] and a [C,1,kh,kw] weight");
  at::RecordFunction record(at::RecordScope::FUNCTION);
  if (record.isActive()) {
    if (record.needsInputs()) {
      // Stride, padding and dilation too: the counter reads the conv's geometry from them.
      const c10::IValue inputs[] = {x, weight, stride, padding, dilation};
      record.before(kDepthwiseOpName, c10::ArrayRef<const c10::IValue>(inputs, 5));
    } else {
      record.before(kDepthwiseOpName);
    }
  }
  at::Tensor y = DepthwiseFunction::apply(x, weight, stride, padding, dilation);
  if (record.isActive() && record.needsOutputs()) record.setOutputs(std::vector<c10::IValue>{y});
  return y;
}

}  // namespace espbench::kernels
