// The fast EESP kernels' loops for one instruction set (isa.h): plain C++ written for the
// compiler's auto-vectoriser.
#include "modules/kernels/dw_hff_isa.h"

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

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
  FloatBuffer padded, phase, branch, sum, act;
  int64_t h = -1, w = -1, p = -1, stride = -1;  // the geometry whose zero borders padded/phase hold
};

// One channel of one image. The input plane is copied (bias + PReLU applied) into a zero-padded
// plane of row stride ws; output (y, x) is computed at flat index y * ws + x, so one loop covers the
// whole plane and the columns x >= ow it also computes are junk, never stored. Stride 2 first
// splits the padded plane into four phase planes (row parity x column parity), which turns every
// tap into a contiguous read again. Reads past the last row stay inside `slack` zeros.
ESPBENCH_INLINE void dw_task(const DwHffPlan& a, int64_t task, Scratch& s) {
  const int64_t b = task / a.n, c = task % a.n, k = a.branches;
  const int64_t p = a.max_dilation;
  const int64_t hp = a.h + 2 * p, wp = a.w + 2 * p, plane = a.oh * a.ow, slack = 2 * p + 16;
  // Every task of one call has the same geometry: the zero borders are written once per thread
  // and geometry, and each task only overwrites the interior (and, for stride 2, the phases).
  const bool same_geometry = s.h == a.h && s.w == a.w && s.p == p && s.stride == a.stride;
  if (!same_geometry) {
    s.padded.assign(hp * wp + slack, 0.f);
    s.h = a.h;
    s.w = a.w;
    s.p = p;
    s.stride = a.stride;
  }
  float* padded = s.padded.data();
  // Bias and PReLU over the whole input plane in one vector loop, then row copies into the interior.
  const int64_t in_plane = a.h * a.w;
  const float* __restrict src = a.in + (b * a.n + c) * in_plane;
  const float bias = a.in_bias ? a.in_bias[c] : 0.f, alpha = a.in_alpha ? a.in_alpha[c] : 1.f;
  float* __restrict act = s.act.resize(in_plane);
  for (int64_t q = 0; q < in_plane; ++q) act[q] = prelu1(src[q] + bias, alpha);
  for (int64_t y = 0; y < a.h; ++y)
    std::memcpy(padded + (y + p) * wp + p, act + y * a.w, sizeof(float) * static_cast<size_t>(a.w));
  int64_t ws = wp;
  const float* base = padded;
  if (a.stride == 2) {
    const int64_t hq = (hp + 1) / 2, wq = (wp + 1) / 2;
    if (!same_geometry) s.phase.assign(4 * hq * wq + slack, 0.f);
    for (int64_t ry = 0; ry < 2; ++ry)
      for (int64_t rx = 0; rx < 2; ++rx) {
        float* __restrict ph = s.phase.data() + (ry * 2 + rx) * hq * wq;
        for (int64_t i = 0; 2 * i + ry < hp; ++i) {
          const float* __restrict row = padded + (2 * i + ry) * wp + rx;
          for (int64_t j = 0; 2 * j + rx < wp; ++j) ph[i * wq + j] = row[2 * j];
        }
      }
    ws = wq;
    base = s.phase.data();
  }
  const int64_t len = a.oh * ws, phase_size = ((hp + 1) / 2) * ((wp + 1) / 2);
  float* __restrict t = s.branch.resize(len);
  float* __restrict acc = s.sum.resize(len);
  const float* taps[9];
  for (int64_t i = 0; i < k; ++i) {
    const int64_t d = a.dilations[i];
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

void dw_range(const DwHffPlan& a, int64_t begin, int64_t end) {
  thread_local Scratch s;
  for (int64_t t = begin; t < end; ++t) dw_task(a, t, s);
}

void epilogue_range(float* y, int64_t channels, int64_t plane, const float* bias, const float* residual,
                    const float* alpha, int64_t begin, int64_t end) {
  for (int64_t task = begin; task < end; ++task) {
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
}

const DwHffLoops loops{dw_range, epilogue_range};
[[maybe_unused]] const bool registered = (dw_hff_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
