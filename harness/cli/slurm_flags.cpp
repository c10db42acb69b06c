#include "harness/cli/slurm_flags.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace espbench::cli {

void add_slurm_flags(CLI::App& cmd, SlurmCliFlags& f) {
  const std::string g = "Slurm job array";
  auto* slurm =
      cmd.add_flag("--slurm", f.slurm,
                   "write an sbatch job-array script, one task per pending run (to OUT/<sweep>/slurm/); "
                   "train nothing here")
          ->group(g);
  cmd.add_flag("--submit", f.submit, "with --slurm: submit the script with sbatch")->needs(slurm)->group(g);
  cmd.add_option("--partition", f.options.partition, "with --slurm: partition (default: the cluster's)")
      ->needs(slurm)
      ->group(g);
  cmd.add_option("--time", f.options.time, "with --slurm: time limit per task, e.g. 04:00:00")
      ->needs(slurm)
      ->group(g);
  cmd.add_option("--cpus-per-task", f.options.cpus_per_task,
                 "with --slurm: CPUs per task; each run then uses that many threads")
      ->needs(slurm)
      ->group(g);
  cmd.add_option("--gpus-per-task", f.options.gpus_per_task, "with --slurm: GPUs per task")
      ->needs(slurm)
      ->group(g);
}

void run_slurm(const sweep::Plan& plan, const sweep::SweepOptions& options, const SlurmCliFlags& f) {
  const sweep::SlurmArray a = sweep::write_slurm_array(plan, options, f.options);
  const std::string sdir = sweep::sweep_dir(plan, options.out);
  if (a.run_ids.empty()) {
    std::cout << fmt::format("sweep '{}': nothing pending in {}; no script written\n", plan.manifest.name,
                             sdir);
    return;
  }
  const size_t n = a.run_ids.size();
  const std::string tasks = fmt::format("{} task{}", n, n == 1 ? "" : "s");
  if (!f.submit) {
    std::cout << fmt::format(
        "sweep '{}': wrote script {} ({}, one per pending run); submit with `sbatch {}`\n",
        plan.manifest.name, a.path, tasks, a.path);
    return;
  }
  const std::string job = sweep::submit_slurm_array(a);
  std::cout << fmt::format(
      "sweep '{}': submitted job array {} ({}, one per pending run) from script {}; task logs in {}/slurm/; "
      "`espbench collect {}` shows progress\n",
      plan.manifest.name, job, tasks, a.path, sdir, sdir);
}

}  // namespace espbench::cli
