// Where a data-parallel rank finds its peers: rank, world size and the rendezvous address, from
// explicit flags, the usual torchrun variables or Slurm's, in that order of precedence.
//
//   DistSettings s = resolve_dist_settings(flags, getenv_lookup());
//
// Per field, the first source that gives it wins:
//   rank         --rank,        RANK,        SLURM_PROCID
//   world_size   --world-size,  WORLD_SIZE,  SLURM_NTASKS
//   master_addr  --master-addr, MASTER_ADDR, first host of SLURM_JOB_NODELIST, 127.0.0.1
//   master_port  --master-port, MASTER_PORT, 20000 + SLURM_JOB_ID % 10000, 29500
// Slurm's variables are read only when SLURM_PROCID is set (i.e. inside srun), so a plain sbatch
// script's single process is not mistaken for one rank of many.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace espbench::dist {

struct DistSettings {
  int64_t rank = 0;
  int64_t world_size = 1;
  std::string master_addr = "127.0.0.1";
  int64_t master_port = 29500;
  std::string backend = "auto";     // auto (nccl on CUDA devices when built with it, else gloo), gloo, nccl
  double timeout_s = 60.0;          // rendezvous, collectives and lost-rank detection
  std::string source = "defaults";  // which variables gave rank/world: "flags", "env", "slurm"
};

// Explicit values (unset = not given on the command line).
struct DistFlags {
  std::optional<int64_t> rank, world_size, master_port;
  std::optional<std::string> master_addr;
  std::string backend = "auto";
  double timeout_s = 60.0;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

// Validates every value (errors name the flag or variable and what is valid).
DistSettings resolve_dist_settings(const DistFlags& flags, const EnvLookup& env);

// True when the environment asks for more than one rank (WORLD_SIZE > 1, or SLURM_NTASKS > 1
// inside srun): `espbench train` then trains data-parallel without --dist.
bool env_requests_dist(const EnvLookup& env);

// First host of a Slurm node list: "node[03-05,9],gpu1" -> "node03"; "a,b" -> "a".
std::string first_host(const std::string& nodelist);

}  // namespace espbench::dist
