// A sweep run's status file and its lock, so that any number of processes (shards, Slurm array
// tasks, a rerun after a crash) can share one sweep folder safely.
//
// DIR/<sweep>/<run-id>/status.json, always written atomically:
//   {"run_id", "label", "status": "pending" | "running" | "done" | "failed", "attempts",
//    "error" (failed only), "pid", "host", "created_utc", "started_utc", "updated_utc",
//    "finished_utc" (done/failed)}
// `attempts` counts the sessions that started training the run (a resume after a kill is one more).
//
// DIR/<sweep>/<run-id>/.lock is held (flock, exclusive) by the process working on the run. The
// kernel drops the lock when that process dies, even by SIGKILL, so a "running" status whose lock
// is free is a run that was interrupted: the next process resumes it from its checkpoint.
#pragma once
#include <string>

#include "modules/options.h"

namespace espbench::sweep {

// The status file's content, or {} when absent or unreadable.
json read_status(const std::string& run_dir);
void write_status(const std::string& run_dir, const json& status);

// "host" and pid of this process, for status files.
std::string this_host();

class RunLock {
 public:
  // Tries to take the run's lock without waiting; held() tells whether it was taken.
  explicit RunLock(const std::string& run_dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace espbench::sweep
