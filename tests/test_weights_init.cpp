// The initial weights of a training run: `train --weights FILE`, the run config's "init" section
// (harness/weights/init.h): the file's SHA-256 in the resolved config and the run id, errors naming
// the key, and the weights loaded before the first step.
#include <catch2/catch.hpp>

#include "harness/report/atomic_file.h"
#include "harness/report/schema_check.h"
#include "harness/train/run_config.h"
#include "harness/train/trainer.h"
#include "harness/weights/sha256.h"
#include "tests/pth_writer.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::weights;
using test::error_of;

TEST_CASE(
    "train with initial weights: the file's SHA-256 in the config and the run id, loaded before training",
    "[weights][train]") {
  test::TempDir dir("espbench_init");
  json cfg = test::synthetic_run();
  cfg["train"]["checkpoint"] = false;
  const train::RunConfig scratch = train::resolve_run_config(cfg, "run.json");
  auto source = build_model(resolve_model(scratch.model));
  test::randomize_inference_state(*source, 11);
  const std::string bytes = test::zip_pth(test::named_state(*source));
  write_file_atomic(dir / "w.pth", bytes);
  write_file_atomic(dir / "copy.pth", bytes);
  cfg["init"] = {{"weights", dir / "w.pth"}};
  const train::RunConfig a = train::resolve_run_config(cfg, "run.json");
  REQUIRE(a.init.sha256 == sha256_hex(bytes));
  REQUIRE(train::to_json(a)["init"]["sha256"] == a.init.sha256);
  REQUIRE(!train::to_json(scratch).contains("init"));
  REQUIRE(train::run_id(a) != train::run_id(scratch));
  REQUIRE(train::run_id(train::resolve_run_config(train::to_json(a), "again")) == train::run_id(a));
  cfg["init"]["weights"] = dir / "copy.pth";  // the same bytes elsewhere: the same experiment
  REQUIRE(train::run_id(train::resolve_run_config(cfg, "run.json")) == train::run_id(a));
  // Errors name the source and the key.
  cfg["init"]["sha256"] = std::string(64, '0');
  REQUIRE(error_of([&] { train::resolve_run_config(cfg, "run.json"); }).find("run.json: init.sha256") == 0);
  cfg["init"] = {{"weights", dir / "none.pth"}};
  REQUIRE(error_of([&] { train::resolve_run_config(cfg, "run.json"); }).find("run.json: init.weights") == 0);
  cfg["init"] = {{"weights", dir / "w.pth"}, {"allow_mising", true}};
  REQUIRE(error_of([&] {
            train::resolve_run_config(cfg, "run.json");
          }).find("init.allow_mising: unknown key") != std::string::npos);
  // A run from the weights: every tensor of the file loaded before the first step.
  train::TrainOptions quiet;
  quiet.progress.mode = train::ProgressOptions::Mode::Quiet;
  const json report = train::train_run(a, dir / "run", quiet);
  CAPTURE(report.dump().substr(0, 2000));
  REQUIRE(report["status"] == "done");
  REQUIRE(report["model"]["init"]["loaded"] == static_cast<int64_t>(test::named_state(*source).size()));
  REQUIRE(report["config"]["init"]["sha256"] == a.init.sha256);
  // The report, its init sections included, matches the report schema; a damaged init does not.
  const json schema =
      train::load_json_file(std::string(ESPBENCH_SOURCE_DIR) + "/harness/report/report.schema.json");
  CAPTURE(schema_errors(schema, report));
  REQUIRE(schema_errors(schema, report).empty());
  json bad = report;
  bad["config"]["init"]["sha256"] = "not-a-digest";
  bad["config"]["init"]["allow_mising"] = true;
  bad["model"]["init"].erase("loaded");
  const auto errors = schema_errors(schema, bad);
  CAPTURE(errors);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == "$.config.init.sha256: \"not-a-digest\" does not match ^[0-9a-f]{64}$");
  CHECK(errors[1] == "$.config.init: unexpected key 'allow_mising'");
  CHECK(errors[2] == "$.model.init: missing required key 'loaded'");
}

TEST_CASE("train --weights: a file that cannot be read fails the run config, one line", "[weights][cli]") {
  auto [code, out] = test::run_command(
      test::espbench_binary() +
      " train espnetv2 --data synthetic --out /nonexistent/run --weights /nonexistent/w.pth");
  CAPTURE(out);
  REQUIRE(code == 2);
  REQUIRE(std::count(out.begin(), out.end(), '\n') == 1);
  REQUIRE(out.find("init.weights: cannot read weights '/nonexistent/w.pth'") != std::string::npos);
}
