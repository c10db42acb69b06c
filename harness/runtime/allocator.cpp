#include "harness/runtime/allocator.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace espbench {

namespace {

constexpr long kMmapThreshold = 32L << 20;  // glibc's upper limit for M_MMAP_THRESHOLD on 64-bit
constexpr long kTrimThreshold = 1L << 30;
bool g_tuned = false;

}  // namespace

void configure_allocator() {
#if defined(__GLIBC__)
  static const bool done = [] {
    const char* env = std::getenv("ESPBENCH_MALLOC_TUNING");
    if (env && std::strcmp(env, "0") == 0) return true;
    g_tuned = mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThreshold)) == 1 &&
              mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThreshold)) == 1;
    return true;
  }();
  (void)done;
#endif
}

json allocator_record() {
  if (!g_tuned) return {{"tuned", false}};
  return {
      {"tuned", true}, {"mmap_threshold_bytes", kMmapThreshold}, {"trim_threshold_bytes", kTrimThreshold}};
}

}  // namespace espbench
