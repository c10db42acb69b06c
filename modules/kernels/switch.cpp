#include "modules/kernels/switch.h"

#include <atomic>
#include <cstdlib>
#include <string>

namespace espbench::kernels {

namespace {
std::atomic<bool>& flag() {
  static std::atomic<bool> enabled{[] {
    const char* env = std::getenv("ESPBENCH_NATIVE_KERNELS");
    return !(env && std::string(env) == "0");
  }()};
  return enabled;
}
}  // namespace

void set_native_kernels(bool enabled) { flag() = enabled; }
bool native_kernels_enabled() { return flag(); }

}  // namespace espbench::kernels
