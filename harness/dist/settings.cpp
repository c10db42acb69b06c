#include "harness/dist/settings.h"

#include <fmt/format.h>

#include <cstdlib>

#include "modules/error.h"

namespace espbench::dist {

namespace {

int64_t parse_int(const std::string& text, const std::string& what, int64_t lo, int64_t hi) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || v < lo || v > hi)
    throw Error(fmt::format("{}: '{}' is not an integer in [{}, {}]", what, text, lo, hi));
  return v;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v || !*v) return std::nullopt;
    return std::string(v);
  };
}

std::string first_host(const std::string& nodelist) {
  const size_t comma = nodelist.find(',');
  const size_t bracket = nodelist.find('[');
  if (bracket == std::string::npos || (comma != std::string::npos && comma < bracket))
    return nodelist.substr(0, comma);
  // prefix[a-b,c]...: the first entry of the bracket, which may be a range.
  const size_t end = nodelist.find_first_of(",-]", bracket + 1);
  if (end == std::string::npos) throw Error(fmt::format("SLURM_JOB_NODELIST: cannot parse '{}'", nodelist));
  return nodelist.substr(0, bracket) + nodelist.substr(bracket + 1, end - bracket - 1);
}

bool env_requests_dist(const EnvLookup& env) {
  if (auto w = env("WORLD_SIZE")) return parse_int(*w, "WORLD_SIZE", 1, 1 << 20) > 1;
  if (env("SLURM_PROCID"))
    if (auto n = env("SLURM_NTASKS")) return parse_int(*n, "SLURM_NTASKS", 1, 1 << 20) > 1;
  return false;
}

DistSettings resolve_dist_settings(const DistFlags& f, const EnvLookup& env) {
  DistSettings s;
  const bool in_srun = env("SLURM_PROCID").has_value();
  std::string rank_from = "defaults", world_from = "defaults";
  if (f.rank) {
    s.rank = *f.rank, rank_from = "flags";
  } else if (auto v = env("RANK")) {
    s.rank = parse_int(*v, "RANK", 0, 1 << 20), rank_from = "env";
  } else if (in_srun) {
    s.rank = parse_int(*env("SLURM_PROCID"), "SLURM_PROCID", 0, 1 << 20), rank_from = "slurm";
  }
  if (f.world_size) {
    s.world_size = *f.world_size, world_from = "flags";
  } else if (auto v = env("WORLD_SIZE")) {
    s.world_size = parse_int(*v, "WORLD_SIZE", 1, 1 << 20), world_from = "env";
  } else if (auto n = env("SLURM_NTASKS"); in_srun && n) {
    s.world_size = parse_int(*n, "SLURM_NTASKS", 1, 1 << 20), world_from = "slurm";
  }
  s.source = rank_from == world_from ? rank_from : rank_from + "+" + world_from;
  if (s.world_size < 1) throw Error(fmt::format("option --world-size: must be >= 1, got {}", s.world_size));
  if (s.rank < 0 || s.rank >= s.world_size)
    throw Error(fmt::format("rank {} (from {}) is outside [0, world size {}) (from {})", s.rank, rank_from,
                            s.world_size, world_from));

  if (f.master_addr) {
    s.master_addr = *f.master_addr;
  } else if (auto v = env("MASTER_ADDR")) {
    s.master_addr = *v;
  } else if (auto nl = env("SLURM_JOB_NODELIST"); in_srun && nl) {
    s.master_addr = first_host(*nl);
  }
  if (s.master_addr.empty()) throw Error("option --master-addr: empty address");
  if (f.master_port) {
    s.master_port = *f.master_port;
  } else if (auto v = env("MASTER_PORT")) {
    s.master_port = parse_int(*v, "MASTER_PORT", 1, 65535);
  } else if (auto j = env("SLURM_JOB_ID"); in_srun && j) {
    // One port per job, so concurrent jobs sharing a node do not collide (as ddp.sbatch examples do).
    s.master_port = 20000 + parse_int(*j, "SLURM_JOB_ID", 0, INT64_MAX / 2) % 10000;
  }
  if (s.master_port < 1 || s.master_port > 65535)
    throw Error(fmt::format("option --master-port: must be in [1, 65535], got {}", s.master_port));

  s.backend = f.backend;
  if (s.backend != "auto" && s.backend != "gloo" && s.backend != "nccl")
    throw Error(fmt::format("option --dist-backend: '{}' is not one of auto, gloo, nccl", s.backend));
  s.timeout_s = f.timeout_s;
  if (!(s.timeout_s >= 1.0 && s.timeout_s <= 86400.0))
    throw Error(fmt::format("option --dist-timeout: must be in [1, 86400] seconds, got {}", s.timeout_s));
  return s;
}

}  // namespace espbench::dist
