// Slurm job arrays for sweeps: one array task per pending run, each running exactly that run
// through `espbench sweep MANIFEST --run-id ID` in the usual OUT/<sweep>/<run-id>/ layout.
//
//   SlurmArray a = write_slurm_array(plan, sweep_options, slurm_options);   // a.path, a.run_ids
//   std::string job = submit_slurm_array(a);                               // sbatch --parsable
//
// Written to OUT/<sweep>/slurm/array-<UTC time>.sbatch; task logs go to
// OUT/<sweep>/slurm/<job>_<task>.out. The script lists the run ids that were pending when it was
// written; a task whose run is already done (by an earlier array, a requeue or a local
// `espbench sweep`) finds it done and exits at once, a run held by another live task is skipped
// (run lock), and an interrupted one resumes from its checkpoint. So resubmitting or requeueing
// (--requeue is set) repeats nothing that is done; writing a new script lists only what is left.
// The output folder must be on a file system every node sees.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "harness/sweep/runner.h"

namespace espbench::sweep {

struct SlurmOptions {
  std::string partition;      // --partition (empty: the cluster's default)
  std::string time;           // --time, e.g. "04:00:00" (empty: the partition's default)
  int64_t cpus_per_task = 0;  // --cpus-per-task (0: not set); also each run's intra-op threads
  int64_t gpus_per_task = 0;  // --gpus-per-task (0: not set)
  std::string espbench;       // the binary the tasks run (default: this one)
};

struct SlurmArray {
  std::string path;                  // the script ("" when nothing was pending)
  std::string script;                // its text
  std::vector<std::string> run_ids;  // task i runs run_ids[i]
};

// Writes the array script for the pending runs of `options`' selection (shard / --run-id).
// Nothing is written when no run is pending.
SlurmArray write_slurm_array(const Plan& plan, const SweepOptions& options, const SlurmOptions& slurm);

// Submits with `sbatch --parsable` (SLURM_CONF and friends come from the environment); returns
// the job id. Throws espbench::Error with sbatch's message when it fails or is missing.
std::string submit_slurm_array(const SlurmArray& array);

// Single-quotes `s` for a POSIX shell.
std::string shell_quote(const std::string& s);

}  // namespace espbench::sweep
