#include "harness/cli/dist_flags.h"

#include "harness/dist/data_parallel.h"

namespace espbench::cli {

void add_dist_flags(CLI::App& cmd, DistCliFlags& f) {
  const std::string g = "Data-parallel (c10d)";
  cmd.add_flag("--dist", f.dist,
               "train data-parallel across processes (implied when WORLD_SIZE > 1 or srun runs > 1 task)")
      ->group(g);
  cmd.add_option("--rank", f.rank, "this process's rank (default: RANK, else SLURM_PROCID)")->group(g);
  cmd.add_option("--world-size", f.world_size, "number of processes (default: WORLD_SIZE, else SLURM_NTASKS)")
      ->group(g);
  cmd.add_option(
         "--master-addr", f.master_addr,
         "rank 0's host (default: MASTER_ADDR, else the first host of SLURM_JOB_NODELIST, else 127.0.0.1)")
      ->group(g);
  cmd.add_option("--master-port", f.master_port,
                 "rendezvous port (default: MASTER_PORT, else 20000 + SLURM_JOB_ID % 10000, else 29500)")
      ->group(g);
  cmd.add_option("--dist-backend", f.values.backend,
                 "auto (nccl on CUDA when available, else gloo), gloo or nccl")
      ->envname("ESPBENCH_DIST_BACKEND")
      ->group(g);
  cmd.add_option("--dist-timeout", f.values.timeout_s,
                 "seconds to wait for a peer (rendezvous, each collective) before failing (default 60)")
      ->envname("ESPBENCH_DIST_TIMEOUT")
      ->group(g);
}

std::unique_ptr<dist::DataParallel> connect_data_parallel(const DistCliFlags& f, const std::string& device) {
  const auto env = dist::process_env();
  if (!f.dist && !dist::env_requests_dist(env)) return nullptr;
  dist::DistFlags v = f.values;
  if (f.rank >= 0) v.rank = f.rank;
  if (f.world_size >= 0) v.world_size = f.world_size;
  if (f.master_port >= 0) v.master_port = f.master_port;
  if (!f.master_addr.empty()) v.master_addr = f.master_addr;
  const dist::DistSettings s = dist::resolve_dist_settings(v, env);
  return std::make_unique<dist::DataParallel>(dist::ProcessGroup::connect(s, device));
}

}  // namespace espbench::cli
