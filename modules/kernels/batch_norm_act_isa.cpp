// The fused BatchNorm + activation's element loops for one instruction set (isa.h). The selects are
// written with vectors of kLanes floats, since GCC turns scalar selects in these loops into
// branches.
#include "modules/kernels/batch_norm_act_isa.h"

#include "modules/kernels/isa.h"

namespace espbench::kernels::ESPBENCH_ISA {

namespace {

using V = SimdVec<kLanes>::type;

template <typename T>
ESPBENCH_INLINE T ld(const float* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
ESPBENCH_INLINE void st(float* p, T v) {
  std::memcpy(p, &v, sizeof v);
}
ESPBENCH_INLINE float select_pos(float z, float if_pos, float if_not) { return z > 0.0f ? if_pos : if_not; }
ESPBENCH_INLINE V select_pos(V z, V if_pos, V if_not) { return z > 0.0f ? if_pos : if_not; }

// body(i, V{}) for whole vectors, then body(i, 0.f) for the scalar tail.
template <typename Body>
ESPBENCH_INLINE void simd_for(int64_t n, Body&& body) {
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) body(i, V{});
  for (; i < n; ++i) body(i, 0.0f);
}

void add_sum_sq(const float* __restrict x, float* __restrict s, float* __restrict q, int64_t n) {
  for (int64_t i = 0; i < n; ++i) s[i] += x[i], q[i] += x[i] * x[i];
}

void affine_act(const float* __restrict x, const float* __restrict sc, const float* __restrict sh,
                const float* __restrict neg, float* __restrict y, int64_t n) {
  simd_for(n, [&](int64_t i, auto t) {
    using T = decltype(t);
    const T z = ld<T>(x + i) * ld<T>(sc + i) + ld<T>(sh + i);
    st(y + i, select_pos(z, z, ld<T>(neg + i) * z));
  });
}

void add_grad_sums(const float* __restrict x, const float* __restrict g, const float* __restrict sc,
                   const float* __restrict sh, const float* __restrict neg, float* __restrict pg,
                   float* __restrict pgx, float* __restrict pa, int64_t n) {
  simd_for(n, [&](int64_t i, auto t) {
    using T = decltype(t);
    const T xi = ld<T>(x + i), gi = ld<T>(g + i);
    const T z = xi * ld<T>(sc + i) + ld<T>(sh + i);
    const T gz = select_pos(z, gi, ld<T>(neg + i) * gi);
    st(pg + i, ld<T>(pg + i) + gz);
    st(pgx + i, ld<T>(pgx + i) + gz * xi);
    if (pa) st(pa + i, ld<T>(pa + i) + select_pos(z, T{} * 0.0f, gi * z));
  });
}

void grad_input(const float* __restrict x, const float* __restrict g, const float* __restrict sc,
                const float* __restrict sh, const float* __restrict neg, const float* __restrict p,
                const float* __restrict q, float* __restrict o, int64_t n) {
  simd_for(n, [&](int64_t i, auto t) {
    using T = decltype(t);
    const T xi = ld<T>(x + i), gi = ld<T>(g + i), s = ld<T>(sc + i);
    const T z = xi * s + ld<T>(sh + i);
    const T gz = select_pos(z, gi, ld<T>(neg + i) * gi);
    st(o + i, s * gz + ld<T>(p + i) + ld<T>(q + i) * xi);
  });
}

const BatchNormActLoops loops{add_sum_sq, affine_act, add_grad_sums, grad_input};
[[maybe_unused]] const bool registered = (batch_norm_act_loops.add(kIsa, &loops), true);

}  // namespace

}  // namespace espbench::kernels::ESPBENCH_ISA
