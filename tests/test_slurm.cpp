// `espbench sweep --slurm` on a real single-node Slurm cluster that the test starts itself
// (scripts/slurm-local.sh: slurmctld, slurmd and munged from Debian's packages on private ports
// and sockets under a temp dir, stopped by PID at the end).
//
// When Slurm cannot run here (not root, packages missing) the test prints a line starting with
// ESPBENCH-SKIPPED and the reason; CTest reports it as Skipped (SKIP_REGULAR_EXPRESSION in
// CMakeLists.txt), never as passed. A cluster that should start but does not is a failure.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <thread>

#include "harness/dist/launch.h"
#include "modules/options.h"
#include "tests/test_support.h"

using namespace espbench;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string slurp(const fs::path& p) { return test::read_text(p.string()); }

struct Cluster {
  fs::path dir;
  std::string conf;
  bool up = false;
  ~Cluster() {
    if (up) test::run_command(test::source_dir() + "/scripts/slurm-local.sh down " + dir.string());
  }
  // Runs a Slurm or espbench command against this cluster.
  std::pair<int, std::string> run(const std::string& cmd) const {
    return test::run_command("SLURM_CONF=" + conf + " PATH=$PATH:/usr/sbin " + cmd);
  }
  // Polls until the job left the queue; `while_running` is called on each poll until it returns true.
  void wait_job(const std::string& job, const std::function<bool()>& while_running = {}) const {
    const auto t0 = Clock::now();
    bool ran_hook = false;
    while (Clock::now() - t0 < std::chrono::minutes(5)) {
      auto [rc, out] = run("squeue -h -j " + job);
      REQUIRE(rc == 0);
      if (out.find_first_not_of(" \n") == std::string::npos) return;
      if (while_running && !ran_hook) ran_hook = while_running();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    FAIL("job " << job << " still queued or running after 5 minutes");
  }
};

std::string submitted_job(const std::string& out) {
  std::smatch m;
  REQUIRE(std::regex_search(out, m, std::regex("submitted job array ([0-9]+)")));
  return m[1];
}

// run id -> (attempts, started_utc) from every status.json of the sweep folder.
std::map<std::string, std::pair<int64_t, std::string>> statuses(const fs::path& sweep) {
  std::map<std::string, std::pair<int64_t, std::string>> out;
  for (const auto& e : fs::directory_iterator(sweep)) {
    if (!fs::exists(e.path() / "status.json")) continue;
    const json s = json::parse(slurp(e.path() / "status.json"));
    out[e.path().filename().string()] = {s.value("attempts", 0),
                                         s.value("status", "") + "@" + s.value("started_utc", "")};
  }
  return out;
}

}  // namespace

TEST_CASE("sweep --slurm: a job array trains pending runs once, only deleted results repeat", "[slurm]") {
  test::TempDir scratch("espbench_slurm");
  const fs::path tmp_path = scratch.path;
  fs::permissions(tmp_path, fs::perms::others_exec | fs::perms::group_exec, fs::perm_options::add);  // munged
  Cluster c;
  c.dir = tmp_path / "cluster";
  c.conf = (c.dir / "slurm.conf").string();
  const int ctld = dist::free_port();
  int slurmd = dist::free_port();
  while (slurmd == ctld) slurmd = dist::free_port();
  auto [up_rc, up_out] =
      test::run_command(test::source_dir() + "/scripts/slurm-local.sh up " + c.dir.string() + " " +
                        std::to_string(ctld) + " " + std::to_string(slurmd) + " 4");
  if (up_rc == 3) {
    WARN("ESPBENCH-SKIPPED: no local Slurm cluster: " << up_out);
    return;
  }
  c.up = true;
  INFO(up_out);
  REQUIRE(up_rc == 0);

  const std::string bin = test::espbench_binary();
  const std::string manifest = test::source_dir() + "/ablations/smoke.json";
  const fs::path out = tmp_path / "sweeps";
  const fs::path sweep = out / "smoke";
  const std::string submit =
      bin + " sweep " + manifest + " --out " + out.string() + " --slurm --submit --cpus-per-task 1 --time 10";

  // 1. Every run is pending: one task per run.
  auto [rc1, out1] = c.run(submit);
  INFO(out1);
  REQUIRE(rc1 == 0);
  CHECK_THAT(out1, Catch::Contains("3 tasks"));
  const std::string job1 = submitted_job(out1);
  std::smatch m;
  REQUIRE(std::regex_search(out1, m, std::regex("script (\\S+\\.sbatch)")));
  const std::string script1 = m[1];
  bool collected = false;  // `espbench collect` once a task has written its first report
  c.wait_job(job1, [&] {
    bool any_report = false;
    for (const auto& e : fs::directory_iterator(sweep))
      any_report = any_report || fs::exists(e.path() / "report.json");
    if (!any_report) return false;
    auto [crc, cout] = c.run(bin + " collect " + sweep.string());
    INFO(cout);
    CHECK(crc == 0);
    collected = true;
    return true;
  });
  CHECK(collected);
  for (int t = 0; t < 3; ++t) {
    auto [src, sout] = c.run("scontrol show job " + job1 + "_" + std::to_string(t));
    INFO(sout);
    CHECK_THAT(sout, Catch::Contains("JobState=COMPLETED") && Catch::Contains("ExitCode=0:0"));
  }
  auto first = statuses(sweep);
  REQUIRE(first.size() == 3);
  for (const auto& [id, s] : first) {
    INFO(id << " " << s.second << "\n" << slurp(sweep / "slurm" / (job1 + "_0.out")));
    CHECK(s.first == 1);
    CHECK(s.second.rfind("done@", 0) == 0);
  }
  auto [lrc, pending] = c.run(bin + " sweep " + manifest + " --out " + out.string() + " --list-pending");
  CHECK(lrc == 0);
  CHECK(pending.empty());

  // 2. Nothing pending: no script, nothing submitted.
  auto [rc2, out2] = c.run(submit);
  INFO(out2);
  CHECK(rc2 == 0);
  CHECK_THAT(out2, Catch::Contains("nothing pending"));

  // 3. Resubmitting the first script (a requeue) repeats nothing that is done.
  auto [rc3, out3] = c.run("sbatch --parsable " + script1);
  INFO(out3);
  REQUIRE(rc3 == 0);
  c.wait_job(out3.substr(0, out3.find_first_of(";\n")));
  CHECK(statuses(sweep) == first);

  // 4. Delete one run's results: only that run repeats.
  const std::string victim = first.begin()->first;
  fs::remove_all(sweep / victim);
  auto [rc4, out4] = c.run(submit);
  INFO(out4);
  REQUIRE(rc4 == 0);
  CHECK_THAT(out4, Catch::Contains("1 task"));
  c.wait_job(submitted_job(out4));
  auto after = statuses(sweep);
  REQUIRE(after.size() == 3);
  for (const auto& [id, s] : after) {
    CAPTURE(id);
    if (id == victim) {
      CHECK(s.first == 1);
      CHECK(s.second.rfind("done@", 0) == 0);
      CHECK(s.second != first[id].second);
    } else {
      CHECK(s == first[id]);
    }
  }
  CHECK(json::parse(slurp(sweep / victim / "report.json"))["status"] == "done");
}
