#include "harness/runtime/quiet.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace espbench::runtime {

namespace {

int open_lock(const std::string& path, std::string& error) {
  // 0666 so that the sweeps of several users on one machine share the files (the umask may narrow it).
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0 && error.empty()) error = fmt::format("cannot open '{}': {}", path, std::strerror(errno));
  return fd;
}

// flock() that resumes after a signal; false on any other failure.
bool lock_wait(int fd, int op) {
  while (::flock(fd, op) != 0)
    if (errno != EINTR) return false;
  return true;
}

// Polls an exclusive lock until `deadline`; false when it was not had by then.
bool lock_exclusive_by(int fd, std::chrono::steady_clock::time_point deadline) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

std::string quiet_dir() {
  const char* env = std::getenv("ESPBENCH_QUIET_DIR");
  if (env && *env) return env;
  std::error_code ec;
  const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  return ec ? std::string("/tmp") : tmp.string();
}

QuietLocks::QuietLocks() {
  const std::filesystem::path dir = quiet_dir();
  gate_ = open_lock((dir / "espbench-quiet.gate").string(), error_);
  busy_ = open_lock((dir / "espbench-quiet.busy").string(), error_);
}

QuietLocks::~QuietLocks() {
  if (gate_ >= 0) ::close(gate_);
  if (busy_ >= 0) ::close(busy_);
}

QuietStep::QuietStep(const QuietLocks* locks) {
  if (!locks || !locks->open()) return;
  // Pass the gate: blocks while a window holds it.
  if (!lock_wait(locks->gate(), LOCK_SH)) return;
  ::flock(locks->gate(), LOCK_UN);
  if (lock_wait(locks->busy(), LOCK_SH)) busy_ = locks->busy();
}

QuietStep::~QuietStep() {
  if (busy_ >= 0) ::flock(busy_, LOCK_UN);
}

QuietWindow::QuietWindow(double max_wait_s) {
  if (!locks_.open()) {
    error_ = locks_.error();
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(max_wait_s));
  gate_held_ = lock_exclusive_by(locks_.gate(), deadline);
  if (gate_held_) paused_ = lock_exclusive_by(locks_.busy(), deadline);
  waited_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!paused_)
    error_ =
        fmt::format("{} not free after {:.0f} s: timed without pausing the others",
                    gate_held_ ? "the steps in flight were" : "another process's window was", max_wait_s);
}

QuietWindow::~QuietWindow() {
  if (paused_) ::flock(locks_.busy(), LOCK_UN);
  if (gate_held_) ::flock(locks_.gate(), LOCK_UN);
}

json QuietWindow::record() const {
  json r = {{"paused_others", paused_}, {"waited_s", waited_s_}, {"lock_dir", quiet_dir()}};
  if (!error_.empty()) r["error"] = error_;
  return r;
}

}  // namespace espbench::runtime
