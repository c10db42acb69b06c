// Data-parallel training over c10d/Gloo: settings resolution, loader shards, and real multi-process
// runs of the espbench binary (2 ranks == 1 rank within 5e-6 of the largest parameter; a killed
// rank is named, no hang).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/data/dataset.h"
#include "harness/data/loader.h"
#include "harness/dist/launch.h"
#include "harness/dist/process_group.h"
#include "harness/dist/settings.h"
#include "harness/train/checkpoint.h"
#include "harness/train/run_config.h"
#include "modules/error.h"
#include "tests/test_support.h"

extern char** environ;

using namespace espbench;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

dist::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string slurp(const fs::path& p) { return test::read_text(p.string()); }

// One rank of `espbench train`, started with RANK/WORLD_SIZE/MASTER_* and its output in a file.
struct Rank {
  pid_t pid = -1;
  fs::path log;
  int wait() {
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  ~Rank() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

void start_rank(Rank& r, const std::vector<std::string>& args, int rank, int world, int port,
                const fs::path& log) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (const std::string& kv :
       std::vector<std::string>{"RANK=" + std::to_string(rank), "WORLD_SIZE=" + std::to_string(world),
                                "MASTER_ADDR=127.0.0.1", "MASTER_PORT=" + std::to_string(port)})
    env.push_back(kv);
  std::vector<char*> argv, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  r.log = log;
  REQUIRE(posix_spawn(&r.pid, argv[0], &fa, nullptr, argv.data(), envp.data()) == 0);
  posix_spawn_file_actions_destroy(&fa);
}

// Synthetic 1x16x16 images, ESPNetv2 s=0.5 without dropout and with frozen BatchNorm, so every
// example's gradient is independent of the rest of its batch (see harness/dist/data_parallel.h).
json exact_config(int64_t epochs, int64_t train_images) {
  return {{"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}, {"dropout", 0.0}}}}},
          {"data",
           {{"name", "synthetic"},
            {"synthetic_train", train_images},
            {"synthetic_test", 40},
            {"synthetic_channels", 1},
            {"synthetic_height", 16},
            {"synthetic_width", 16},
            {"synthetic_classes", 10}}},
          {"train",
           {{"epochs", epochs},
            {"batch_size", 16},
            {"lr", 0.01},
            {"nesterov", true},
            {"eval_batch_size", 16},
            {"workers", 0},
            {"batchnorm", "frozen"}}},
          {"runtime", {{"threads", 1}, {"seed", 11}}}};
}

std::map<std::string, torch::Tensor> checkpoint_tensors(const json& cfg_json, const fs::path& ckpt) {
  train::RunConfig cfg = train::resolve_run_config(cfg_json, "test");
  NetworkPtr m = build_model(resolve_model(cfg.model));
  train::load_checkpoint(ckpt.string(), *m, nullptr, false);
  std::map<std::string, torch::Tensor> out;
  for (const auto& p : m->named_parameters()) out[p.key()] = p.value().clone();
  return out;
}

}  // namespace

TEST_CASE("dist settings: flags, then torchrun variables, then Slurm's", "[dist]") {
  dist::DistFlags none;
  SECTION("defaults: one rank") {
    auto s = dist::resolve_dist_settings(none, env_of({}));
    CHECK(s.world_size == 1);
    CHECK(s.rank == 0);
    CHECK_FALSE(dist::env_requests_dist(env_of({})));
  }
  SECTION("torchrun variables") {
    auto env = env_of({{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "n1"}, {"MASTER_PORT", "1234"}});
    auto s = dist::resolve_dist_settings(none, env);
    CHECK(s.rank == 1);
    CHECK(s.world_size == 4);
    CHECK(s.master_addr == "n1");
    CHECK(s.master_port == 1234);
    CHECK(s.source == "env");
    CHECK(dist::env_requests_dist(env));
  }
  SECTION("Slurm inside srun, flags override") {
    auto env = env_of({{"SLURM_PROCID", "2"},
                       {"SLURM_NTASKS", "3"},
                       {"SLURM_JOB_NODELIST", "gpu[07-09,12],cpu1"},
                       {"SLURM_JOB_ID", "123456"}});
    auto s = dist::resolve_dist_settings(none, env);
    CHECK(s.rank == 2);
    CHECK(s.world_size == 3);
    CHECK(s.master_addr == "gpu07");
    CHECK(s.master_port == 20000 + 123456 % 10000);
    CHECK(s.source == "slurm");
    dist::DistFlags f;
    f.rank = 0;
    f.master_port = 4000;
    auto o = dist::resolve_dist_settings(f, env);
    CHECK(o.rank == 0);
    CHECK(o.master_port == 4000);
    CHECK(o.source == "flags+slurm");
  }
  SECTION("an sbatch script's own process is not a rank") {
    CHECK_FALSE(dist::env_requests_dist(env_of({{"SLURM_NTASKS", "4"}})));
  }
  SECTION("bad values name the variable") {
    CHECK_THROWS_WITH(dist::resolve_dist_settings(none, env_of({{"WORLD_SIZE", "two"}})),
                      Catch::Contains("WORLD_SIZE") && Catch::Contains("two"));
    CHECK_THROWS_WITH(dist::resolve_dist_settings(none, env_of({{"RANK", "2"}, {"WORLD_SIZE", "2"}})),
                      Catch::Contains("outside [0, world size 2)"));
    dist::DistFlags f;
    f.backend = "mpi";
    CHECK_THROWS_WITH(dist::resolve_dist_settings(f, env_of({})), Catch::Contains("--dist-backend"));
  }
  CHECK(dist::first_host("a,b") == "a");
  CHECK(dist::first_host("node[3-5]") == "node3");
  CHECK(dist::first_host("single") == "single");
}

TEST_CASE("loader shards split every global batch and nothing else", "[dist]") {
  auto splits = data::open_data(
      data::data_spec_from_json(json{{"name", "synthetic"}, {"synthetic_train", 37}, {"synthetic_test", 8}}));
  data::LoaderOptions o;
  o.batch_size = 8;
  o.seed = 5;
  o.workers = 0;
  data::Loader whole(splits.train, o);
  std::vector<std::unique_ptr<data::Loader>> shards;
  for (int i = 0; i < 3; ++i) {
    data::LoaderOptions so = o;
    so.shard_index = i;
    so.shard_count = 3;
    shards.push_back(std::make_unique<data::Loader>(splits.train, so));
  }
  for (int64_t epoch : {0, 1}) {
    whole.start_epoch(epoch);
    for (auto& s : shards) s->start_epoch(epoch);
    data::Batch b;
    int64_t batches = 0;
    while (whole.next(b)) {
      std::vector<torch::Tensor> images, labels;
      for (auto& s : shards) {
        data::Batch p;
        REQUIRE(s->next(p));
        images.push_back(p.images);
        labels.push_back(p.labels);
      }
      CHECK(torch::equal(torch::cat(images), b.images));
      CHECK(torch::equal(torch::cat(labels), b.labels));
      ++batches;
    }
    CHECK(batches == 5);
    for (auto& s : shards) {
      data::Batch p;
      CHECK_FALSE(s->next(p));
    }
  }
}

TEST_CASE("2 ranks on Gloo end with the parameters of 1 rank (real processes)", "[dist]") {
  if (!dist::c10d_available()) {
    WARN("ESPBENCH-SKIPPED: this build has no c10d/Gloo (install libgloo-dev and rebuild)");
    return;
  }
  test::TempDir scratch("espbench_dist");
  const fs::path tmp_path = scratch.path;
  // 100 images, batch 16: 6 full batches and a final one of 4 (2 per rank) per epoch.
  const json cfg = exact_config(2, 100);
  const fs::path cfg_path = tmp_path / "run.json";
  std::ofstream(cfg_path) << cfg.dump(2);
  const std::string bin = test::espbench_binary();
  const std::string train = " train --config " + cfg_path.string() + " --quiet --threads 1";

  auto [rc1, out1] = test::run_command(bin + train + " --out " + (tmp_path / "one").string());
  INFO(out1);
  REQUIRE(rc1 == 0);
  auto [rc2, out2] = test::run_command(bin + " launch --nproc 2 --" + train + " --dist-timeout 30 --out " +
                                       (tmp_path / "two").string());
  INFO(out2);
  REQUIRE(rc2 == 0);

  const json r1 = json::parse(slurp(tmp_path / "one" / "report.json"));
  const json r2 = json::parse(slurp(tmp_path / "two" / "report.json"));
  CHECK(r1["context"]["world_size"] == 1);
  CHECK(r2["context"]["world_size"] == 2);
  CHECK(r2["context"]["distributed"]["backend"] == "gloo");
  CHECK(r2["status"] == "done");
  CHECK(r1["training"]["examples_per_epoch"] == r2["training"]["examples_per_epoch"]);
  // Loss and accuracy are global batch figures on both.
  CHECK(r2["final"]["train_loss"].get<double>() ==
        Approx(r1["final"]["train_loss"].get<double>()).epsilon(1e-5));
  CHECK(r2["final"]["test_top1"] == r1["final"]["test_top1"]);

  auto p1 = checkpoint_tensors(cfg, tmp_path / "one" / "checkpoint_last.pt");
  auto p2 = checkpoint_tensors(cfg, tmp_path / "two" / "checkpoint_last.pt");
  REQUIRE(p1.size() == p2.size());
  train::RunConfig rc = train::resolve_run_config(cfg, "test");
  torch::manual_seed(static_cast<uint64_t>(rc.runtime.seed));
  NetworkPtr init = build_model(resolve_model(rc.model));
  auto p0 = init->named_parameters();
  // All parameters as one vector each (in name order): tolerances are relative to the largest
  // parameter magnitude, 1.49 at initialisation and after training.
  std::vector<torch::Tensor> v0, v1, v2;
  std::string worst;
  double worst_error = -1.0;
  for (const auto& [name, t] : p1) {
    REQUIRE(p2.count(name));
    REQUIRE(p0.contains(name));
    v0.push_back(p0[name].detach().flatten());
    v1.push_back(t.flatten());
    v2.push_back(p2[name].flatten());
    const double e = test::max_rel_error(p2[name], t);
    if (e > worst_error) worst_error = e, worst = name;
  }
  const torch::Tensor initial = torch::cat(v0), one = torch::cat(v1), two = torch::cat(v2);
  INFO("largest relative difference of one tensor: " << worst << " (" << worst_error << ")");
  // The runs must have trained: parameters moved well beyond the tolerance from initialisation
  // (more than 1.5e-3 in absolute terms).
  CHECK(test::max_rel_error(one, initial) > 1e-3);
  // Every parameter of the two runs within 7.5e-6 of the other.
  test::require_close(two, one, 5e-6, "parameters, 2 ranks vs 1 rank");
}

TEST_CASE("a killed rank is named and ends the others within the timeout", "[dist]") {
  if (!dist::c10d_available()) {
    WARN("ESPBENCH-SKIPPED: this build has no c10d/Gloo (install libgloo-dev and rebuild)");
    return;
  }
  const int victim = GENERATE(1, 0);
  const int survivor = 1 - victim;
  const double timeout_s = 6.0;
  test::TempDir scratch("espbench_dist");
  const fs::path tmp_path = scratch.path;
  const fs::path cfg_path = tmp_path / "run.json";
  std::ofstream(cfg_path) << exact_config(200, 400).dump(2);  // far longer than the test waits
  const int port = dist::free_port();
  Rank ranks[2];
  for (int r = 0; r < 2; ++r)
    start_rank(ranks[r],
               {test::espbench_binary(), "train", "--config", cfg_path.string(), "--quiet", "--threads", "1",
                "--dist-timeout", std::to_string(timeout_s), "--out", (tmp_path / "out").string()},
               r, 2, port, tmp_path / ("rank" + std::to_string(r) + ".log"));
  // Training is under way once rank 0 wrote its first report (after the rendezvous).
  const auto t0 = Clock::now();
  while (!fs::exists(tmp_path / "out" / "report.json") && Clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(fs::exists(tmp_path / "out" / "report.json"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(ranks[victim].pid, SIGKILL);
  ranks[victim].wait();
  const auto killed = Clock::now();
  // Wait for the survivor, but never longer than twice the timeout (then it would be a hang).
  int rc = -1;
  while (Clock::now() - killed < std::chrono::duration<double>(2 * timeout_s + 10)) {
    int status = 0;
    if (waitpid(ranks[survivor].pid, &status, WNOHANG) == ranks[survivor].pid) {
      ranks[survivor].pid = -1;
      rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - killed).count();
  const std::string log = slurp(ranks[survivor].log);
  INFO("victim rank " << victim << "; survivor exited with " << rc << " after " << seconds << " s:\n" << log);
  REQUIRE(rc != -1);  // no hang
  CHECK(rc != 0);
  CHECK(seconds < timeout_s);
  CHECK_THAT(log, Catch::Contains("rank " + std::to_string(victim) + " of 2 is lost"));
  CHECK(log.find("Exception raised from") == std::string::npos);  // one line, no backtrace
  if (survivor == 0) {
    const json report = json::parse(slurp(tmp_path / "out" / "report.json"));
    CHECK(report["status"] == "failed");
    CHECK_THAT(report["error"].get<std::string>(), Catch::Contains("rank 1 of 2 is lost"));
  }
}
