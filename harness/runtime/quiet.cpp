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

// Polls an exclusive lock until `deadline`; false when it was not had by then, or when the lock
// cannot be taken at all (`failure` says why: a file system without locks, say).
bool lock_exclusive_by(int fd, std::chrono::steady_clock::time_point deadline, std::string& failure) {
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      failure = std::strerror(errno);
      return false;
    }
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
  std::string failure;
  gate_held_ = lock_exclusive_by(locks_.gate(), deadline, failure);
  if (gate_held_) paused_ = lock_exclusive_by(locks_.busy(), deadline, failure);
  waited_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (paused_) return;
  const std::string file =
      (std::filesystem::path(quiet_dir()) / (gate_held_ ? "espbench-quiet.busy" : "espbench-quiet.gate"))
          .string();
  if (!failure.empty())
    error_ = fmt::format("cannot lock '{}': {}: timed without pausing the others", file, failure);
  else
    error_ =
        fmt::format("{} not free after {:.0f} s: timed without pausing the others",
                    gate_held_ ? "the steps in flight were" : "another process's window was", max_wait_s);
}

std::string QuietWindow::summary() const {
  if (!paused_) return "not quiet: " + error_;
  return fmt::format(
      "quiet: this machine's espbench training and evaluation paused while timing (waited {:.1f} s)",
      waited_s_);
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
