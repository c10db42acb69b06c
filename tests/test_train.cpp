// Training as a specification: it learns, checkpoints resume bit for bit (also after SIGKILL),
// divergence fails cleanly, reports match their schema, and bad configs say what is wrong.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/report/schema_check.h"
#include "harness/train/bench_train.h"
#include "harness/train/checkpoint.h"
#include "harness/train/progress.h"
#include "harness/train/run_config.h"
#include "harness/train/trainer.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::train;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

const json& report_schema() {
  static const json schema =
      load_json_file(std::string(ESPBENCH_SOURCE_DIR) + "/harness/report/report.schema.json");
  return schema;
}

void require_valid_report(const json& report) {
  const auto errors = schema_errors(report_schema(), report);
  CAPTURE(errors);
  REQUIRE(errors.empty());
}

// A tiny learnable problem: synthetic 1x16x16 images of 10 classes, ESPNetv2 s=0.5, 1 thread.
json tiny_config(int64_t epochs = 3) {
  return {{"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}}}}},
          {"data",
           {{"name", "synthetic"},
            {"synthetic_train", 320},
            {"synthetic_test", 128},
            {"synthetic_channels", 1},
            {"synthetic_height", 16},
            {"synthetic_width", 16},
            {"synthetic_classes", 10}}},
          {"train",
           {{"epochs", epochs},
            {"batch_size", 32},
            {"lr", 0.02},
            {"nesterov", true},
            {"wd_exclude_bn_bias", true},
            {"label_smoothing", 0.1},
            {"eval_batch_size", 64}}},
          {"runtime", {{"threads", 1}, {"seed", 7}}}};
}

TrainOptions quiet() {
  TrainOptions o;
  o.progress.mode = ProgressOptions::Mode::Quiet;
  return o;
}

// Epoch records without the timing fields.
json without_timing(json records) {
  for (auto& r : records) {
    r.erase("seconds");
    r.erase("images_per_s");
  }
  return records;
}

// Loads the model stored in a checkpoint into a fresh network of `cfg`'s architecture.
NetworkPtr model_from_checkpoint(const RunConfig& cfg, const std::string& path) {
  NetworkPtr m = build_model(resolve_model(cfg.model));
  load_checkpoint(path, *m, nullptr, false);
  return m;
}

void require_same_state(const RunConfig& cfg, const std::string& a, const std::string& b) {
  NetworkPtr ma = model_from_checkpoint(cfg, a), mb = model_from_checkpoint(cfg, b);
  auto pa = ma->named_parameters(), pb = mb->named_parameters();
  REQUIRE(pa.size() == pb.size());
  for (const auto& item : pa) {
    CAPTURE(item.key());
    REQUIRE(torch::equal(item.value(), pb[item.key()]));
  }
  auto ba = ma->named_buffers(), bb = mb->named_buffers();
  for (const auto& item : ba) {
    CAPTURE(item.key());
    REQUIRE(torch::equal(item.value(), bb[item.key()]));
  }
}

using test::error_of;

}  // namespace

TEST_CASE("a short run on 1,200 Fashion-MNIST images learns well above chance", "[train]") {
  TempDir dir;
  json j = {{"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}}}}},
            {"data", {{"name", "fashion-mnist"}, {"limit_train", 1200}, {"limit_test", 300}}},
            {"train", {{"epochs", 2}, {"batch_size", 40}, {"lr", 0.05}, {"schedule", "cosine"}}},
            {"runtime", {{"threads", 1}}}};
  RunConfig cfg = resolve_run_config(j, "test");
  REQUIRE(cfg.model.options["in_channels"] == 1);  // filled from the data set
  REQUIRE(cfg.model.options["num_classes"] == 10);
  json r = train_run(cfg, dir.path.string(), quiet());
  CAPTURE(r["epochs"].dump());
  REQUIRE(r["status"] == "done");
  REQUIRE(r["epochs"].size() == 2);
  REQUIRE(r["final"]["test_top1"].get<double>() > 30.0);
  REQUIRE(r["final"]["test_top5"].get<double>() > r["final"]["test_top1"].get<double>());
  REQUIRE(r["epochs"][1]["train_loss"].get<double>() < r["epochs"][0]["train_loss"].get<double>());
  REQUIRE(r["model"]["macs"]["conv"].get<int64_t>() > 0);
  REQUIRE(r["model"]["input"] == json::array({1, 1, 28, 28}));
  REQUIRE_FALSE(r["model"].contains("at_224"));  // a 1-channel model does not take 3x224x224
  REQUIRE(r["context"]["threads"] == 1);
  REQUIRE(r["config"]["runtime"]["seed"] == 1882);
  REQUIRE(r["run_id"] == run_id(cfg));
  REQUIRE(r["data"]["train_size"] == 1200);
  require_valid_report(r);
  json on_disk = load_json_file(dir / "report.json");
  REQUIRE(on_disk == r);
  REQUIRE(fs::exists(dir / "checkpoint_last.pt"));
  REQUIRE(fs::exists(dir / "checkpoint_best.pt"));
}

TEST_CASE("stopping after an epoch and resuming reproduces the uninterrupted run bit for bit", "[train]") {
  TempDir a, b;
  json ja = tiny_config(3), jb = tiny_config(3);
  ja["train"]["workers"] = 0;  // the loader is identical for any worker count, so the run id is too
  jb["train"]["workers"] = 2;
  RunConfig ca = resolve_run_config(ja, "a"), cb = resolve_run_config(jb, "b");
  REQUIRE(run_id(ca) == run_id(cb));

  json full = train_run(ca, a.path.string(), quiet());
  REQUIRE(full["status"] == "done");
  REQUIRE(full["model"].contains("macs"));

  TrainOptions stop_after_first = quiet();
  stop_after_first.hooks.after_epoch = [](const json& record) { return record["epoch"] != 0; };
  json part = train_run(cb, b.path.string(), stop_after_first);
  REQUIRE(part["status"] == "stopped");
  REQUIRE(part["epochs"].size() == 1);
  require_valid_report(part);

  json resumed = train_run(cb, b.path.string(), quiet());
  REQUIRE(resumed["status"] == "done");
  REQUIRE(resumed["resumed_at_epochs"] == json::array({1}));
  REQUIRE(without_timing(resumed["epochs"]) == without_timing(full["epochs"]));
  REQUIRE(resumed["final"] == full["final"]);
  require_valid_report(resumed);
  require_same_state(ca, a / "checkpoint_last.pt", b / "checkpoint_last.pt");

  // A checkpoint of another run is refused.
  json other = tiny_config(3);
  other["runtime"]["seed"] = 8;
  RunConfig co = resolve_run_config(other, "other");
  const std::string msg = error_of([&] { train_run(co, b.path.string(), quiet()); });
  REQUIRE(msg.find("belongs to run " + run_id(cb)) != std::string::npos);

  // Rerunning a finished run trains nothing and reports it again.
  json again = train_run(cb, b.path.string(), quiet());
  REQUIRE(again["status"] == "done");
  REQUIRE(without_timing(again["epochs"]) == without_timing(full["epochs"]));
}

TEST_CASE("a run killed with SIGKILL resumes from its last checkpoint and matches an uninterrupted run",
          "[train]") {
  TempDir dir;
  json j = tiny_config(3);
  {
    std::ofstream f(dir / "run.json");
    f << j.dump(2);
  }
  const std::string bin = test::espbench_binary();
  const std::string killed = dir / "killed", reference = dir / "reference";
  const std::string cfg_path = dir / "run.json";

  // Start, wait for the first checkpoint, then kill -9 in the middle of epoch 2.
  const pid_t pid = test::spawn_quiet({bin, "train", "--config", cfg_path, "--out", killed, "--quiet"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool exited = false;
  int status = 0;
  while (!fs::exists(killed + "/checkpoint_last.pt") && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE_FALSE(exited);
  REQUIRE(kill(pid, SIGKILL) == 0);
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  json interrupted = load_json_file(killed + "/report.json");
  REQUIRE(interrupted["status"] == "running");
  REQUIRE(interrupted["epochs"].size() < 3);

  const std::string cmd = bin + " train --config " + cfg_path + " --quiet --out ";
  auto [code, out] = test::run_command(cmd + killed);
  CAPTURE(out);
  REQUIRE(code == 0);
  REQUIRE(out.find("done") != std::string::npos);
  auto [code2, out2] = test::run_command(cmd + reference);
  CAPTURE(out2);
  REQUIRE(code2 == 0);

  json r = load_json_file(killed + "/report.json"), ref = load_json_file(reference + "/report.json");
  REQUIRE(r["status"] == "done");
  REQUIRE(r["resumed_at_epochs"].size() == 1);
  for (int64_t e = 0; e < 3; ++e) REQUIRE(r["epochs"][e]["epoch"] == e);  // every epoch exactly once
  REQUIRE(r["epochs"].size() == 3);
  REQUIRE(without_timing(r["epochs"]) == without_timing(ref["epochs"]));
  REQUIRE(r["final"] == ref["final"]);
  require_valid_report(r);
  require_same_state(resolve_run_config(j, "run.json"), killed + "/checkpoint_last.pt",
                     reference + "/checkpoint_last.pt");
}

TEST_CASE("a non-finite loss stops the run with status failed and the reason", "[train]") {
  TempDir dir;
  RunConfig cfg = resolve_run_config(tiny_config(2), "test");
  TrainOptions o = quiet();
  o.hooks.before_step = [](int64_t epoch, int64_t step, data::Batch& b) {
    if (epoch == 0 && step == 2) b.images.fill_(std::numeric_limits<float>::quiet_NaN());
  };
  json r = train_run(cfg, dir.path.string(), o);
  REQUIRE(r["status"] == "failed");
  const std::string error = r["error"].get<std::string>();
  REQUIRE(error.find("non-finite training loss") != std::string::npos);
  REQUIRE(error.find("epoch 0 step 2") != std::string::npos);
  REQUIRE(r["epochs"].empty());
  REQUIRE_FALSE(r.contains("final"));
  require_valid_report(r);
  REQUIRE(load_json_file(dir / "report.json")["status"] == "failed");
}

TEST_CASE("run configs: defaults, data-derived options, stable ids, errors naming file and key", "[train]") {
  RunConfig c = resolve_run_config(tiny_config(), "run.json");
  REQUIRE(c.model.options["in_channels"] == 1);
  REQUIRE(c.model.options["num_classes"] == 10);
  REQUIRE(c.model.options["scale"] == 0.5);
  REQUIRE(c.train.momentum == 0.9);
  REQUIRE(c.train.weight_decay == 4e-5);
  REQUIRE(c.train.schedule == "cyclic");
  REQUIRE(c.train.schedule_options.contains("milestones"));
  REQUIRE(c.runtime.threads == 1);

  SECTION("the id ignores threads, device, workers and data root, not what changes results") {
    const std::string id = run_id(c);
    REQUIRE(id.size() == 16);
    REQUIRE(run_id(resolve_run_config(to_json(c), "again")) == id);
    json j = tiny_config();
    j["runtime"]["threads"] = 2;
    j["train"]["workers"] = 3;
    REQUIRE(run_id(resolve_run_config(j, "x")) == id);
    j["runtime"]["seed"] = 8;
    REQUIRE(run_id(resolve_run_config(j, "x")) != id);
    json k = tiny_config();
    k["model"]["options"]["in_channels"] = 1;  // the same value, given explicitly
    REQUIRE(run_id(resolve_run_config(k, "x")) == id);
  }
  SECTION("given model options are kept") {
    json j = tiny_config();
    j["model"]["options"]["num_classes"] = 7;
    REQUIRE(resolve_run_config(j, "x").model.options["num_classes"] == 7);
  }
  SECTION("errors") {
    auto msg = [](json j) { return error_of([&] { resolve_run_config(j, "run.json"); }); };
    json j = tiny_config();
    j["train"]["epocs"] = 3;
    CHECK_THAT(msg(j), Catch::Contains("run.json: train.epocs: unknown key (did you mean 'epochs'?)"));
    j = tiny_config();
    j["train"]["epochs"] = -1;
    CHECK_THAT(msg(j), Catch::Contains("run.json: train.epochs: invalid value -1"));
    j = tiny_config();
    j["bogus"] = 1;
    CHECK_THAT(msg(j), Catch::Contains("run.json: bogus: unknown key"));
    j = tiny_config();
    j["model"]["name"] = "espnetv3";
    CHECK_THAT(msg(j),
               Catch::Contains("run.json: model.name: unknown model 'espnetv3' (did you mean 'espnetv2'?)"));
    j = tiny_config();
    j["model"]["options"]["nosuchoption"] = 1;
    CHECK_THAT(msg(j), Catch::Contains("run.json: model.options:") && Catch::Contains("nosuchoption"));
    j = tiny_config();
    j["data"]["name"] = "nosuchset";
    CHECK_THAT(msg(j), Catch::Contains("run.json: data:") && Catch::Contains("valid names"));
    j = tiny_config();
    j["data"]["limit_trian"] = 5;
    CHECK_THAT(msg(j),
               Catch::Contains("run.json: data.limit_trian: unknown key (did you mean 'limit_train'?)"));
    j = tiny_config();
    j["train"]["schedule"] = "linear";
    CHECK_THAT(msg(j), Catch::Contains("run.json: train.schedule: invalid value \"linear\""));
    j = tiny_config();
    j["train"]["schedule_options"] = {{"cycle_len", 0}};
    CHECK_THAT(msg(j), Catch::Contains("run.json: train.schedule_options:") && Catch::Contains("cycle_len"));
    j = tiny_config();
    j["train"]["momentum"] = 0.0;
    CHECK_THAT(msg(j), Catch::Contains("run.json: train.nesterov"));
    j = tiny_config();
    j["runtime"]["device"] = "tpu";
    CHECK_THAT(msg(j), Catch::Contains("run.json:") && Catch::Contains("runtime.device"));
    j = tiny_config();
    j["model"].erase("name");
    CHECK_THAT(msg(j), Catch::Contains("run.json: model.name: missing"));
  }
  SECTION("a malformed file is named") {
    TempDir dir;
    {
      std::ofstream f(dir / "bad.json");
      f << "{\"train\": {";
    }
    CHECK_THAT(error_of([&] { load_json_file(dir / "bad.json"); }),
               Catch::Contains("bad.json: not valid JSON"));
  }
}

TEST_CASE("the schema validator checks types, required keys, enums, ranges and items", "[train][schema]") {
  json schema = json::parse(R"({
    "type": "object", "required": ["a", "list"],
    "properties": {
      "a": {"type": "integer", "minimum": 0, "maximum": 10},
      "s": {"type": "string", "enum": ["x", "y"]},
      "n": {"type": ["number", "null"]},
      "list": {"type": "array", "items": {"type": "object", "required": ["k"], "properties": {"k": {"type": "boolean"}}}}
    }})");
  REQUIRE(schema_errors(schema,
                        json::parse(R"({"a": 3, "s": "x", "n": null, "list": [{"k": true}], "extra": 1})"))
              .empty());
  auto errs = schema_errors(schema, json::parse(R"({"a": 11, "s": "z", "n": "1", "list": [{"k": 1}, {}]})"));
  REQUIRE(errs.size() == 5);
  CHECK(errs[0] == "$.a: 11 is above the maximum 10");
  CHECK_THAT(errs[1], Catch::Contains("$.list[0].k: expected boolean"));
  CHECK(errs[2] == "$.list[1]: missing required key 'k'");
  CHECK_THAT(errs[3], Catch::Contains("$.n: expected number or null"));
  CHECK_THAT(errs[4], Catch::Contains("$.s: \"z\" is not one of"));
  REQUIRE(schema_errors(schema, json::parse(R"({"list": []})")) ==
          std::vector<std::string>{"$: missing required key 'a'"});
  REQUIRE(schema_errors(schema, json::parse(R"({"a": 1.0, "list": []})")).empty());  // 1.0 is an integer
  REQUIRE_THROWS_AS(check_schema(schema, json::array(), "x"), Error);

  SECTION("additionalProperties, pattern, exclusiveMinimum and minItems") {
    const json strict = json::parse(R"({
      "type": "object", "additionalProperties": false,
      "properties": {
        "sha": {"type": "string", "pattern": "^[0-9a-f]{4}$"},
        "p": {"type": "number", "exclusiveMinimum": 0},
        "l": {"type": "array", "minItems": 1},
        "m": {"type": "object", "additionalProperties": {"type": "integer"}}
      }})");
    REQUIRE(
        schema_errors(strict, json::parse(R"({"sha": "0a1f", "p": 0.5, "l": [1], "m": {"x": 1}})")).empty());
    const auto e =
        schema_errors(strict, json::parse(R"({"sha": "0A1F", "p": 0, "l": [], "m": {"x": "1"}, "q": 1})"));
    REQUIRE(e.size() == 5);
    CHECK(e[0] == "$.l: 0 item(s), expected at least 1");
    CHECK(e[1] == "$.m.x: expected integer, got \"1\"");
    CHECK(e[2] == "$.p: 0 is not above 0");
    CHECK(e[3] == "$.sha: \"0A1F\" does not match ^[0-9a-f]{4}$");
    CHECK(e[4] == "$: unexpected key 'q'");
  }

  SECTION("the report schema rejects a broken report") {
    json bad = {
        {"schema_version", 1}, {"kind", "train"}, {"status", "bogus"}, {"epochs", {{{"test_top1", 150}}}}};
    auto e = schema_errors(report_schema(), bad);
    auto has = [&](const std::string& s) {
      return std::any_of(e.begin(), e.end(),
                         [&](const std::string& x) { return x.find(s) != std::string::npos; });
    };
    CHECK(has("$.status"));
    CHECK(has("$.epochs[0].test_top1: 150 is above the maximum 100"));
    CHECK(has("missing required key 'run_id'"));
  }
}

TEST_CASE("bench_train times real training steps", "[train]") {
  json j = tiny_config();
  j["train"]["batch_size"] = 16;
  RunConfig cfg = resolve_run_config(j, "test");
  BenchTrainOptions o;
  o.steps = 4;
  o.warmup_steps = 1;
  o.window_steps = 2;
  json r = bench_train(cfg, o);
  REQUIRE(r["images_per_s"]["windows"].size() == 2);
  REQUIRE(r["images_per_s"]["median"].get<double>() > 0);
  REQUIRE(r["images_per_s"]["min"].get<double>() <= r["images_per_s"]["max"].get<double>());
  REQUIRE(r["model"]["macs"]["conv"].get<int64_t>() > 0);
  o.window_steps = 5;
  REQUIRE_THROWS_WITH(bench_train(cfg, o), Catch::Contains("--window"));
}

TEST_CASE("progress durations read naturally", "[train]") {
  CHECK(Progress::format_duration(9.4) == "9s");
  CHECK(Progress::format_duration(845) == "14m05s");
  CHECK(Progress::format_duration(3725) == "1h02m");
  CHECK(Progress::format_duration(-1) == "?");
}

TEST_CASE("espbench train and bench-train: one-line errors, a summary line", "[train][cli]") {
  TempDir dir;
  const std::string bin = test::espbench_binary();
  auto require_clean_error = [&](const std::string& args, const std::string& must_contain) {
    CAPTURE(args);
    auto [code, out] = test::run_command(bin + " " + args);
    CAPTURE(out);
    REQUIRE(code != 0);
    REQUIRE(out.find(must_contain) != std::string::npos);
    REQUIRE(out.find("Exception raised from") == std::string::npos);
    REQUIRE(std::count(out.begin(), out.end(), '\n') <= 1);
  };
  const std::string out = " --out " + (dir / "x");
  require_clean_error("train espnetv2 --data nosuchset" + out, "valid names are fashion-mnist");
  require_clean_error("train espnetv2 --epochs -1" + out, "train.epochs: invalid value -1");
  require_clean_error("train espnetv2 --set nosuchoption=1" + out, "unknown option 'nosuchoption'");
  require_clean_error("train" + out, "no model given");
  require_clean_error("train espnetv2 --threads 0" + out, "--threads");
  require_clean_error("train espnetv2 --lr-schedule linear" + out, "train.schedule");
  require_clean_error("train --config " + (dir / "missing.json") + out, "missing.json");
  require_clean_error("bench-train espnetv2 --steps 0 --data synthetic --threads 1", "--steps");
  REQUIRE_FALSE(fs::exists(dir / "x"));

  {
    std::ofstream f(dir / "run.json");
    json j = tiny_config(1);
    j["data"]["synthetic_train"] = 64;
    j["data"]["synthetic_test"] = 32;
    f << j.dump();
  }
  auto [code, text] = test::run_command(bin + " train --config " + (dir / "run.json") +
                                        " --lr-schedule constant --quiet" + out);
  CAPTURE(text);
  REQUIRE(code == 0);
  REQUIRE(std::count(text.begin(), text.end(), '\n') == 1);
  REQUIRE(text.find("done: espnetv2 on synthetic, 1/1 epochs") != std::string::npos);
  json r = load_json_file(dir / "x/report.json");
  REQUIRE(r["config"]["train"]["schedule"] == "constant");
  require_valid_report(r);

  auto [bcode, btext] = test::run_command(bin + " bench-train espnetv2 --set scale=0.5 --data synthetic " +
                                          "--batch-size 16 --steps 2 --warmup 0 --window 1 --threads 1");
  CAPTURE(btext);
  REQUIRE(bcode == 0);
  REQUIRE(btext.find("images/s   median") != std::string::npos);
  REQUIRE(btext.find("conv MACs") != std::string::npos);
}
