#include "harness/sweep/slurm.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <climits>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <regex>

#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "modules/error.h"

namespace espbench::sweep {

namespace {

namespace fs = std::filesystem;

std::string self_binary() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0)
    throw Error("sweep --slurm: cannot find the espbench binary (/proc/self/exe); pass it explicitly");
  return std::string(buf, static_cast<size_t>(n));
}

void check_options(const SlurmOptions& o) {
  if (o.cpus_per_task < 0)
    throw Error(fmt::format("option --cpus-per-task: must be >= 1, got {}", o.cpus_per_task));
  if (o.gpus_per_task < 0)
    throw Error(fmt::format("option --gpus-per-task: must be >= 0, got {}", o.gpus_per_task));
  static const std::regex time_re(R"(^(\d+-)?\d+(:\d+){0,2}$|^\d+-\d+$|^UNLIMITED$|^INFINITE$)");
  if (!o.time.empty() && !std::regex_match(o.time, time_re))
    throw Error(fmt::format("option --time: '{}' is not a Slurm time (MM, HH:MM:SS, D-HH:MM, ...)", o.time));
  static const std::regex name_re(R"(^[A-Za-z0-9_.,-]+$)");
  if (!o.partition.empty() && !std::regex_match(o.partition, name_re))
    throw Error(fmt::format("option --partition: '{}' is not a partition name", o.partition));
}

std::string compact_utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

SlurmArray write_slurm_array(const Plan& plan, const SweepOptions& so, const SlurmOptions& o) {
  check_options(o);
  Plan slice = plan;
  slice.runs = select_runs(plan, so);
  SlurmArray a;
  a.run_ids = pending_run_ids(slice, so.out);
  if (a.run_ids.empty()) return a;

  const fs::path sdir = fs::absolute(sweep_dir(plan, so.out));
  const fs::path logs = sdir / "slurm";
  std::error_code ec;
  fs::create_directories(logs, ec);
  if (ec) throw Error(fmt::format("cannot create '{}': {}", logs.string(), ec.message()));
  const std::string bin = o.espbench.empty() ? self_binary() : fs::absolute(o.espbench).string();
  const std::string manifest = fs::absolute(plan.manifest.path).string();
  const std::string out = fs::absolute(so.out).string();
  const int64_t n = static_cast<int64_t>(a.run_ids.size());

  std::string s = "#!/bin/bash\n";
  std::string job_name = "espbench-" + plan.manifest.name;
  for (char& ch : job_name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '_';
  s += fmt::format("#SBATCH --job-name={}\n", job_name);
  s += fmt::format("#SBATCH --array=0-{}\n", n - 1);
  s += fmt::format("#SBATCH --output={}\n", (logs / "%A_%a.out").string());
  s += "#SBATCH --ntasks=1\n#SBATCH --requeue\n";
  if (!o.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", o.partition);
  if (!o.time.empty()) s += fmt::format("#SBATCH --time={}\n", o.time);
  if (o.cpus_per_task > 0) s += fmt::format("#SBATCH --cpus-per-task={}\n", o.cpus_per_task);
  if (o.gpus_per_task > 0) s += fmt::format("#SBATCH --gpus-per-task={}\n", o.gpus_per_task);
  s += fmt::format(
      "# espbench sweep {}: {} run(s) pending at {} ({} in the manifest).\n"
      "# Task i trains run RUN_IDS[i] in {}/<run-id>/. A done run is skipped, an interrupted one\n"
      "# resumes from its checkpoint, so resubmitting or requeueing this script repeats nothing done.\n",
      plan.manifest.name, n, utc_now_iso(), plan.runs.size(), sdir.string());
  s += "set -euo pipefail\nRUN_IDS=(";
  for (int64_t i = 0; i < n; ++i) s += (i ? " " : "") + a.run_ids[static_cast<size_t>(i)];
  s += ")\nRUN_ID=${RUN_IDS[$SLURM_ARRAY_TASK_ID]}\n";
  // Threads: what Slurm granted the task, else --threads of this command, else the run's own setting.
  s += fmt::format("THREADS=({})\n", so.threads > 0 ? fmt::format("--threads {}", so.threads) : "");
  s += "if [[ -n \"${SLURM_CPUS_PER_TASK:-}\" ]]; then THREADS=(--threads \"$SLURM_CPUS_PER_TASK\"); fi\n";
  s += fmt::format("exec {} sweep {} --out {} --run-id \"$RUN_ID\" ${{THREADS[@]+\"${{THREADS[@]}}\"}}\n",
                   shell_quote(bin), shell_quote(manifest), shell_quote(out));
  a.script = s;
  a.path = (logs / fmt::format("array-{}-{}.sbatch", compact_utc_now(), getpid())).string();
  write_file_atomic(a.path, s);
  fs::permissions(a.path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add, ec);
  return a;
}

std::string submit_slurm_array(const SlurmArray& a) {
  if (a.path.empty()) throw Error("sweep --submit: nothing to submit");
  const std::string cmd = "sbatch --parsable " + shell_quote(a.path) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw Error("sweep --submit: cannot run sbatch");
  std::string out;
  std::array<char, 512> buf{};
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), got);
  const int status = pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  if (status != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
      throw Error(
          "sweep --submit: sbatch not found (install Slurm's client, or submit the script yourself: " +
          a.path + ")");
    throw Error(fmt::format("sweep --submit: sbatch {} failed: {}", a.path, out.substr(0, out.find('\n'))));
  }
  // --parsable prints "jobid[;cluster]".
  const std::string last = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  return last.substr(0, last.find(';'));
}

}  // namespace espbench::sweep
