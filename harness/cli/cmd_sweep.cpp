// `espbench sweep MANIFEST`: validate and expand a manifest, then run (a slice of) it.
#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "harness/cli/slurm_flags.h"
#include "harness/sweep/runner.h"
#include "modules/error.h"

namespace espbench::cli {

namespace {

struct SweepFlags {
  std::string manifest;
  std::string shard;
  bool dry_run = false;
  bool list_pending = false;
  sweep::SweepOptions options;
  SlurmCliFlags slurm;
};

}  // namespace

void add_sweep(CLI::App& app) {
  auto f = std::make_shared<SweepFlags>();
  auto* cmd =
      app.add_subcommand("sweep",
                         "run an ablation sweep from a manifest (ablations/*.json); rerunning skips done "
                         "runs, resumes interrupted ones and retries failed ones");
  cmd->add_option("manifest", f->manifest, "sweep manifest (JSON)")->required();
  cmd->add_option("--out", f->options.out,
                  "output root; runs go to OUT/<sweep name>/<run id>/ (default: sweeps)")
      ->envname("ESPBENCH_SWEEP_OUT");
  cmd->add_flag("--dry-run", f->dry_run, "list the runs with params, MACs and state; train nothing");
  cmd->add_flag("--list-pending", f->list_pending,
                "print the ids of the runs not done yet, one per line (for job arrays); train nothing");
  cmd->add_option("--shard", f->shard, "run slice i/n of the expansion order (0 <= i < n)")
      ->envname("ESPBENCH_SHARD");
  cmd->add_option("--run-id", f->options.run_id, "run only this run of the manifest (same folder layout)");
  cmd->add_option("--retries", f->options.retries,
                  "extra attempts for a failing run in this invocation (default 0)");
  cmd->add_flag("--fail-fast", f->options.fail_fast, "stop at the first failed run");
  cmd->add_option("--threads", f->options.threads,
                  "intra-op threads of every run (default: the manifest's, "
                  "else all cores)")
      ->envname("ESPBENCH_THREADS");
  cmd->add_flag("--quiet", f->options.quiet, "print only failures and the final line");
  cmd->add_flag("!--no-reuse", f->options.reuse,
                "retrain runs that another sweep under --out already finished (default: copy them)");
  add_slurm_flags(*cmd, f->slurm);
  cmd->callback([f] {
    sweep::SweepOptions& o = f->options;
    if (o.retries < 0) throw Error(fmt::format("option --retries: must be >= 0, got {}", o.retries));
    if (o.threads < 0) throw Error(fmt::format("option --threads: must be >= 1, got {}", o.threads));
    if (!f->shard.empty()) std::tie(o.shard_index, o.shard_count) = sweep::parse_shard(f->shard);
    const sweep::Plan plan = sweep::expand(sweep::load_manifest(f->manifest));
    if (f->slurm.slurm && !f->dry_run) {
      run_slurm(plan, o, f->slurm);
      return;
    }
    if (f->dry_run) {
      std::cout << sweep::dry_run_listing(plan, o);
      return;
    }
    if (f->list_pending) {
      std::vector<sweep::PlannedRun> selected = sweep::select_runs(plan, o);
      sweep::Plan slice = plan;
      slice.runs = selected;
      for (const auto& id : sweep::pending_run_ids(slice, o.out)) std::cout << id << "\n";
      return;
    }
    const sweep::SweepResult r = sweep::run_sweep(plan, o);
    if (r.failed > 0)
      throw Error(fmt::format("sweep '{}': {} of {} runs failed; first: {} (rerun the same command to retry)",
                              plan.manifest.name, r.failed, r.selected, r.failures.front()));
  });
}

}  // namespace espbench::cli
