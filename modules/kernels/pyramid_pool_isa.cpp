// The decoder's resampling loops for one instruction set (isa.h): plain C++ written for the
// compiler's auto-vectoriser. One task is one (image, channel) plane.
#include "modules/kernels/pyramid_pool_isa.h"

#include "modules/kernels/isa.h"
#include "modules/kernels/resize_rows.h"
#include "modules/kernels/taps3x3.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

struct Scratch {
  FloatBuffer rows, plane, conv, factors, branch, merge, rowop, colop, chanop;
  IndexBuffer index;
};

// The sum of the n floats at p: the windows here hold one to three (a loop the vectoriser would
// give a vector body and epilogues for).
ESPBENCH_INLINE float window_sum(const float* p, int64_t n) {
  switch (n) {
    case 1:
      return p[0];
    case 2:
      return p[0] + p[1];
    case 3:
      return p[0] + p[1] + p[2];
    default: {
      float t = 0.f;
      for (int64_t u = 0; u < n; ++u) t += p[u];
      return t;
    }
  }
}

// Adaptive average pooling windows along one axis (in -> out): output o averages [s[o], e[o]).
ESPBENCH_INLINE void window_table(int64_t in, int64_t out, int32_t* s, int32_t* e) {
  for (int64_t o = 0; o < out; ++o) {
    s[o] = static_cast<int32_t>((o * in) / out);
    e[o] = static_cast<int32_t>(((o + 1) * in + out - 1) / out);
  }
}

// Bilinear resize (aligned corners) of one plane with input row stride `stride`: each needed source
// row is resized along the row once (the only gathers), then output rows are blends of two of those.
ESPBENCH_INLINE void resize_plane(const float* in, int64_t stride, int64_t h, int64_t w, int64_t oh,
                                  int64_t ow, float* out, Scratch& s) {
  int32_t* idx = s.index.resize(2 * (oh + ow));
  int32_t *y0 = idx, *y1 = idx + oh, *x0 = idx + 2 * oh, *x1 = idx + 2 * oh + ow;
  float* fac = s.factors.resize(oh + ow);
  float *fy = fac, *fx = fac + oh;
  lerp_table(h, oh, y0, y1, fy);
  lerp_table(w, ow, x0, x1, fx);
  float* rows = s.rows.resize(2 * ow);
  RowCache cache{{rows, rows + ow}, {-1, -1}, in, stride, w, ow, x0, x1, fx};
  for (int64_t y = 0; y < oh; ++y) {
    const float* __restrict a = cache.get(y0[y]);
    const float* __restrict b = cache.get(y1[y]);
    const float g = fy[y], g0 = 1.f - g;
    float* __restrict o = out + y * ow;
    for (int64_t u = 0; u < ow; ++u) o[u] = g0 * a[u] + g * b[u];
  }
}

// A zero-padded copy of a plane (h x w) into p, row stride w + 2, with 2 floats of slack.
ESPBENCH_INLINE void pad_plane(const float* __restrict in, int64_t h, int64_t w, float* __restrict p) {
  const int64_t ws = w + 2, size = (h + 2) * ws + 2;
  for (int64_t x = 0; x < ws; ++x) p[x] = 0.f;
  for (int64_t y = 0; y < h; ++y) {
    float* __restrict row = p + (y + 1) * ws;
    row[0] = 0.f;
    for (int64_t x = 0; x < w; ++x) row[x + 1] = in[y * w + x];
    row[w + 1] = 0.f;
  }
  for (int64_t x = (h + 1) * ws; x < size; ++x) p[x] = 0.f;
}

// Depth-wise 3x3 of a padded plane (h x w interior) into out (h x w).
ESPBENCH_INLINE void dw_padded(const float* p, int64_t h, int64_t w, const float* k, float* out, Scratch& s) {
  const int64_t ws = w + 2;
  float* t = s.conv.resize(h * ws);
  taps9(t, p, ws, k, h * ws);
  for (int64_t y = 0; y < h; ++y)
    std::memcpy(out + y * w, t + y * ws, sizeof(float) * static_cast<size_t>(w));
}

void same_branch(const float* x, int64_t h, int64_t w, const float* k, float* out, Scratch& s) {
  float* p = s.plane.resize((h + 2) * (w + 2) + 2);
  pad_plane(x, h, w, p);
  dw_padded(p, h, w, k, out, s);
}

// Adaptive pool to hs x ws (straight into a zero-padded plane), depth-wise 3x3, resize to h x w.
void down_branch(const float* x, int64_t h, int64_t w, int64_t hs, int64_t ws, const float* k, float* out,
                 Scratch& s) {
  const int64_t wp = ws + 2, size = (hs + 2) * wp + 2;
  float* p = s.plane.resize(size);
  for (int64_t q = 0; q < size; ++q) p[q] = 0.f;
  int32_t* idx = s.index.resize(2 * (hs + ws));
  int32_t *rs = idx, *re = idx + hs, *cs = idx + 2 * hs, *ce = idx + 2 * hs + ws;
  window_table(h, hs, rs, re);
  window_table(w, ws, cs, ce);
  float* __restrict v = s.rows.resize(w);
  for (int64_t i = 0; i < hs; ++i) {
    const float* __restrict a = x + rs[i] * w;
    for (int64_t c = 0; c < w; ++c) v[c] = a[c];
    for (int64_t r = rs[i] + 1; r < re[i]; ++r) {
      const float* __restrict b = x + r * w;
      for (int64_t c = 0; c < w; ++c) v[c] += b[c];
    }
    float* __restrict row = p + (i + 1) * wp + 1;
    for (int64_t j = 0; j < ws; ++j)
      row[j] = window_sum(v + cs[j], ce[j] - cs[j]) / static_cast<float>((re[i] - rs[i]) * (ce[j] - cs[j]));
  }
  float* t = s.conv.resize(hs * wp);
  taps9(t, p, wp, k, hs * wp);
  resize_plane(t, wp, hs, ws, h, w, out, s);
}

// Resize to hs x ws, depth-wise 3x3, adaptive pool back to h x w, streamed by rows of the resized
// plane: a ring of three resized rows (zero-padded), one conv row, added into the row accumulators
// of the output rows whose pooling window holds it (at most two are open at a time for a scale
// above 1, four are kept); an output row is pooled along its columns when its window closes.
void up_branch(const float* x, int64_t h, int64_t w, int64_t hs, int64_t ws, const float* k, float* out,
               Scratch& s) {
  const int64_t wp = ws + 2;
  int32_t* idx = s.index.resize(2 * hs + 2 * ws + 2 * h + 2 * w);
  int32_t *y0 = idx, *y1 = y0 + hs, *x0 = y1 + hs, *x1 = x0 + ws, *rs = x1 + ws, *re = rs + h, *cs = re + h,
          *ce = cs + w;
  float* fac = s.factors.resize(hs + ws + h + w);
  float *fy = fac, *fx = fy + hs, *rinv = fx + ws, *cinv = rinv + h;
  lerp_table(h, hs, y0, y1, fy);
  lerp_table(w, ws, x0, x1, fx);
  window_table(hs, h, rs, re);
  window_table(ws, w, cs, ce);
  for (int64_t i = 0; i < h; ++i) rinv[i] = 1.f / static_cast<float>(re[i] - rs[i]);
  for (int64_t j = 0; j < w; ++j) cinv[j] = 1.f / static_cast<float>(ce[j] - cs[j]);
  float* buf = s.rows.resize(3 * wp + 2 + 2 * ws + ws + 4 * ws);
  float* ring = buf;
  float* cached = ring + 3 * wp + 2;      // 2 x ws: the row cache
  float* __restrict c = cached + 2 * ws;  // ws: one conv row
  float* acc = c + ws;                    // 4 x ws: the open output rows' sums
  RowCache cache{{cached, cached + ws}, {-1, -1}, x, w, w, ws, x0, x1, fx};
  auto slot = [&](int64_t r) { return ring + ((r + 3) % 3) * wp; };
  auto resized_row = [&](int64_t r, float* __restrict dst) {
    if (r < 0 || r >= hs) {
      for (int64_t u = 0; u < wp; ++u) dst[u] = 0.f;
      return;
    }
    const float* __restrict a = cache.get(y0[r]);
    const float* __restrict b = cache.get(y1[r]);
    const float g = fy[r], g0 = 1.f - g;
    dst[0] = 0.f;
    for (int64_t u = 0; u < ws; ++u) dst[u + 1] = g0 * a[u] + g * b[u];
    dst[ws + 1] = 0.f;
  };
  resized_row(-1, slot(-1));
  resized_row(0, slot(0));
  const float k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7],
              k8 = k[8];
  int64_t first = 0;  // the first output row whose window has not closed
  for (int64_t r = 0; r < hs; ++r) {
    resized_row(r + 1, slot(r + 1));
    const float* __restrict a = slot(r - 1);
    const float* __restrict b = slot(r);
    const float* __restrict d = slot(r + 1);
    for (int64_t u = 0; u < ws; ++u)
      c[u] = k0 * a[u] + k1 * a[u + 1] + k2 * a[u + 2] + k3 * b[u] + k4 * b[u + 1] + k5 * b[u + 2] +
             k6 * d[u] + k7 * d[u + 1] + k8 * d[u + 2];
    for (int64_t i = first; i < h && rs[i] <= r; ++i) {
      float* __restrict sum = acc + (i % 4) * ws;
      if (r == rs[i])
        for (int64_t u = 0; u < ws; ++u) sum[u] = c[u];
      else
        for (int64_t u = 0; u < ws; ++u) sum[u] += c[u];
      if (r + 1 == re[i]) {  // the window closes: pool along the columns into output row i
        float* __restrict o = out + i * w;
        const float ri = rinv[i];
        if (ws == 2 * w)  // windows of two columns each (scale 2): a vector loop
          for (int64_t j = 0; j < w; ++j) o[j] = (sum[2 * j] + sum[2 * j + 1]) * (0.5f * ri);
        else
          for (int64_t j = 0; j < w; ++j) o[j] = window_sum(sum + cs[j], ce[j] - cs[j]) * (ri * cinv[j]);
      }
    }
    while (first < h && re[first] <= r + 1) ++first;
  }
}

// The up branch as one linear operator on the source plane. Resize, zero-padded 3x3 conv and
// average pool are linear and the resize and pool separable, so the branch is
//   out = sum_dy A_dy x (sum_dx k[dy][dx] B_dx)^T,
// A_dy (h x h) = pool . shift(dy) . resize along the rows, B_dx (w x w) likewise along the rows:
// banded (an output reads sources at most kReach away for the scales 1.5 and 2), so the branch
// costs 2 x 15 multiply-adds per output at the source resolution instead of a conv at the resized
// one.
constexpr int64_t kReach = 2;
constexpr int64_t kSpan = 2 * kReach + 1;

// One axis' operators: resize n -> ns (aligned corners), shift by d in {-1, 0, 1} with zero
// padding (the conv tap's offset), average pool ns -> n; coef[((d + 1) * kSpan + e + kReach) * n + o]
// weighs source o + e for output o. False when some output reads a source farther than kReach.
bool axis_operator(int64_t n, int64_t ns, float* coef, Scratch& s) {
  int32_t* idx = s.index.resize(2 * ns + 2 * n);
  int32_t *i0 = idx, *i1 = i0 + ns, *ws = i1 + ns, *we = ws + n;
  float* f = s.factors.resize(ns);
  lerp_table(n, ns, i0, i1, f);
  window_table(ns, n, ws, we);
  for (int64_t q = 0; q < 3 * kSpan * n; ++q) coef[q] = 0.f;
  for (int64_t d = -1; d <= 1; ++d) {
    float* c = coef + (d + 1) * kSpan * n;
    for (int64_t o = 0; o < n; ++o) {
      const float inv = 1.f / static_cast<float>(we[o] - ws[o]);
      for (int64_t r = ws[o] + d; r < we[o] + d; ++r) {
        if (r < 0 || r >= ns) continue;  // the conv's zero padding
        const int64_t e0 = i0[r] - o, e1 = i1[r] - o;
        if (e0 < -kReach || e0 > kReach || e1 < -kReach || e1 > kReach) return false;
        c[(e0 + kReach) * n + o] += (1.f - f[r]) * inv;
        c[(e1 + kReach) * n + o] += f[r] * inv;
      }
    }
  }
  return true;
}

// The up branch through its operators (see above); false (nothing written) where they do not apply.
bool up_branch_banded(const float* x, int64_t h, int64_t w, int64_t hs, int64_t ws, const float* k,
                      float* out, Scratch& s) {
  float* ra = s.rowop.resize(3 * kSpan * h);
  float* ca = s.colop.resize(3 * kSpan * w);
  if (!axis_operator(h, hs, ra, s) || !axis_operator(w, ws, ca, s)) return false;
  // This channel's column operators: cc[dy][e] = sum_dx k[dy][dx] * ca[dx][e].
  float* cc = s.chanop.resize(3 * kSpan * w);
  for (int64_t dy = 0; dy < 3; ++dy)
    for (int64_t e = 0; e < kSpan; ++e) {
      const float k0 = k[dy * 3], k1 = k[dy * 3 + 1], k2 = k[dy * 3 + 2];
      const float* __restrict b0 = ca + e * w;
      const float* __restrict b1 = ca + (kSpan + e) * w;
      const float* __restrict b2 = ca + (2 * kSpan + e) * w;
      float* __restrict c = cc + (dy * kSpan + e) * w;
      for (int64_t j = 0; j < w; ++j) c[j] = k0 * b0[j] + k1 * b1[j] + k2 * b2[j];
    }
  // The source rows with kReach zeros on each side, so that every column tap is a plain load.
  const int64_t wp = w + 2 * kReach, hp = h + 2 * kReach;
  float* xp = s.plane.resize(h * wp);
  for (int64_t y = 0; y < h; ++y) {
    float* __restrict row = xp + y * wp;
    for (int64_t q = 0; q < kReach; ++q) row[q] = row[w + kReach + q] = 0.f;
    std::memcpy(row + kReach, x + y * w, sizeof(float) * static_cast<size_t>(w));
  }
  // t[dy]: the source rows through the column operator of dy, with kReach zero rows above and below.
  float* t = s.conv.resize(3 * hp * w);
  for (int64_t dy = 0; dy < 3; ++dy) {
    float* td = t + dy * hp * w;
    for (int64_t q = 0; q < kReach * w; ++q) td[q] = td[(h + kReach) * w + q] = 0.f;
    for (int64_t y = 0; y < h; ++y) {
      const float* __restrict src = xp + y * wp;
      const float* __restrict c0 = cc + (dy * kSpan) * w;
      const float* __restrict c1 = c0 + w;
      const float* __restrict c2 = c1 + w;
      const float* __restrict c3 = c2 + w;
      const float* __restrict c4 = c3 + w;
      float* __restrict o = td + (y + kReach) * w;
      for (int64_t j = 0; j < w; ++j)
        o[j] = c0[j] * src[j] + c1[j] * src[j + 1] + c2[j] * src[j + 2] + c3[j] * src[j + 3] +
               c4[j] * src[j + 4];
    }
  }
  // Each output row: the rows of t around it, weighted by the row operators.
  for (int64_t i = 0; i < h; ++i) {
    float* __restrict o = out + i * w;
    for (int64_t j = 0; j < w; ++j) o[j] = 0.f;
    for (int64_t dy = 0; dy < 3; ++dy)
      for (int64_t e = 0; e < kSpan; ++e) {
        const float g = ra[(dy * kSpan + e) * h + i];
        if (g == 0.f) continue;
        const float* __restrict r = t + (dy * hp + i + e) * w;
        for (int64_t j = 0; j < w; ++j) o[j] += g * r[j];
      }
  }
  return true;
}

// The merge of one channel's branch planes b (branches x h x w): each through its BN + PReLU into a
// zero-padded plane, the 3x3 taps of all of them summed band by band (the accumulator stays in the
// L1 cache), then bias + PReLU into out.
void merge_channel(const PyramidBranchesArgs& a, int64_t ch, const float* b, float* out, Scratch& s) {
  const int64_t ws = a.w + 2, padded = (a.h + 2) * ws + 2, plane = a.h * a.w;
  float* p = s.merge.resize(a.branches * padded);
  for (int64_t i = 0; i < a.branches; ++i) {
    const int64_t c = i * a.channels + ch;
    pad_plane_bn_prelu(b + i * plane, a.h, a.w, a.merge_scale[c], a.merge_shift[c], a.merge_in_alpha[c],
                       p + i * padded);
  }
  const int64_t band = max64(1, 4096 / ws);
  float* t = s.conv.resize(band * ws);
  const float bias = a.merge_bias[ch], al = a.merge_alpha[ch];
  for (int64_t y0 = 0; y0 < a.h; y0 += band) {
    const int64_t y1 = min64(a.h, y0 + band);
    for (int64_t i = 0; i < a.branches; ++i)
      taps9(t, p + i * padded + y0 * ws, ws, a.merge_weight + (ch * a.branches + i) * 9, (y1 - y0) * ws,
            i == 0);
    for (int64_t y = y0; y < y1; ++y) {
      const float* __restrict r = t + (y - y0) * ws;
      float* __restrict o = out + y * a.w;
      for (int64_t x = 0; x < a.w; ++x) o[x] = prelu1(r[x] + bias, al);
    }
  }
}

void branches_range(const PyramidBranchesArgs& a, int64_t begin, int64_t end) {
  thread_local Scratch s;
  const int64_t plane = a.h * a.w;
  const bool merge = a.merge_weight != nullptr;
  for (int64_t t = begin; t < end; ++t) {
    const int64_t image = t / a.channels, ch = t % a.channels;
    const float* x = a.in + t * plane;
    float* planes = merge ? s.branch.resize(a.branches * plane) : nullptr;
    for (int64_t i = 0; i < a.branches; ++i) {
      const float* k = a.weight + (i * a.channels + ch) * 9;
      float* out = merge ? planes + i * plane : a.out + ((image * a.branches + i) * a.channels + ch) * plane;
      const int64_t hs = a.sizes[2 * i], ws = a.sizes[2 * i + 1];
      switch (a.kinds[i]) {
        case BranchKind::Up:
          if (!up_branch_banded(x, a.h, a.w, hs, ws, k, out, s)) up_branch(x, a.h, a.w, hs, ws, k, out, s);
          break;
        case BranchKind::Down:
          down_branch(x, a.h, a.w, hs, ws, k, out, s);
          break;
        case BranchKind::Same:
          same_branch(x, a.h, a.w, k, out, s);
          break;
      }
    }
    if (merge) merge_channel(a, ch, planes, a.out + t * plane, s);
  }
}

void resize_range(const float* in, int64_t h, int64_t w, int64_t oh, int64_t ow, float* out, int64_t begin,
                  int64_t end) {
  thread_local Scratch s;
  for (int64_t t = begin; t < end; ++t) resize_plane(in + t * h * w, w, h, w, oh, ow, out + t * oh * ow, s);
}

const PyramidPoolLoops loops{branches_range, resize_range};
[[maybe_unused]] const bool registered = (pyramid_pool_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
