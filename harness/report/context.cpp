#include "harness/report/context.h"

#include <ATen/Parallel.h>
#include <torch/version.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

#include "espbench_git_commit.h"  // generated at build time (CMakeLists.txt)
#include "harness/runtime/allocator.h"

namespace espbench {

namespace {
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown";
}

std::string hostname() {
  char buf[256] = {0};
  return gethostname(buf, sizeof(buf) - 1) == 0 ? std::string(buf) : "unknown";
}
}  // namespace

std::string utc_now_iso() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json run_context(const std::string& device, const std::string& dtype) {
  return {
      {"espbench_version", ESPBENCH_VERSION},
      {"git_commit", ESPBENCH_GIT_COMMIT},
      {"libtorch_version", TORCH_VERSION},
      {"compiler", std::string("gcc ") + __VERSION__},
      {"cpu_model", cpu_model()},
      {"cpu_cores", std::thread::hardware_concurrency()},
      {"hostname", hostname()},
      {"threads", at::get_num_threads()},
      {"interop_threads", at::get_num_interop_threads()},
      {"device", device},
      {"dtype", dtype},
      {"time_utc", utc_now_iso()},
      {"malloc", allocator_record()},
  };
}

}  // namespace espbench
