// torchrun-style launcher on one machine: starts `nproc` copies of a command as ranks 0..nproc-1
// with RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set, forwards their output, and
// waits. When a rank fails, the others are given `grace_s` to notice and exit by themselves (they
// name the lost rank), then are sent SIGTERM, then SIGKILL. Several machines: run one launcher per
// machine is not supported; use srun (docs/cluster.md).
#pragma once
#include <string>
#include <vector>

namespace espbench::dist {

struct LaunchOptions {
  int64_t nproc = 2;
  std::string master_addr = "127.0.0.1";
  int64_t master_port = 0;  // 0: a free port picked now
  double grace_s = 70.0;    // after a failure, before SIGTERM
};

struct RankExit {
  int64_t rank = 0;
  int code = 0;  // exit status, or 128 + signal
};

// Runs `argv` (argv[0] = the program) nproc times; returns every rank's exit, in the order they
// ended. Throws espbench::Error for bad options or when a process cannot be started.
std::vector<RankExit> launch(const std::vector<std::string>& argv, const LaunchOptions& options);

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace espbench::dist
