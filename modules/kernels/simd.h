// What the hand-written CPU kernels (modules/kernels/, harness/latency/) share to run at their best
// on any x86-64 CPU: the instruction set, detected once at run time; attributes that compile one
// kernel body per set (the loops are inlined into each range function, which carries the target);
// and GCC vector types, which the target turns into zmm, ymm or xmm instructions. Elsewhere (no
// x86-64 GCC) the target attributes are empty and cpu_isa() says generic.
#pragma once

namespace espbench::kernels {

enum class Isa { Generic, Avx2, Avx512 };

// AVX-512F, else AVX2 with FMA, else generic; detected once.
Isa cpu_isa();

// "avx512f", "avx2+fma" or "generic", for reports.
const char* isa_name(Isa isa);

// W floats, unaligned loads and stores through a pointer cast.
template <int W>
struct SimdVec {
  typedef float type __attribute__((vector_size(W * 4), aligned(4)));
};

}  // namespace espbench::kernels

#define ESPBENCH_INLINE inline __attribute__((always_inline))

#if defined(__GNUC__) && defined(__x86_64__)
#define ESPBENCH_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define ESPBENCH_TARGET_AVX512 __attribute__((target("avx512f,fma")))
#else
#define ESPBENCH_TARGET_AVX2
#define ESPBENCH_TARGET_AVX512
#endif
