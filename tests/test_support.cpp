#include "tests/test_support.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <sys/wait.h>

namespace espbench::test {

std::string espbench_binary() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "espbench").string();
}

std::pair<int, std::string> run_command(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace espbench::test
