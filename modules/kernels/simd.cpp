#include "modules/kernels/simd.h"

namespace espbench::kernels {

Isa cpu_isa() {
#if defined(__GNUC__) && defined(__x86_64__)
  static const Isa isa = __builtin_cpu_supports("avx512f")                                 ? Isa::Avx512
                         : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? Isa::Avx2
                                                                                           : Isa::Generic;
  return isa;
#else
  return Isa::Generic;
#endif
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512f";
    case Isa::Avx2:
      return "avx2+fma";
    case Isa::Generic:
      break;
  }
  return "generic";
}

}  // namespace espbench::kernels
