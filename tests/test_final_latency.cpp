// measure.latency in a run config: checked like every other key, left out of the run id, and
// measured once on the trained model after the last epoch (harness/train/final_latency.h); a
// finished run that is resumed keeps its measurement; a path that cannot run is recorded, not fatal.
#include <catch2/catch.hpp>
#include <filesystem>

#include "harness/report/collect.h"
#include "harness/report/schema_check.h"
#include "harness/train/run_config.h"
#include "harness/train/trainer.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::train;

namespace {

// One epoch of ESPNetv2 s=0.5 on 64 synthetic 1x16x16 images: a second of training.
json tiny(const json& measure) {
  json j = test::synthetic_run();
  j["runtime"]["seed"] = 3;
  if (!measure.is_null()) j["measure"] = measure;
  return j;
}

TrainOptions quiet() {
  TrainOptions o;
  o.progress.mode = ProgressOptions::Mode::Quiet;
  return o;
}

}  // namespace

TEST_CASE("measure.latency: resolved with defaults, errors name the key, not part of the run id",
          "[final_latency]") {
  const RunConfig plain = resolve_run_config(tiny(json()), "t.json");
  const RunConfig measured = resolve_run_config(tiny({{"latency", json::object()}}), "t.json");
  REQUIRE(plain.measure.empty());
  REQUIRE(measured.measure.latency.has_value());
  REQUIRE(run_id(plain) == run_id(measured));
  REQUIRE_FALSE(to_json(plain).contains("measure"));
  REQUIRE(to_json(measured)["measure"] ==
          json::parse(R"({"latency": {"threads": 1, "batch": 1, "paths": ["plain", "fast"], "samples": 100,
                                      "warmup_s": 0.5, "max_cv": 0.25, "quiet": true}})"));
  // The resolved form resolves to itself.
  REQUIRE(to_json(resolve_run_config(to_json(measured), "again")) == to_json(measured));

  auto error = [](const json& measure) {
    return test::error_of([&] { resolve_run_config(tiny(measure), "t.json"); });
  };
  REQUIRE(error({{"latncy", json::object()}}) ==
          "t.json: measure.latncy: unknown key (did you mean 'latency'?); valid keys: latency");
  REQUIRE(error({{"latency", {{"thread", 2}}}}) ==
          "t.json: measure.latency.thread: unknown key (did you mean 'threads'?); valid keys: threads, "
          "batch, paths, "
          "samples, warmup_s, max_cv, quiet");
  REQUIRE_THAT(error({{"latency", {{"threads", 0}}}}),
               Catch::StartsWith("t.json: measure.latency.threads: invalid value 0"));
  REQUIRE_THAT(error({{"latency", {{"paths", {"plain", "quick"}}}}}),
               Catch::StartsWith(
                   "t.json: measure.latency.paths[1]: unknown path \"quick\"; expected a non-empty list"));
  REQUIRE_THAT(error({{"latency", {{"paths", {"fast=fold_bn,warp"}}}}}),
               Catch::Contains("unknown part 'warp'"));
  REQUIRE(error({{"latency", {{"paths", {"fast", "fast"}}}}}) ==
          "t.json: measure.latency.paths[1]: \"fast\" is listed twice");
  REQUIRE_THAT(error({{"latency", true}}),
               Catch::StartsWith("t.json: measure.latency: expected a JSON object"));
}

TEST_CASE("the trained model's latency is measured once, after the last epoch", "[final_latency]") {
  test::TempDir dir("espbench_final_latency");
  const json measure = {
      {"latency", {{"samples", 12}, {"warmup_s", 0.02}, {"paths", {"fast", "plain", "fast=eesp_kernel"}}}}};
  const RunConfig cfg = resolve_run_config(tiny(measure), "t.json");
  const json report = train_run(cfg, dir.path.string(), quiet());
  REQUIRE(report["status"] == "done");
  const json& l = report["latency"];
  CAPTURE(l.dump(2));
  REQUIRE(l["primary"] == "fast");
  REQUIRE(l["input"] == json::array({1, 1, 16, 16}));
  REQUIRE(l["settings"]["samples"] == 12);
  REQUIRE(l["paths"]["fast"]["samples"] == 12);
  REQUIRE(l["paths"]["fast"]["threads"] == 1);
  REQUIRE(l["paths"]["fast"]["inference"]["fast_applied"].size() >= 2);
  REQUIRE(l["paths"]["plain"]["inference"]["fast_applied"].empty());
  REQUIRE(l["p50_ms"] == l["paths"]["fast"]["p50_ms"]);
  REQUIRE(l["p50_ms"].get<double>() > 0);
  REQUIRE(report::latency_ms_of(report) == l["p50_ms"]);
  for (const auto& [path, p] : l["paths"].items()) {
    const int attempts = p["attempts"].get<int>();
    REQUIRE((attempts >= 1 && attempts <= 3));
    REQUIRE((attempts == 3 || p["valid"].get<bool>()));  // timed again only while not valid
  }
  REQUIRE((l["load_average_1m"].is_null() || l["load_average_1m"].get<double>() >= 0));
  // The machine's other espbench steps paused while it was timed (quiet, the default).
  REQUIRE(l["settings"]["quiet"] == true);
  REQUIRE(l["quiet"]["paused_others"] == true);
  // fast=PARTS: exactly the parts named (ESPNetv2's blocks are EESP, so eesp_kernel applies).
  REQUIRE(l["paths"]["fast=eesp_kernel"]["inference"]["fast_applied"] == json::array({"eesp_kernel"}));
  const json schema = train::load_json_file(test::source_dir() + "/harness/report/report.schema.json");
  REQUIRE(schema_errors(schema, report).empty());

  // Resumed when finished: nothing is retrained or re-measured.
  const json again = train_run(cfg, dir.path.string(), quiet());
  REQUIRE(again["latency"] == l);
  // Other settings: measured anew, without retraining (the epochs are those of the first session).
  json other = measure;
  other["latency"]["paths"] = {"plain"};
  const json third = train_run(resolve_run_config(tiny(other), "t.json"), dir.path.string(), quiet());
  REQUIRE(third["epochs"] == report["epochs"]);
  REQUIRE(third["latency"]["primary"] == "plain");
  REQUIRE_FALSE(third["latency"]["paths"].contains("fast"));
  // quiet off: timed without a window, and the block says nothing of one.
  other["latency"]["quiet"] = false;
  const json loud = train_run(resolve_run_config(tiny(other), "t.json"), dir.path.string(), quiet());
  REQUIRE(loud["latency"]["settings"]["quiet"] == false);
  REQUIRE_FALSE(loud["latency"].contains("quiet"));
  other["latency"].erase("quiet");
  // A spread no timing meets (max_cv near 0): three timings, the kept one flagged not valid.
  other["latency"]["max_cv"] = 1e-6;
  const json noisy = train_run(resolve_run_config(tiny(other), "t.json"), dir.path.string(), quiet());
  REQUIRE(noisy["latency"]["paths"]["plain"]["attempts"] == 3);
  REQUIRE(noisy["latency"]["paths"]["plain"]["valid"] == false);
  REQUIRE(schema_errors(schema, noisy).empty());
}

TEST_CASE("a latency path that cannot run is recorded with its reason; the run stays done",
          "[final_latency]") {
  test::TempDir dir("espbench_final_latency");
  json j = tiny({{"latency", {{"samples", 5}, {"warmup_s", 0.0}, {"paths", {"plain", "fast=eesp_kernel"}}}}});
  j["model"] = {{"name", "mobilenet_v2"}, {"options", {{"width", 0.35}, {"small_input", true}}}};
  const json report = train_run(resolve_run_config(j, "t.json"), dir.path.string(), quiet());
  REQUIRE(report["status"] == "done");
  REQUIRE(report["latency"]["paths"]["plain"]["p50_ms"].get<double>() > 0);
  REQUIRE_THAT(report["latency"]["paths"]["fast=eesp_kernel"]["error"].get<std::string>(),
               Catch::Contains("part 'eesp_kernel' has no effect on model 'mobilenet_v2'"));
  REQUIRE(report["latency"]["p50_ms"] == report["latency"]["paths"]["plain"]["p50_ms"]);
}
