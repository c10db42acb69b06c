#include "modules/kernels/avg_pool.h"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

#include "modules/kernels/simd.h"
#include "modules/kernels/switch.h"

#pragma GCC push_options
#pragma GCC optimize("O3")

namespace espbench::kernels {

namespace {

constexpr float kNinth = 1.f / 9.f;

// One plane: the three input rows of each output row summed first (a contiguous, vectorised loop
// over w), then each output column adds three neighbours of that row sum.
ESPBENCH_INLINE void pool_plane(const float* __restrict in, int64_t h, int64_t w, float* __restrict out,
                                std::vector<float>& rows) {
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  // rows[1 + x]: the column sum at input column x; rows[0] and rows[w + 1] the zero padding.
  rows.assign(static_cast<size_t>(w + 2), 0.f);
  float* __restrict v = rows.data() + 1;
  for (int64_t y = 0; y < oh; ++y) {
    const int64_t r0 = std::max<int64_t>(0, 2 * y - 1), r1 = std::min(h - 1, 2 * y + 1);
    const float* __restrict a = in + r0 * w;
    for (int64_t x = 0; x < w; ++x) v[x] = a[x];
    for (int64_t r = r0 + 1; r <= r1; ++r) {
      const float* __restrict b = in + r * w;
      for (int64_t x = 0; x < w; ++x) v[x] += b[x];
    }
    float* __restrict o = out + y * ow;
    for (int64_t x = 0; x < ow; ++x) o[x] = (v[2 * x - 1] + v[2 * x] + v[2 * x + 1]) * kNinth;
  }
}

// The transpose: input row r gets the output rows whose window covers it (r / 2 for even r; both
// neighbours for odd r), then input column c the output columns covering it, all divided by 9.
ESPBENCH_INLINE void unpool_plane(const float* __restrict gy, int64_t h, int64_t w, float* __restrict gx,
                                  std::vector<float>& rows) {
  const int64_t oh = (h + 1) / 2, ow = (w + 1) / 2;
  rows.assign(static_cast<size_t>(ow), 0.f);
  float* __restrict v = rows.data();
  for (int64_t r = 0; r < h; ++r) {
    const int64_t y0 = r / 2, y1 = std::min(oh - 1, (r + 1) / 2);  // equal for even r
    const float* __restrict a = gy + y0 * ow;
    for (int64_t x = 0; x < ow; ++x) v[x] = a[x] * kNinth;
    if (y1 != y0) {
      const float* __restrict b = gy + y1 * ow;
      for (int64_t x = 0; x < ow; ++x) v[x] += b[x] * kNinth;
    }
    float* __restrict o = gx + r * w;
    for (int64_t c = 0; c < w; c += 2) o[c] = v[c / 2];
    for (int64_t c = 1; c < w; c += 2) o[c] = v[c / 2] + ((c + 1) / 2 < ow ? v[(c + 1) / 2] : 0.f);
  }
}

#define ESPBENCH_POOL_RANGES(SUFFIX, TARGET)                                                              \
  TARGET void forward_range_##SUFFIX(const float* in, int64_t channels, int64_t h, int64_t w, float* out, \
                                     int64_t stride, int64_t begin, int64_t end) {                        \
    thread_local std::vector<float> rows;                                                                 \
    const int64_t plane_out = ((h + 1) / 2) * ((w + 1) / 2);                                              \
    for (int64_t t = begin; t < end; ++t)                                                                 \
      pool_plane(in + t * h * w, h, w, out + (t / channels) * stride + (t % channels) * plane_out, rows); \
  }                                                                                                       \
  TARGET void backward_range_##SUFFIX(const float* gy, int64_t h, int64_t w, float* gx, int64_t begin,    \
                                      int64_t end) {                                                      \
    thread_local std::vector<float> rows;                                                                 \
    const int64_t plane_out = ((h + 1) / 2) * ((w + 1) / 2);                                              \
    for (int64_t t = begin; t < end; ++t) unpool_plane(gy + t * plane_out, h, w, gx + t * h * w, rows);   \
  }

ESPBENCH_POOL_RANGES(generic, )
ESPBENCH_POOL_RANGES(avx512, ESPBENCH_TARGET_AVX512)

bool use_avx512() { return cpu_isa() == Isa::Avx512; }

int64_t plane_grain(int64_t h, int64_t w) {
  return std::max<int64_t>(1, 32768 / std::max<int64_t>(1, 3 * h * w));
}

}  // namespace

void avg_pool3x3s2_forward(const float* in, int64_t batch, int64_t channels, int64_t h, int64_t w, float* out,
                           int64_t out_image_stride) {
  at::parallel_for(0, batch * channels, plane_grain(h, w), [&](int64_t begin, int64_t end) {
    if (use_avx512()) return forward_range_avx512(in, channels, h, w, out, out_image_stride, begin, end);
    forward_range_generic(in, channels, h, w, out, out_image_stride, begin, end);
  });
}

void avg_pool3x3s2_backward(const float* gy, int64_t batch, int64_t channels, int64_t h, int64_t w,
                            float* gx) {
  at::parallel_for(0, batch * channels, plane_grain(h, w), [&](int64_t begin, int64_t end) {
    if (use_avx512()) return backward_range_avx512(gy, h, w, gx, begin, end);
    backward_range_generic(gy, h, w, gx, begin, end);
  });
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct AvgPoolFunction : torch::autograd::Function<AvgPoolFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in) {
    const at::Tensor x = x_in.contiguous();
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    ctx->saved_data["sizes"] = x.sizes().vec();
    at::Tensor y = at::empty({n, c, (h + 1) / 2, (w + 1) / 2}, x.options());
    avg_pool3x3s2_forward(x.data_ptr<float>(), n, c, h, w, y.data_ptr<float>(), c * y.size(2) * y.size(3));
    return y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto sizes = ctx->saved_data["sizes"].toIntVector();
    const at::Tensor gy = grads[0].contiguous();
    at::Tensor gx = at::empty(sizes, gy.options());
    avg_pool3x3s2_backward(gy.data_ptr<float>(), sizes[0], sizes[1], sizes[2], sizes[3],
                           gx.data_ptr<float>());
    return {gx};
  }
};

}  // namespace

at::Tensor avg_pool3x3s2(const at::Tensor& x) {
  const bool native = native_kernels_enabled() && x.device().is_cpu() && x.scalar_type() == at::kFloat &&
                      x.dim() == 4 && x.layout() == at::kStrided && !x.is_mkldnn() && x.numel() > 0;
  if (!native) return at::avg_pool2d(x, {3, 3}, {2, 2}, {1, 1});
  at::RecordFunction record(at::RecordScope::FUNCTION);
  if (record.isActive()) {
    if (record.needsInputs()) {
      // The kernel size as the second input: the counter reads it like aten::avg_pool2d's.
      const c10::IValue inputs[] = {x, c10::IValue(std::vector<int64_t>{3, 3})};
      record.before(kAvgPoolOpName, c10::ArrayRef<const c10::IValue>(inputs, 2));
    } else {
      record.before(kAvgPoolOpName);
    }
  }
  at::Tensor y = AvgPoolFunction::apply(x);
  if (record.isActive() && record.needsOutputs()) record.setOutputs(std::vector<c10::IValue>{y});
  return y;
}

}  // namespace espbench::kernels

#pragma GCC pop_options
