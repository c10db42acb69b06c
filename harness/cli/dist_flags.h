// Data-parallel flags shared by `espbench train` (and anything else that trains): --dist and the
// rendezvous overrides; see harness/dist/settings.h for the environment variables they override.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>

#include "harness/dist/settings.h"

namespace espbench::dist {
class DataParallel;
}

namespace espbench::cli {

struct DistCliFlags {
  bool dist = false;
  int64_t rank = -1, world_size = -1, master_port = -1;  // -1: not given
  std::string master_addr;
  dist::DistFlags values;
};

void add_dist_flags(CLI::App& cmd, DistCliFlags& f);

// Null when neither --dist nor the environment (WORLD_SIZE > 1, srun with SLURM_NTASKS > 1) asks
// for data-parallel training; otherwise the connected group (blocks until every rank joined).
std::unique_ptr<dist::DataParallel> connect_data_parallel(const DistCliFlags& f, const std::string& device);

}  // namespace espbench::cli
