// Quiet timing on a shared machine: while one espbench process times a model, the others on the
// same machine that train or evaluate pause at their next step, so a sweep's workers do not time
// each other's training.
//
//   QuietLocks locks;                          // a training loop's, opened once
//   while (loader.next(b)) {
//     QuietStep step(locks);                   // waits while a window is open; holds it off meanwhile
//     train_step(...);
//   }
//
//   QuietWindow window;                        // the timer: every in-flight step ends, no new one starts
//   time_the_model();
//   block["quiet"] = window.record();          // {"paused_others", "waited_s", "lock_dir"[, "error"]}
//
// Two lock files in one folder per machine (ESPBENCH_QUIET_DIR, else the system's temporary folder):
// a step passes `espbench-quiet.gate` (shared, released at once) and holds `espbench-quiet.busy`
// shared while it runs. A window closes the gate (exclusive), so no step starts, then takes the busy
// lock exclusive, which it gets once the steps already running have ended. Windows of two processes
// follow each other. The kernel drops the locks of a process that exits, so a crash never leaves
// the others paused. Where the files cannot be opened, steps never wait and the window records why.
#pragma once
#include <string>

#include "modules/options.h"

namespace espbench::runtime {

// The folder of the lock files: $ESPBENCH_QUIET_DIR, else the system's temporary folder.
std::string quiet_dir();

// The lock files of one training loop (open or not: see error()).
class QuietLocks {
 public:
  QuietLocks();
  ~QuietLocks();
  QuietLocks(const QuietLocks&) = delete;
  QuietLocks& operator=(const QuietLocks&) = delete;
  bool open() const { return gate_ >= 0 && busy_ >= 0; }
  const std::string& error() const { return error_; }
  int gate() const { return gate_; }
  int busy() const { return busy_; }

 private:
  int gate_ = -1, busy_ = -1;
  std::string error_;
};

// One step of work: waits while another process's window is open, then keeps windows off until it ends.
class QuietStep {
 public:
  explicit QuietStep(const QuietLocks* locks);  // null or closed locks: never waits
  ~QuietStep();
  QuietStep(const QuietStep&) = delete;
  QuietStep& operator=(const QuietStep&) = delete;

 private:
  int busy_ = -1;
};

// While it lives, no QuietStep of any process on the machine runs. Waits at most `max_wait_s` for
// the gate and the steps in flight; past that it goes on without them (paused_others false).
class QuietWindow {
 public:
  explicit QuietWindow(double max_wait_s = 600.0);
  ~QuietWindow();
  QuietWindow(const QuietWindow&) = delete;
  QuietWindow& operator=(const QuietWindow&) = delete;
  bool paused_others() const { return paused_; }
  // {"paused_others": bool, "waited_s": seconds spent waiting, "lock_dir": folder[, "error": why not]}
  json record() const;
  // One line for a person: "quiet: ... paused while timing (waited 0.4 s)" or "not quiet: why".
  std::string summary() const;

 private:
  QuietLocks locks_;
  bool gate_held_ = false, paused_ = false;
  double waited_s_ = 0;
  std::string error_;
};

}  // namespace espbench::runtime
