// The recipe's learning rate at any batch size, and `espbench schedule`, which shows a schedule
// before training with it.
#include <catch2/catch.hpp>
#include <filesystem>

#include "harness/train/run_config.h"
#include "harness/train/schedule.h"
#include "harness/train/schedule_table.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::train;

namespace {

RunConfig resolve_with(const json& train) {
  const json config = {
      {"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}, {"small_input", true}}}}},
      {"data", {{"name", "synthetic"}, {"synthetic_train", 64}, {"synthetic_test", 16}}},
      {"train", train}};
  return resolve_run_config(config, "lr.json");
}

}  // namespace

TEST_CASE("the lr scales linearly with batch/512 from the paper's 0.1 unless given", "[schedule][lr]") {
  for (const int64_t batch : {32, 128, 256, 512, 1024}) {
    const RunConfig c = resolve_with({{"batch_size", batch}});
    INFO("batch " << batch);
    REQUIRE(c.train.lr == Approx(0.1 * static_cast<double>(batch) / 512.0));
    REQUIRE_FALSE(c.train.lr_given);
    const json rule = lr_rule(c.train);
    REQUIRE(rule["rule"] == "linear");
    REQUIRE(rule["lr_base"] == 0.1);
    REQUIRE(rule["lr_base_batch_size"] == 512);
    // The stored config keeps the rule, not a number, so it resolves to the same run.
    REQUIRE(to_json(c)["train"]["lr"].is_null());
    REQUIRE(run_id(resolve_run_config(to_json(c), "again")) == run_id(c));
  }
  SECTION("a given lr wins and is recorded as given") {
    const RunConfig c = resolve_with({{"batch_size", 128}, {"lr", 0.07}});
    REQUIRE(c.train.lr == 0.07);
    REQUIRE(lr_rule(c.train)["rule"] == "given");
    REQUIRE(to_json(c)["train"]["lr"] == 0.07);
    REQUIRE(run_id(c) != run_id(resolve_with({{"batch_size", 128}})));
  }
  SECTION("other rules and bases") {
    REQUIRE(resolve_with({{"batch_size", 128}, {"lr_base_scale", "sqrt"}}).train.lr == Approx(0.05));
    REQUIRE(resolve_with({{"batch_size", 128}, {"lr_base_scale", "none"}}).train.lr == Approx(0.1));
    REQUIRE(resolve_with({{"batch_size", 64}, {"lr_base", 0.4}, {"lr_base_batch_size", 256}}).train.lr ==
            Approx(0.1));
    REQUIRE_THROWS_WITH(resolve_with({{"lr_base_scale", "square"}}),
                        Catch::Contains("lr_base_scale") && Catch::Contains("linear, sqrt, none"));
  }
}

TEST_CASE("schedule_table gives every step's lr as train would use it", "[schedule][lr]") {
  ScheduleQuery q;
  q.name = "cyclic";
  q.epochs = 2;
  q.batch_size = 128;
  const json t = schedule_table(q);
  REQUIRE(t["steps_per_epoch"] == 469);  // 60,000 / 128, rounded up
  REQUIRE(t["steps"] == 938);
  REQUIRE(t["per_step"].size() == 938);
  REQUIRE(t["lr_rule"]["lr"] == Approx(0.025));
  const LRSchedule s = make_schedule("cyclic", json::object(), 0.025, 2);
  for (int64_t i = 0; i < 938; i += 37) REQUIRE(t["per_step"][i].get<double>() == s.lr_at(i, 938));
  REQUIRE(t["per_epoch"][1]["lr_start"] == t["per_step"][469]);
  REQUIRE(t["per_epoch"][0]["lr_max"] == Approx(0.125));
  const std::string text = format_schedule_table(t, false);
  REQUIRE(text.find("scaled (linear) to batch 128") != std::string::npos);

  q.epochs = 0;
  REQUIRE_THROWS_WITH(schedule_table(q), Catch::Contains("--epochs") && Catch::Contains(">= 1"));
}

TEST_CASE("espbench schedule prints, plots and rejects bad input in one line", "[schedule][cli]") {
  const std::string bin = test::espbench_binary();
  auto [code, out] = test::run_command(bin + " schedule cosine --epochs 3 --steps-per-epoch 4 --json");
  REQUIRE(code == 0);
  REQUIRE(json::parse(out)["per_step"].size() == 12);
  test::TempDir tmp;
  const std::string svg = (tmp.path / "lr.svg").string();
  auto [pcode, pout] = test::run_command(bin + " schedule cyclic --epochs 4 --plot " + svg);
  CAPTURE(pout);
  REQUIRE(pcode == 0);
  REQUIRE(std::filesystem::file_size(svg) > 1000);
  for (const char* args : {"schedule cyclic --epochs 0", "schedule cyclc", "schedule cyclic --set cycle=3"}) {
    auto [c, o] = test::run_command(bin + " " + args);
    CAPTURE(args, o);
    REQUIRE(c == 2);
    REQUIRE(std::count(o.begin(), o.end(), '\n') <= 1);
  }
}
