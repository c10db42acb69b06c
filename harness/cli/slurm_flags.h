// `espbench sweep ... --slurm [--submit]`: the Slurm job-array flags of the sweep command.
#pragma once
#include <CLI/CLI.hpp>

#include "harness/sweep/slurm.h"

namespace espbench::cli {

struct SlurmCliFlags {
  bool slurm = false;
  bool submit = false;
  sweep::SlurmOptions options;
};

void add_slurm_flags(CLI::App& cmd, SlurmCliFlags& f);

// Writes (and with --submit submits) the array for the pending runs of `options`' selection and
// prints what it did.
void run_slurm(const sweep::Plan& plan, const sweep::SweepOptions& options, const SlurmCliFlags& f);

}  // namespace espbench::cli
