#include "modules/kernels/dw_hff.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>

#include "modules/kernels/simd.h"

// The loops below only vectorise at -O3 (GCC's -O2 cost model refuses loops with epilogues).
#pragma GCC push_options
#pragma GCC optimize("O3")

namespace espbench::kernels {

namespace {

// Branch-free, so that the loops around it vectorise.
ESPBENCH_INLINE float prelu1(float v, float a) { return std::max(v, 0.f) + a * std::min(v, 0.f); }

// A 3x3 depth-wise convolution over a flattened plane: t[q] = sum_j k[j] * src[j][q] for q in
// [0, len). Each src[j] is the tap's input plane shifted so that output q reads src[j][q]: one
// long loop that vectorises whatever the image width (see dw_task for the layout).
ESPBENCH_INLINE void conv_flat(float* __restrict t, const float* const* src, const float* __restrict k,
                               int64_t len) {
  const float* __restrict a0 = src[0];
  const float* __restrict a1 = src[1];
  const float* __restrict a2 = src[2];
  const float* __restrict b0 = src[3];
  const float* __restrict b1 = src[4];
  const float* __restrict b2 = src[5];
  const float* __restrict c0 = src[6];
  const float* __restrict c1 = src[7];
  const float* __restrict c2 = src[8];
  const float k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7],
              k8 = k[8];
  for (int64_t q = 0; q < len; ++q)
    t[q] = k0 * a0[q] + k1 * a1[q] + k2 * a2[q] + k3 * b0[q] + k4 * b1[q] + k5 * b2[q] + k6 * c0[q] +
           k7 * c1[q] + k8 * c2[q];
}

struct Scratch {
  std::vector<float> padded, phase, branch, sum, act;
  int64_t h = -1, w = -1, p = -1, stride = -1;  // the geometry whose zero borders padded/phase hold
};

// One channel of one image. The input plane is copied (bias + PReLU applied) into a zero-padded
// plane of row stride ws; output (y, x) is computed at flat index y * ws + x, so one loop covers the
// whole plane and the columns x >= ow it also computes are junk, never stored. Stride 2 first
// splits the padded plane into four phase planes (row parity x column parity), which turns every
// tap into a contiguous read again. Reads past the last row stay inside `slack` zeros.
ESPBENCH_INLINE void dw_task(const DwHffArgs& a, int64_t task, Scratch& s) {
  const int64_t b = task / a.n, c = task % a.n, k = static_cast<int64_t>(a.dilations.size());
  const int64_t p = *std::max_element(a.dilations.begin(), a.dilations.end());
  const int64_t hp = a.h + 2 * p, wp = a.w + 2 * p, plane = a.oh * a.ow, slack = 2 * p + 16;
  // Every task of one call has the same geometry: the zero borders are written once per thread
  // and geometry, and each task only overwrites the interior (and, for stride 2, the phases).
  const bool same_geometry = s.h == a.h && s.w == a.w && s.p == p && s.stride == a.stride;
  if (!same_geometry) {
    s.padded.assign(static_cast<size_t>(hp * wp + slack), 0.f);
    s.h = a.h;
    s.w = a.w;
    s.p = p;
    s.stride = a.stride;
  }
  // Bias and PReLU over the whole input plane in one vector loop, then row copies into the interior.
  const int64_t in_plane = a.h * a.w;
  const float* __restrict src = a.in + (b * a.n + c) * in_plane;
  const float bias = a.in_bias ? a.in_bias[c] : 0.f, alpha = a.in_alpha ? a.in_alpha[c] : 1.f;
  s.act.resize(static_cast<size_t>(in_plane));
  float* __restrict act = s.act.data();
  for (int64_t q = 0; q < in_plane; ++q) act[q] = prelu1(src[q] + bias, alpha);
  for (int64_t y = 0; y < a.h; ++y)
    std::memcpy(s.padded.data() + (y + p) * wp + p, act + y * a.w, sizeof(float) * static_cast<size_t>(a.w));
  int64_t ws = wp;
  const float* base = s.padded.data();
  if (a.stride == 2) {
    const int64_t hq = (hp + 1) / 2, wq = (wp + 1) / 2;
    if (!same_geometry) s.phase.assign(static_cast<size_t>(4 * hq * wq + slack), 0.f);
    for (int64_t ry = 0; ry < 2; ++ry)
      for (int64_t rx = 0; rx < 2; ++rx) {
        float* __restrict ph = s.phase.data() + (ry * 2 + rx) * hq * wq;
        for (int64_t i = 0; 2 * i + ry < hp; ++i) {
          const float* __restrict row = s.padded.data() + (2 * i + ry) * wp + rx;
          for (int64_t j = 0; 2 * j + rx < wp; ++j) ph[i * wq + j] = row[2 * j];
        }
      }
    ws = wq;
    base = s.phase.data();
  }
  const int64_t len = a.oh * ws, phase_size = ((hp + 1) / 2) * ((wp + 1) / 2);
  s.branch.resize(static_cast<size_t>(len));
  s.sum.resize(static_cast<size_t>(len));
  float* __restrict t = s.branch.data();
  float* __restrict acc = s.sum.data();
  const float* taps[9];
  for (int64_t i = 0; i < k; ++i) {
    const int64_t d = a.dilations[static_cast<size_t>(i)];
    const float* kern = a.weight + (i * a.n + c) * 9;
    for (int64_t ky = 0; ky < 3; ++ky)
      for (int64_t kx = 0; kx < 3; ++kx) {
        const int64_t py = p + (ky - 1) * d, px = p + (kx - 1) * d;  // padded offset of output (0, 0)
        taps[ky * 3 + kx] = a.stride == 1
                                ? base + py * wp + px
                                : base + ((py % 2) * 2 + px % 2) * phase_size + (py / 2) * ws + px / 2;
      }
    conv_flat(t, taps, kern, len);
    const float* v = t;
    if (a.hff) {
      if (i == 0)
        std::memcpy(acc, t, sizeof(float) * static_cast<size_t>(len));
      else
        for (int64_t j = 0; j < len; ++j) acc[j] += t[j];
      v = acc;
    }
    const int64_t oc = i * a.n + c;
    const float sc = a.out_scale ? a.out_scale[oc] : 1.f, sh = a.out_shift ? a.out_shift[oc] : 0.f;
    const float al = a.out_alpha ? a.out_alpha[oc] : 1.f;
    // BN and PReLU over the flat plane (one vector loop; t is free once added to acc), then the
    // ow valid columns of each row into the output.
    for (int64_t j = 0; j < len; ++j) t[j] = prelu1(sc * v[j] + sh, al);
    float* o = a.out + (b * k * a.n + oc) * plane;
    for (int64_t y = 0; y < a.oh; ++y)
      std::memcpy(o + y * a.ow, t + y * ws, sizeof(float) * static_cast<size_t>(a.ow));
  }
}

ESPBENCH_INLINE void epilogue_task(float* y, int64_t channels, int64_t plane, const float* bias,
                                   const float* residual, const float* alpha, int64_t task) {
  const int64_t c = task % channels;
  float* __restrict o = y + task * plane;
  const float bv = bias ? bias[c] : 0.f, al = alpha ? alpha[c] : 1.f;
  if (residual) {
    const float* __restrict r = residual + task * plane;
    for (int64_t j = 0; j < plane; ++j) o[j] = prelu1(o[j] + bv + r[j], al);
  } else {
    for (int64_t j = 0; j < plane; ++j) o[j] = prelu1(o[j] + bv, al);
  }
}

// The range functions of one instruction set: the loops inlined into them compile for its target.
#define ESPBENCH_RANGES(SUFFIX, TARGET)                                                                 \
  TARGET void dw_range_##SUFFIX(const DwHffArgs& a, int64_t begin, int64_t end) {                       \
    thread_local Scratch s;                                                                             \
    for (int64_t t = begin; t < end; ++t) dw_task(a, t, s);                                             \
  }                                                                                                     \
  TARGET void epilogue_range_##SUFFIX(float* y, int64_t ch, int64_t pl, const float* b, const float* r, \
                                      const float* al, int64_t begin, int64_t end) {                    \
    for (int64_t t = begin; t < end; ++t) epilogue_task(y, ch, pl, b, r, al, t);                        \
  }

ESPBENCH_RANGES(generic, )
ESPBENCH_RANGES(avx2, ESPBENCH_TARGET_AVX2)
ESPBENCH_RANGES(avx512, ESPBENCH_TARGET_AVX512)

// Enough work per thread to be worth a hand-off (about 16k multiply-adds).
int64_t grain(int64_t work_per_task) {
  return std::max<int64_t>(1, 16384 / std::max<int64_t>(1, work_per_task));
}

}  // namespace

const char* kernel_isa() { return kernels::isa_name(kernels::cpu_isa()); }

void dw_dilated_hff(const DwHffArgs& a) {
  const int64_t tasks = a.batch * a.n;
  const int64_t work = static_cast<int64_t>(a.dilations.size()) * a.oh * a.ow * 9;
  const kernels::Isa isa = kernels::cpu_isa();
  at::parallel_for(0, tasks, grain(work), [&](int64_t begin, int64_t end) {
    if (isa == kernels::Isa::Avx512) return dw_range_avx512(a, begin, end);
    if (isa == kernels::Isa::Avx2) return dw_range_avx2(a, begin, end);
    dw_range_generic(a, begin, end);
  });
}

void bias_residual_prelu(float* y, int64_t batch, int64_t channels, int64_t plane, const float* bias,
                         const float* residual, const float* alpha) {
  const kernels::Isa isa = kernels::cpu_isa();
  at::parallel_for(0, batch * channels, grain(plane * 4), [&](int64_t begin, int64_t end) {
    if (isa == kernels::Isa::Avx512)
      return epilogue_range_avx512(y, channels, plane, bias, residual, alpha, begin, end);
    if (isa == kernels::Isa::Avx2)
      return epilogue_range_avx2(y, channels, plane, bias, residual, alpha, begin, end);
    epilogue_range_generic(y, channels, plane, bias, residual, alpha, begin, end);
  });
}

}  // namespace espbench::kernels

#pragma GCC pop_options
