// Sweeps as a specification: manifests expand exactly as written, ids are stable, shards partition,
// every bad manifest is one line naming file and JSON path, and a sweep killed at a random moment
// finishes on rerun with every run done exactly once.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "harness/report/schema_check.h"
#include "harness/sweep/manifest.h"
#include "harness/sweep/run_status.h"
#include "harness/sweep/runner.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::sweep;
namespace fs = std::filesystem;
using test::error_of;
using TempDir = test::TempDir;

namespace {

std::string write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// A base config on a tiny synthetic set: resolving it touches no file.
json synthetic_base() {
  json j = test::synthetic_run();
  j["model"]["options"]["small_input"] = true;
  j["data"].erase("synthetic_classes");
  j["train"] = {{"epochs", 1}, {"batch_size", 16}};
  return j;
}

json grid_manifest() {
  return {{"name", "grid"},
          {"base", synthetic_base()},
          {"variants", {{"eesp", json::object()}, {"esp", {{"model.options.block", "esp"}}}}},
          {"axes", {{"model.options.branches", {2, 4}}}},
          {"zip", {{{"train.lr", {0.1, 0.05}}, {"train.batch_size", {16, 32}}}}},
          {"seeds", {1, 2}}};
}

}  // namespace

TEST_CASE("manifests expand variants x axes x zip x seeds, then exclude and constrain", "[sweep]") {
  const Plan plan = expand(parse_manifest(grid_manifest(), "grid.json"));
  REQUIRE(plan.expanded == 16);
  REQUIRE(plan.runs.size() == 16);
  std::set<std::string> ids;
  for (const auto& r : plan.runs) ids.insert(r.id);
  REQUIRE(ids.size() == 16);
  // The seed is the outermost dimension: the first half is seed 1.
  for (size_t k = 0; k < 16; ++k) REQUIRE(plan.runs[k].config.runtime.seed == (k < 8 ? 1 : 2));
  // Zipped keys move together.
  for (const auto& r : plan.runs) REQUIRE((r.config.train.lr == 0.1) == (r.config.train.batch_size == 16));
  const PlannedRun& first = plan.runs.front();
  REQUIRE(first.variant == "eesp");
  REQUIRE(first.label == "eesp branches=2 batch_size=16 lr=0.1 seed=1");
  REQUIRE(first.origin == "seeds[0], variants.eesp, axes[\"model.options.branches\"][0], zip[0][0]");
  REQUIRE(plan.runs[4].config.model.options["block"] == "esp");
  REQUIRE(first.id == train::run_id(first.config));

  SECTION("exclude drops runs matching every key of a rule; lists match any element") {
    json m = grid_manifest();
    m["exclude"] = {{{"variant", "esp"}, {"model.options.branches", 2}},
                    {{"train.lr", {0.05, 0.2}}, {"runtime.seed", 2}}};
    const Plan p = expand(parse_manifest(m, "grid.json"));
    REQUIRE(p.excluded == 4 + 4 - 1);
    REQUIRE(p.runs.size() == 9);
    for (const auto& r : p.runs) {
      REQUIRE_FALSE((r.variant == "esp" && r.config.model.options["branches"] == 2));
      REQUIRE_FALSE((r.config.train.lr == 0.05 && r.config.runtime.seed == 2));
    }
  }
  SECTION("constraints keep runs within the MAC and parameter bounds, counted without training") {
    std::vector<PlannedRun> runs = plan.runs;
    measure_runs(runs);
    int64_t lo = runs.front().macs, hi = lo;
    for (const auto& r : runs) lo = std::min(lo, r.macs), hi = std::max(hi, r.macs);
    REQUIRE(lo < hi);  // esp costs more than eesp
    json m = grid_manifest();
    m["constraints"] = {{"max_macs", (lo + hi) / 2}};
    const Plan p = expand(parse_manifest(m, "grid.json"));
    REQUIRE(p.constrained > 0);
    REQUIRE(p.runs.size() + p.constrained == 16);
    for (const auto& r : p.runs) REQUIRE(r.macs <= (lo + hi) / 2);
    m["constraints"] = {{"min_params", 1}, {"max_macs", hi}};
    REQUIRE(expand(parse_manifest(m, "grid.json")).runs.size() == 16);
  }
  SECTION("configs resolving to the same run are merged") {
    json m = grid_manifest();
    m["variants"]["eesp_again"] = {{"model.options.block", "eesp"}};
    const Plan p = expand(parse_manifest(m, "grid.json"));
    REQUIRE(p.merged == 8);
    REQUIRE(p.runs.size() == 16);
  }
  SECTION("claims must each select two planned configs: checked before anything trains") {
    json m = grid_manifest();
    auto claim = [](const json& better, const json& than) {
      return json::array({{{"name", "c"}, {"better", better}, {"than", than}}});
    };
    const json eesp = {{"model.options.block", "eesp"}, {"model.options.branches", 4}, {"train.lr", 0.1}},
               esp = {{"model.options.block", "esp"}, {"model.options.branches", 4}, {"train.lr", 0.1}};
    m["claims"] = claim(eesp, esp);
    REQUIRE(expand(parse_manifest(m, "grid.json")).runs.size() == 16);
    m["claims"] = claim(eesp, {{"model.options.block", "esq"}, {"model.options.branches", 4}});
    REQUIRE(
        test::error_of([&] { expand(parse_manifest(m, "grid.json")); }) ==
        "grid.json: claims[0] 'c': than: model.options.block = \"esq\" matches no run in sweep 'grid'; its "
        "values there: \"eesp\", \"esp\"");
    m["claims"] = claim(eesp, {{"model.options.block", "esp"}});  // 4 configs of esp
    REQUIRE_THAT(
        test::error_of([&] { expand(parse_manifest(m, "grid.json")); }),
        Catch::StartsWith("grid.json: claims[0] 'c': than: {\"model.options.block\":\"esp\"} matches 4 "
                          "configs ("));
    // Excluded runs are not there to select.
    m["claims"] = claim(eesp, esp);
    m["exclude"] = {{{"variant", "esp"}, {"model.options.branches", 4}}};
    REQUIRE_THAT(test::error_of([&] { expand(parse_manifest(m, "grid.json")); }),
                 Catch::Contains("than: ") && Catch::Contains("matches no run in sweep 'grid'"));
  }
}

TEST_CASE("run ids are stable across expansions and manifest spellings", "[sweep]") {
  const Plan a = expand(parse_manifest(grid_manifest(), "a.json"));
  json m = grid_manifest();
  m["name"] = "renamed";
  m["description"] = "same runs, other words";
  m["base"]["runtime"]["threads"] = 2;                                    // not part of the id
  m["variants"]["esp"] = {{"model", {{"options", {{"block", "esp"}}}}}};  // nested instead of dotted
  const Plan b = expand(parse_manifest(m, "b.json"));
  REQUIRE(a.runs.size() == b.runs.size());
  for (size_t k = 0; k < a.runs.size(); ++k) {
    REQUIRE(a.runs[k].id == b.runs[k].id);
    // The id is the resolved config's: feeding config.json back gives it again.
    REQUIRE(train::run_id(train::resolve_run_config(train::to_json(a.runs[k].config), "x")) == a.runs[k].id);
  }
}

TEST_CASE("shards partition the runs: each run in exactly one shard", "[sweep]") {
  const Plan plan = expand(parse_manifest(grid_manifest(), "grid.json"));
  for (int64_t n = 1; n <= 5; ++n) {
    std::multiset<std::string> seen;
    for (int64_t i = 0; i < n; ++i)
      for (const auto& r : shard_runs(plan.runs, i, n)) seen.insert(r.id);
    REQUIRE(seen.size() == plan.runs.size());
    for (const auto& r : plan.runs) REQUIRE(seen.count(r.id) == 1);
  }
  REQUIRE(parse_shard("2/3") == std::make_pair<int64_t, int64_t>(2, 3));
  for (const char* bad : {"3/3", "1", "-1/2", "a/b", "0/0"})
    REQUIRE_THAT(error_of([&] { parse_shard(bad); }), Catch::Contains("--shard"));
}

TEST_CASE("bad manifests: one line naming the file and the JSON path, exit code 2", "[sweep][cli]") {
  TempDir dir("espbench_sweep");
  const std::string bin = test::espbench_binary();
  auto case_of = [&](const std::string& name, const std::string& text,
                     const std::vector<std::string>& expect) {
    const std::string path = write(dir / name, text);
    auto [code, out] = test::run_command(bin + " sweep " + path + " --dry-run --out " + (dir / "out"));
    CAPTURE(name, out);
    REQUIRE(code == 2);
    REQUIRE(std::count(out.begin(), out.end(), '\n') == 1);
    REQUIRE(out.find(path) != std::string::npos);
    REQUIRE(out.find("Exception raised from") == std::string::npos);
    for (const auto& e : expect) REQUIRE(out.find(e) != std::string::npos);
  };
  auto with = [&](const std::function<void(json&)>& edit) {
    json m = grid_manifest();
    edit(m);
    return m.dump(2);
  };
  case_of("syntax.json", "{\"base\": {\"model\": {\"name\": \"espnetv2\"}},\n \"seeds\": [1, 2,]\n}",
          {"not valid JSON", "line 2"});
  case_of("unknown_top.json", with([](json& m) { m["axis"] = m["axes"]; }),
          {": axis: unknown key (did you mean 'axes'?)"});
  case_of("unknown_option.json", with([](json& m) {
            m["axes"] = {{"model.options.blok", {"esp"}}};
          }),
          {"axes[\"model.options.blok\"][0]: model.options:", "blok", "block"});
  case_of("unknown_train_key.json", with([](json& m) { m["variants"]["esp"]["train.epocs"] = 2; }),
          {"variants.esp: train.epocs: unknown key (did you mean 'epochs'?)"});
  case_of("wrong_type.json", with([](json& m) { m["seeds"] = "3"; }),
          {": seeds: expected a list of integers"});
  case_of("wrong_value_type.json", with([](json& m) { m["axes"]["train.epochs"] = {"three"}; }),
          {"axes[\"train.epochs\"][0]: train.epochs: invalid value \"three\""});
  case_of("unknown_model.json", with([](json& m) { m["variants"]["esp"]["model.name"] = "mobilenet_v3"; }),
          {"variants.esp: model.name: unknown model 'mobilenet_v3' (did you mean 'mobilenet_v"});
  case_of("empty_axis.json", with([](json& m) { m["axes"]["train.lr"] = json::array(); }),
          {"axes[\"train.lr\"]: empty list"});
  case_of("exclude_all.json", with([](json& m) {
            m["exclude"] = {{{"data.name", "synthetic"}}};
          }),
          {": exclude: the rules drop every one of the 16 runs"});
  case_of("exclude_key.json", with([](json& m) {
            m["exclude"] = {{{"model.options.branchez", 2}}};
          }),
          {"exclude[0][\"model.options.branchez\"]: no run's resolved config has this key (did you mean "
           "'model.options.branches'?)"});
  case_of("constraint_all.json", with([](json& m) {
            m["constraints"] = {{"max_macs", 1000}};
          }),
          {": constraints: {\"max_macs\":1000} excludes every one of the 16 runs"});
  case_of("constraint_key.json", with([](json& m) {
            m["constraints"] = {{"max_mac", 1000}};
          }),
          {"constraints.max_mac: unknown key (did you mean 'max_macs'?)"});
  REQUIRE_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("run locks and states: a dead process's running status is an interrupted run", "[sweep]") {
  TempDir dir("espbench_sweep");
  const std::string run = dir / "run";
  {
    RunLock a(run);
    REQUIRE(a.held());
    RunLock b(run);  // another open file description: flock conflicts as with another process
    REQUIRE_FALSE(b.held());
  }
  REQUIRE(RunLock(run).held());
  REQUIRE(run_state(run) == "pending");
  write_status(run, {{"status", "running"}, {"pid", static_cast<int64_t>(getpid())}, {"host", this_host()}});
  REQUIRE(run_state(run) == "running");
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  write_status(run, {{"status", "running"}, {"pid", static_cast<int64_t>(child)}, {"host", this_host()}});
  REQUIRE(run_state(run) == "interrupted");
  write_status(run, {{"status", "done"}});
  REQUIRE(run_state(run) == "interrupted");  // done needs a done report too
  write(dir / "run/report.json", "{\"status\": \"done\"}");
  REQUIRE(run_state(run) == "done");
}

TEST_CASE("a smoke sweep killed at a random moment finishes on rerun, every run done exactly once",
          "[sweep][cli]") {
  TempDir dir("espbench_sweep");
  const std::string bin = test::espbench_binary();
  const std::string manifest = test::source_dir() + "/ablations/smoke.json";
  const std::string out = dir / "out";
  const std::string sweep_dir = out + "/smoke";
  const Plan plan = expand(load_manifest(manifest));
  REQUIRE(plan.runs.size() == 3);

  std::random_device rd;
  const unsigned seed = rd();
  std::mt19937 gen(seed);
  const int delay_ms = std::uniform_int_distribution<int>(0, 10000)(gen);
  INFO("kill delay after the first run started: " << delay_ms << " ms (seed " << seed << ")");

  const pid_t pid = test::spawn_quiet({bin, "sweep", manifest, "--out", out, "--threads", "1", "--quiet"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int status = 0;
  bool exited = false;
  auto started = [&] {
    std::error_code ec;
    if (!fs::is_directory(sweep_dir, ec)) return false;
    for (const auto& e : fs::directory_iterator(sweep_dir, ec))
      if (fs::exists(e.path() / "status.json")) return true;
    return false;
  };
  while (!started() && std::chrono::steady_clock::now() < deadline && !exited)
    if (waitpid(pid, &status, WNOHANG) == pid)
      exited = true;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  REQUIRE_FALSE(exited);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  if (waitpid(pid, &status, WNOHANG) != pid) {  // still running (else it finished in the delay)
    REQUIRE(kill(pid, SIGKILL) == 0);
    REQUIRE(waitpid(pid, &status, 0) == pid);
  }

  // Reports already done before the kill must come through the rerun untouched.
  std::map<std::string, std::string> done_before;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  for (const auto& r : plan.runs)
    if (run_state(sweep_dir + "/" + r.id) == "done")
      done_before[r.id] = slurp(sweep_dir + "/" + r.id + "/report.json");
  INFO(done_before.size() << " runs were done before the kill");

  auto [code, text] = test::run_command(bin + " sweep " + manifest + " --out " + out + " --threads 1");
  CAPTURE(text);
  REQUIRE(code == 0);
  REQUIRE(text.find("3 of 3 runs done, 0 failed") != std::string::npos);
  for (const auto& id : done_before)
    REQUIRE(text.find("run " + id.first) == std::string::npos);  // not retrained

  const json schema = train::load_json_file(test::source_dir() + "/harness/report/report.schema.json");
  for (const auto& r : plan.runs) {
    const std::string rd_ = sweep_dir + "/" + r.id;
    const json st = train::load_json_file(rd_ + "/status.json");
    REQUIRE(st["status"] == "done");
    REQUIRE(st["attempts"].get<int64_t>() >= 1);
    const json rep = train::load_json_file(rd_ + "/report.json");
    const auto errors = schema_errors(schema, rep);
    CAPTURE(errors);
    REQUIRE(errors.empty());
    REQUIRE(rep["status"] == "done");
    REQUIRE(rep["run_id"] == r.id);
    REQUIRE(rep["epochs"].size() == 1);
    REQUIRE(rep["epochs"][0]["epoch"] == 0);
    const json cfg = train::load_json_file(rd_ + "/config.json");
    REQUIRE(cfg["model"] == train::to_json(r.config)["model"]);
    REQUIRE(cfg["runtime"]["threads"] == 1);
    if (done_before.count(r.id)) REQUIRE(slurp(rd_ + "/report.json") == done_before[r.id]);
  }
  // A third run trains nothing.
  auto [code3, text3] = test::run_command(bin + " sweep " + manifest + " --out " + out + " --threads 1");
  REQUIRE(code3 == 0);
  REQUIRE(text3.find("starting") == std::string::npos);
  REQUIRE(text3.find("resuming") == std::string::npos);
  auto [code4, pending] = test::run_command(bin + " sweep " + manifest + " --out " + out + " --list-pending");
  REQUIRE(code4 == 0);
  REQUIRE(pending.empty());

  SECTION("collect, report and plot read the finished sweep") {
    auto [c1, t1] = test::run_command(bin + " collect " + sweep_dir);
    CAPTURE(t1);
    REQUIRE(c1 == 0);
    const json table = train::load_json_file(sweep_dir + "/collect.json");
    REQUIRE(table["rows"].size() == 3);
    std::set<std::string> labels;
    for (const auto& row : table["rows"]) {
      REQUIRE(row["status"] == "done");
      REQUIRE(row["test_top1"].is_number());
      REQUIRE(row["macs"].get<int64_t>() ==
              row["macs_conv"].get<int64_t>() + row["macs_linear"].get<int64_t>());
      labels.insert(row["label"].get<std::string>());
    }
    REQUIRE(labels ==
            std::set<std::string>{"block=eesp scale=0.5", "block=eesp_a scale=0.5", "block=eesp scale=1"});
    const std::string csv = slurp(sweep_dir + "/collect.csv");
    REQUIRE(std::count(csv.begin(), csv.end(), '\n') == 4);
    REQUIRE(csv.rfind("sweep,run_id,status,model", 0) == 0);

    auto [c2, t2] = test::run_command(bin + " report " + out + " --markdown");
    CAPTURE(t2);
    REQUIRE(c2 == 0);
    for (const auto& l : labels) REQUIRE(t2.find("| smoke | " + l + " | 1 |") != std::string::npos);

    // Plots come from the reports alone: remove everything else first.
    for (const auto& r : plan.runs)
      for (const char* f : {"status.json", "config.json", "log", "checkpoint_last.pt", "checkpoint_best.pt"})
        fs::remove(sweep_dir + "/" + r.id + "/" + f);
    fs::remove(sweep_dir + "/manifest.json");
    auto [c3, t3] = test::run_command(bin + " plot " + out);
    CAPTURE(t3);
    REQUIRE(c3 == 0);
    for (const char* name : {"acc_vs_macs", "acc_vs_params", "curves"}) {
      for (const char* ext : {".dat", ".gp", ".svg", ".png"})
        REQUIRE(fs::file_size(sweep_dir + "/plots/" + name + ext) > 0);
    }
    REQUIRE(t3.find("acc_vs_latency: skipped") != std::string::npos);
    const std::string svg = slurp(sweep_dir + "/plots/acc_vs_macs.svg");
    for (const auto& l : labels) REQUIRE(svg.find(l) != std::string::npos);
    REQUIRE(svg.find("Pareto front") != std::string::npos);
    // A relative folder, as `espbench plot results/main` from the repository root.
    fs::remove_all(sweep_dir + "/plots");
    const fs::path rel = fs::path(sweep_dir).lexically_relative(fs::path(out).parent_path());
    auto [c4, t4] = test::run_command("cd " + fs::path(out).parent_path().string() + " && " + bin + " plot " +
                                      rel.string());
    CAPTURE(t4);
    REQUIRE(c4 == 0);
    REQUIRE(fs::file_size(sweep_dir + "/plots/acc_vs_macs.svg") > 0);
  }
}

TEST_CASE("failures are printed and retried, the sweep goes on unless --fail-fast, --run-id runs one run",
          "[sweep][cli]") {
  TempDir dir("espbench_sweep");
  const std::string bin = test::espbench_binary();
  json m = {{"name", "fail"}, {"base", synthetic_base()}, {"axes", {{"train.lr", {1e6, 0.01}}}}};
  m["base"]["train"]["schedule"] = "constant";  // lr 1e6 diverges at once: a deterministic failure
  const std::string path = write(dir / "fail.json", m.dump());
  const Plan plan = expand(load_manifest(path));
  const std::string bad = plan.runs[0].id, good = plan.runs[1].id;
  REQUIRE(plan.runs[0].config.train.lr == 1e6);
  auto sweep = [&](const std::string& args) {
    return test::run_command(bin + " sweep " + path + " " + args);
  };
  auto attempts = [&](const std::string& out, const std::string& id) {
    return train::load_json_file(out + "/fail/" + id + "/status.json")["attempts"].get<int64_t>();
  };
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
  };

  const std::string out = dir / "out";
  auto [code, text] = sweep("--out " + out + " --retries 1 --threads 1");
  CAPTURE(text);
  REQUIRE(code == 2);
  REQUIRE(count(text, "run " + bad + " (lr=1000000.0) FAILED (attempt") == 2);
  REQUIRE(text.find("non-finite training loss") != std::string::npos);
  REQUIRE(text.find("; retrying") != std::string::npos);
  REQUIRE(text.find("1 of 2 runs done, 1 failed") != std::string::npos);
  REQUIRE(text.find("espbench: error: sweep 'fail': 1 of 2 runs failed") != std::string::npos);
  REQUIRE(attempts(out, bad) == 2);
  REQUIRE(train::load_json_file(out + "/fail/" + bad + "/status.json")["status"] == "failed");
  REQUIRE(attempts(out, good) == 1);

  auto [code2, text2] = sweep("--out " + out + " --threads 1");  // retries the failure only
  CAPTURE(text2);
  REQUIRE(code2 == 2);
  REQUIRE(attempts(out, bad) == 3);
  REQUIRE(text2.find("starting run " + good) == std::string::npos);

  const std::string out2 = dir / "out2";
  auto [code3, text3] = sweep("--out " + out2 + " --threads 1 --fail-fast");
  CAPTURE(text3);
  REQUIRE(code3 == 2);
  REQUIRE(text3.find("--fail-fast: stopping") != std::string::npos);
  REQUIRE_FALSE(fs::exists(out2 + "/fail/" + good));

  auto [code4, text4] = sweep("--out " + out2 + " --threads 1 --run-id " + good);
  CAPTURE(text4);
  REQUIRE(code4 == 0);
  REQUIRE(text4.find("1 of 1 runs done") != std::string::npos);
  REQUIRE(train::load_json_file(out2 + "/fail/" + good + "/report.json")["status"] == "done");
  auto [code5, pending] = sweep("--out " + out2 + " --list-pending");
  REQUIRE(code5 == 0);
  REQUIRE(pending == bad + "\n");

  auto [code6, text6] = sweep("--out " + out2 + " --run-id 0123456789abcdef");
  REQUIRE(code6 == 2);
  REQUIRE(text6.find("option --run-id: 0123456789abcdef is not a run of " + path) != std::string::npos);
}

TEST_CASE("a done run lacking the latency its config asks for is measured from its checkpoint, not retrained",
          "[sweep][cli][final_latency]") {
  TempDir dir("espbench_sweep");
  const std::string bin = test::espbench_binary();
  // Sweep "a" trains without measuring; sweep "b" reuses that run and asks for its latency.
  json a = {{"name", "a"}, {"base", synthetic_base()}};
  json b = {{"name", "b"}, {"base", synthetic_base()}};
  b["base"]["measure"] = {{"latency", {{"samples", 5}, {"warmup_s", 0.0}, {"paths", {"plain"}}}}};
  const std::string pa = write(dir / "a.json", a.dump()), pb = write(dir / "b.json", b.dump());
  const std::string id = expand(load_manifest(pa)).runs[0].id;
  REQUIRE(expand(load_manifest(pb)).runs[0].id == id);  // measure is not part of the run id
  const std::string out = dir / "out";
  auto [code_a, text_a] = test::run_command(bin + " sweep " + pa + " --out " + out);
  CAPTURE(text_a);
  REQUIRE(code_a == 0);
  const json trained = train::load_json_file(out + "/a/" + id + "/report.json");
  REQUIRE_FALSE(trained.contains("latency"));

  auto [code_b, text_b] = test::run_command(bin + " sweep " + pb + " --out " + out);
  CAPTURE(text_b);
  REQUIRE(code_b == 0);
  REQUIRE(text_b.find("reused") != std::string::npos);
  const json measured = train::load_json_file(out + "/b/" + id + "/report.json");
  REQUIRE(measured["status"] == "done");
  REQUIRE(measured["epochs"] == trained["epochs"]);  // the same training, not a new one
  REQUIRE(measured["latency"]["paths"]["plain"]["p50_ms"].get<double>() > 0);
  const json st = train::load_json_file(out + "/b/" + id + "/status.json");
  REQUIRE(st["reused_from"] == "a/" + id);
  REQUIRE(st.contains("measured_utc"));
  REQUIRE(st["attempts"] == 0);

  // "a" asks for it later: its own run is measured in place; its training times stay.
  const json st_before = train::load_json_file(out + "/a/" + id + "/status.json");
  a["base"]["measure"] = b["base"]["measure"];
  write(dir / "a.json", a.dump());
  auto [code_c, text_c] = test::run_command(bin + " sweep " + pa + " --out " + out);
  CAPTURE(text_c);
  REQUIRE(code_c == 0);
  REQUIRE(text_c.find("starting run") == std::string::npos);
  const json again = train::load_json_file(out + "/a/" + id + "/report.json");
  REQUIRE(again["epochs"] == trained["epochs"]);
  REQUIRE(again.contains("latency"));
  const json st_after = train::load_json_file(out + "/a/" + id + "/status.json");
  REQUIRE(st_after["started_utc"] == st_before["started_utc"]);
  REQUIRE(st_after["finished_utc"] == st_before["finished_utc"]);

  // Sweep "c" times nothing: its copy of the timed run carries its own config and no latency block.
  json c = {{"name", "c"}, {"base", synthetic_base()}};
  const std::string pc = write(dir / "c.json", c.dump());
  auto [code_r, text_r] = test::run_command(bin + " sweep " + pc + " --out " + out);
  CAPTURE(text_r);
  REQUIRE(code_r == 0);
  REQUIRE(text_r.find("reused") != std::string::npos);
  const json copied = train::load_json_file(out + "/c/" + id + "/report.json");
  REQUIRE(copied["epochs"] == trained["epochs"]);
  REQUIRE_FALSE(copied.contains("latency"));
  REQUIRE(copied["config"] == train::load_json_file(out + "/c/" + id + "/config.json"));
  REQUIRE_FALSE(copied["config"].contains("measure"));

  // Without a checkpoint it cannot be measured: the run stays done and the sweep says so.
  fs::remove(out + "/b/" + id + "/checkpoint_last.pt");
  json report = measured;
  report.erase("latency");
  write(out + "/b/" + id + "/report.json", report.dump());
  auto [code_d, text_d] = test::run_command(bin + " sweep " + pb + " --out " + out);
  CAPTURE(text_d);
  REQUIRE(code_d == 0);
  REQUIRE(text_d.find("is done but not measured: its report has no latency block") != std::string::npos);
  REQUIRE(text_d.find("(1 without the latency their config asks for)") != std::string::npos);
}

TEST_CASE("a run another sweep already finished is reused, not retrained; --no-reuse retrains it",
          "[sweep][cli]") {
  TempDir dir("espbench_sweep");
  const std::string bin = test::espbench_binary();
  // Sweep "a": EESP-A and EESP; sweep "b": EESP (the same resolved config, so the same id) and ESP.
  json a = {
      {"name", "a"}, {"base", synthetic_base()}, {"axes", {{"model.options.block", {"eesp_a", "eesp"}}}}};
  json b = {{"name", "b"}, {"base", synthetic_base()}, {"axes", {{"model.options.block", {"eesp", "esp"}}}}};
  const std::string pa = write(dir / "a.json", a.dump()), pb = write(dir / "b.json", b.dump());
  const Plan plan_a = expand(load_manifest(pa)), plan_b = expand(load_manifest(pb));
  const std::string shared = plan_b.runs[0].id;
  REQUIRE(plan_a.runs[1].id == shared);
  REQUIRE(plan_b.runs[1].id != shared);
  const std::string out = dir / "out";
  auto [code_a, text_a] = test::run_command(bin + " sweep " + pa + " --out " + out);
  CAPTURE(text_a);
  REQUIRE(code_a == 0);
  auto [code_b, text_b] = test::run_command(bin + " sweep " + pb + " --out " + out);
  CAPTURE(text_b);
  REQUIRE(code_b == 0);
  REQUIRE(text_b.find("run " + shared + " (" + plan_b.runs[0].label + ") is done in a/" + shared +
                      ": reused") != std::string::npos);
  REQUIRE(text_b.find("2 of 2 runs done (1 reused from other sweeps)") != std::string::npos);
  REQUIRE(text_b.find("starting run " + shared) == std::string::npos);
  const json st = train::load_json_file(out + "/b/" + shared + "/status.json");
  REQUIRE(st["status"] == "done");
  REQUIRE(st["reused_from"] == "a/" + shared);
  REQUIRE(st["attempts"] == 0);
  REQUIRE(train::load_json_file(out + "/b/" + shared + "/report.json") ==
          train::load_json_file(out + "/a/" + shared + "/report.json"));
  REQUIRE(run_state(out + "/b/" + shared) == "done");

  const std::string out2 = dir / "out2";
  fs::create_directories(out2);
  fs::copy(out + "/a", out2 + "/a", fs::copy_options::recursive);
  auto [code_c, text_c] = test::run_command(bin + " sweep " + pb + " --out " + out2 + " --no-reuse");
  CAPTURE(text_c);
  REQUIRE(code_c == 0);
  REQUIRE(text_c.find("starting run " + shared) != std::string::npos);
  REQUIRE_FALSE(train::load_json_file(out2 + "/b/" + shared + "/status.json").contains("reused_from"));
}
