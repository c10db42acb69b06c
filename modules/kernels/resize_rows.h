// Row-wise bilinear resizing with aligned corners, for the per-ISA kernel sources
// (pyramid_pool_isa.cpp, grouped_conv3x3_isa.cpp): include after isa.h. Like isa.h it defines
// everything in the build's own namespace, with no LibTorch and no standard containers.
#pragma once

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

// A growable per-thread index buffer (no standard containers here, see isa.h). 32-bit indices:
// the vectoriser turns the resize's gathers into vector gathers with them.
class IndexBuffer {
 public:
  IndexBuffer() = default;
  ~IndexBuffer() { std::free(data_); }
  IndexBuffer(const IndexBuffer&) = delete;
  IndexBuffer& operator=(const IndexBuffer&) = delete;
  int32_t* resize(int64_t n) {
    if (n > capacity_) {
      std::free(data_);
      data_ = static_cast<int32_t*>(std::malloc(sizeof(int32_t) * static_cast<size_t>(n > 0 ? n : 1)));
      if (!data_) throw std::bad_alloc();
      capacity_ = n;
    }
    return data_;
  }

 private:
  int32_t* data_ = nullptr;
  int64_t capacity_ = 0;
};

// Aligned-corners bilinear source positions along one axis (in -> out), as LibTorch computes them
// in float: output o reads i0[o] and i1[o] with weights 1 - f[o] and f[o].
inline void lerp_table(int64_t in, int64_t out, int32_t* i0, int32_t* i1, float* f) {
  const float scale = out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1) : 0.f;
  for (int64_t o = 0; o < out; ++o) {
    const float real = scale * static_cast<float>(o);
    const int64_t idx = min64(static_cast<int64_t>(real), in - 1);
    const float lambda = real - static_cast<float>(idx);
    i0[o] = static_cast<int32_t>(idx);
    i1[o] = static_cast<int32_t>(idx + (idx < in - 1 ? 1 : 0));
    f[o] = lambda < 0.f ? 0.f : (lambda > 1.f ? 1.f : lambda);
  }
}

using Vec = SimdVec<kLanes>::type;
typedef int32_t IndexVec __attribute__((vector_size(kLanes * 4), aligned(4)));

// dst[u] = (1 - f[u]) * src[i0[u]] + f[u] * src[i1[u]] for u in [0, n): one source row of m floats
// resized. An up-scaling resize reads, for kLanes consecutive outputs, fewer than kLanes consecutive
// sources: one vector load and two in-register permutes replace the two gathers; blocks whose
// sources do not fit (or would read past the row) take the scalar loop.
ESPBENCH_INLINE void resize_row(const float* __restrict src, int64_t m, float* __restrict dst,
                                const int32_t* __restrict i0, const int32_t* __restrict i1,
                                const float* __restrict f, int64_t n) {
  int64_t u = 0;
  for (; u + kLanes <= n; u += kLanes) {
    const int32_t base = i0[u];
    if (i1[u + kLanes - 1] - base < kLanes && base + kLanes <= m) {
      Vec v, w;
      IndexVec a, b;
      std::memcpy(&v, src + base, sizeof(Vec));
      std::memcpy(&w, f + u, sizeof(Vec));
      std::memcpy(&a, i0 + u, sizeof(IndexVec));
      std::memcpy(&b, i1 + u, sizeof(IndexVec));
      a -= base;
      b -= base;
      const Vec r = (1.f - w) * __builtin_shuffle(v, a) + w * __builtin_shuffle(v, b);
      std::memcpy(dst + u, &r, sizeof(Vec));
    } else {
      for (int64_t k = u; k < u + kLanes; ++k) dst[k] = (1.f - f[k]) * src[i0[k]] + f[k] * src[i1[k]];
    }
  }
  for (; u < n; ++u) dst[u] = (1.f - f[u]) * src[i0[u]] + f[u] * src[i1[u]];
}

// Source rows resized along the row (aligned-corners bilinear, w -> ws), two kept: a resize reads
// source rows in non-decreasing order, so the smaller cached index is the one to replace.
struct RowCache {
  float* row[2];
  int64_t key[2];
  const float* in;
  int64_t stride, w, ws;  // source row stride and length, resized length
  const int32_t *x0, *x1;
  const float* fx;

  const float* get(int64_t index) {
    if (key[0] == index) return row[0];
    if (key[1] == index) return row[1];
    const int slot = key[0] < key[1] ? 0 : 1;
    resize_row(in + index * stride, w, row[slot], x0, x1, fx, ws);
    key[slot] = index;
    return row[slot];
  }
};

}  // namespace espbench::kernels::ESPBENCH_ISA
