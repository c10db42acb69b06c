// Running a sweep: every planned run trains in OUT/<sweep>/<run-id>/, idempotently.
//
//   Plan plan = expand(load_manifest("ablations/smoke.json"));
//   SweepOptions o;  o.out = "sweeps";
//   SweepResult r = run_sweep(plan, o);
//
// Layout of OUT/<sweep>/:
//   manifest.json              the manifest as last run (for the record)
//   <run-id>/config.json       the resolved RunConfig (`espbench train --config` repeats the run)
//   <run-id>/status.json       pending/running/done/failed, attempts, error (run_status.h)
//   <run-id>/report.json       the training report (harness/report/report.schema.json)
//   <run-id>/log               the trainer's progress lines, appended by every attempt
//   <run-id>/checkpoint_*.pt   checkpoints (trainer.h)
//
// Running the same sweep again skips done runs, resumes interrupted ones from their checkpoint
// (an interrupted run is "running" with nobody holding its lock) and retries failed ones. Within
// one invocation a failing run is attempted up to 1 + retries times; each failure is printed when
// it happens and the sweep goes on, unless fail_fast. A run whose lock another live process holds
// is skipped, so shards, Slurm array tasks (one `espbench sweep M --run-id ID` per pending id) and
// accidental double starts never train one run twice at once.
//
// Ablations share runs (the EESP baseline of a block ablation is the "on" arm of an input
// reinforcement one): a pending run whose id is already done in another sweep under the same `out`
// is not retrained; its report (with this run's config, and its latency block only where this
// config asks for latency), log and checkpoints are copied and status.json says "reused_from"
// (off with reuse = false, `--no-reuse`).
//
// A done run (trained here or reused) whose report lacks the latency block its config's
// measure.latency asks for is measured from its last checkpoint, without retraining; its status
// keeps the training times and gains "measured_utc". Without a checkpoint it stays done and the
// sweep says it is not measured.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "harness/sweep/manifest.h"

namespace espbench::sweep {

struct SweepOptions {
  std::string out = "sweeps";  // output root; the sweep's folder is out/<manifest name>
  int64_t shard_index = 0, shard_count = 1;
  std::string run_id;          // non-empty: this run only (it must be in the manifest)
  int64_t retries = 0;         // extra attempts per failing run in this invocation
  bool fail_fast = false;      // stop at the first failure
  int64_t threads = 0;         // > 0: runtime.threads of every run (not part of the run id)
  bool quiet = false;          // only failures and the final line
  bool reuse = true;           // copy a run another sweep under `out` already finished (same run id)
  std::FILE* stream = stdout;  // progress lines
};

struct SweepResult {
  int64_t selected = 0;  // runs in this invocation's slice
  int64_t done = 0;      // done at the end (already done or finished now)
  int64_t trained = 0;   // finished now
  int64_t failed = 0;
  int64_t busy = 0;                   // skipped: another process holds the run
  int64_t reused = 0;                 // done by copying a finished twin from another sweep
  int64_t unmeasured = 0;             // done, but the measurement their config asks for could not be made
  std::vector<std::string> failures;  // "ID (label): error"
};

std::string sweep_dir(const Plan& plan, const std::string& out);

// "done", "failed", "running" (its process is alive, or on another host), "interrupted" (a running
// status whose process on this host is gone) or "pending" (nothing or only a config yet). Reads
// status.json and report.json only; takes no lock.
std::string run_state(const std::string& run_dir);

// Ids of the runs (in expansion order, after --shard / --run-id selection by the caller) whose
// state is not "done": what a job array still has to run.
std::vector<std::string> pending_run_ids(const Plan& plan, const std::string& out);

// The runs this invocation works on: the shard, or the single --run-id (error if unknown).
std::vector<PlannedRun> select_runs(const Plan& plan, const SweepOptions& options);

SweepResult run_sweep(const Plan& plan, const SweepOptions& options);

// The --dry-run listing: one line per selected run with id, state, params, MACs and label.
std::string dry_run_listing(const Plan& plan, const SweepOptions& options);

}  // namespace espbench::sweep
