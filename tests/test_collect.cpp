// collect / report / plot as a specification, on hand-written reports: unknown fields are ignored,
// missing and broken reports tolerated, seeds averaged, labels name what varies, the Pareto front
// is right.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "harness/plot/plot.h"
#include "harness/report/collect.h"
#include "harness/report/tables.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
namespace fs = std::filesystem;

namespace {

using test::put;

json fake_report(const std::string& id, const std::string& model, const json& options, int64_t seed,
                 double top1, int64_t macs) {
  return {{"run_id", id},
          {"status", "done"},
          {"something_new", {{"ignored", true}}},
          {"config",
           {{"model", {{"name", model}, {"options", options}}},
            {"data", {{"name", "fashion-mnist"}, {"root", "/x"}}},
            {"train", {{"epochs", 2}, {"workers", 1}}},
            {"runtime", {{"seed", seed}, {"threads", 2}}}}},
          {"model",
           {{"family", model}, {"params", macs / 10}, {"macs", {{"conv", macs - 100}, {"linear", 100}}}}},
          {"epochs",
           {{{"epoch", 0}, {"test_top1", top1 - 5}, {"train_loss", 1.0}, {"images_per_s", 100.0}},
            {{"epoch", 1}, {"test_top1", top1}, {"train_loss", 0.5}, {"images_per_s", 300.0}}}},
          {"final", {{"test_top1", top1}, {"best_test_top1", top1}, {"test_top5", 99.0}}},
          {"wall_time_s", 60.0}};
}

}  // namespace

TEST_CASE("collect joins reports, tolerates partial runs, and labels what varies", "[collect]") {
  test::TempDir tmp("espbench_collect");
  const fs::path sweep = tmp.path / "frontier";
  put(sweep / "a1/report.json",
      fake_report("a1", "espnetv2", {{"scale", 0.5}, {"block", "eesp"}}, 1, 80, 1000).dump());
  put(sweep / "a2/report.json",
      fake_report("a2", "espnetv2", {{"scale", 0.5}, {"block", "eesp"}}, 2, 82, 1000).dump());
  put(sweep / "b1/report.json",
      fake_report("b1", "espnetv2", {{"scale", 1.0}, {"block", "eesp"}}, 1, 85, 3000).dump());
  put(sweep / "c1/report.json",
      fake_report("c1", "mobilenet_v2", {{"width", 0.5}, {"small_input", true}}, 1, 83, 2000).dump());
  put(sweep / "d1/status.json", R"({"status": "pending"})");
  put(sweep / "e1/report.json", "{\"status\": \"runn");  // torn write (never happens: writes are atomic)
  put(sweep / "plots/unrelated.txt", "x");

  const auto runs = report::find_runs(sweep.string());
  REQUIRE(runs.size() == 6);
  const json rows = report::make_rows(runs);
  REQUIRE(rows[0]["label"] == "espnetv2 scale=0.5");
  REQUIRE(rows[1]["group"] == rows[0]["group"]);
  REQUIRE(rows[2]["label"] == "espnetv2 scale=1");
  REQUIRE(rows[3]["label"] == "mobilenet_v2 width=0.5");  // small_input does not vary among mobilenets
  REQUIRE(rows[0]["macs"] == 1000);
  REQUIRE(rows[0]["images_per_s"] == 200.0);
  REQUIRE(rows[4]["status"] == "pending");
  REQUIRE(rows[4]["test_top1"].is_null());
  REQUIRE(rows[5]["status"] == "unreadable");

  // The same from the output root.
  REQUIRE(report::find_runs(tmp.path.string()).size() == 6);
  REQUIRE_THROWS_WITH(report::find_runs((tmp.path / "frontier/plots").string()),
                      Catch::Contains("holds no runs"));

  const json groups = report::group_rows(rows);
  REQUIRE(groups.size() == 5);
  const json& g = *std::find_if(groups.begin(), groups.end(),
                                [](const json& x) { return x["label"] == "espnetv2 scale=0.5"; });
  REQUIRE(g["runs"] == 2);
  REQUIRE(g["seeds"] == json::array({1, 2}));
  REQUIRE(g["test_top1"]["mean"].get<double>() == Approx(81.0));
  REQUIRE(g["test_top1"]["std"].get<double>() == Approx(std::sqrt(2.0)));
  const std::string md = report::format_table(groups, true);
  REQUIRE(md.find("| frontier | espnetv2 scale=0.5 | 2 | 100 | 1.0k | 81.00 &plusmn; 1.41 |") !=
          std::string::npos);
  const std::string console = report::format_table(groups, false);
  REQUIRE(console.find("81.00 +- 1.41") != std::string::npos);

  report::write_collect(sweep.string(), rows);
  std::ifstream csv(sweep / "collect.csv");
  std::string header;
  std::getline(csv, header);
  REQUIRE(header.rfind("sweep,run_id,status,model,family,label,group,seed", 0) == 0);

  SECTION("plot data: families joined in width order, Pareto front, numbers; latency skipped") {
    const auto plots = plot::plot_dir(sweep.string(), plot::PlotOptions{false});
    REQUIRE(plots.size() == 1);
    std::ifstream dat(sweep / "plots/acc_vs_macs.dat");
    std::stringstream ss;
    ss << dat.rdbuf();
    const std::string d = ss.str();
    // x xlow xhigh y ylow yhigh (mean, min, max over seeds), the config's number, its dodge factor.
    REQUIRE(
        d.find(
            "# layer - family espnetv2\n1000 1000 1000 81.000000 80.000000 82.000000 1 1.000000\n3000 3000 "
            "3000 85.000000 85.000000 85.000000 2 1.000000\n") != std::string::npos);
    REQUIRE(d.find("# Pareto front: no other config is cheaper and at least as accurate\n1000 81.000000 1 "
                   "1.000000\n2000 83.000000 3 1.000000\n3000 85.000000 2 1.000000\n") != std::string::npos);
    REQUIRE(plots[0].notes.size() == 1);
    REQUIRE_THAT(plots[0].notes[0], Catch::Contains("acc_vs_latency: skipped"));
  }
}

TEST_CASE("labels: an empty options object sets nothing, so only the options a run sets name it",
          "[collect]") {
  test::TempDir tmp("espbench_collect");
  const fs::path sweep = tmp.path / "blocks";
  put(sweep / "e/report.json",
      fake_report("e", "espnetv2", {{"block", "eesp"}, {"block_options", json::object()}}, 1, 91, 1000)
          .dump());
  put(sweep / "p/report.json",
      fake_report("p", "espnetv2", {{"block", "esp"}, {"block_options", {{"dilations", "r_lim"}}}}, 1, 90,
                  5000)
          .dump());
  const json rows = report::make_rows(report::find_runs(sweep.string()));
  REQUIRE(rows[0]["label"] == "block=eesp");
  REQUIRE(rows[1]["label"] == "block=esp dilations=r_lim");
}

TEST_CASE("labels: what a run measures once trained does not tell runs apart", "[collect]") {
  // A run reused from a sweep that times its models carries a measure block the others lack.
  test::TempDir tmp("espbench_collect");
  const fs::path sweep = tmp.path / "schedules";
  json timed = fake_report("c", "espnetv2", json::object(), 1, 91, 1000);
  timed["config"]["train"]["schedule"] = "cyclic";
  timed["config"]["measure"] = {{"latency", {{"threads", 1}, {"samples", 200}}}};
  json untimed = fake_report("d", "espnetv2", json::object(), 2, 92, 1000);
  untimed["config"]["train"]["schedule"] = "cyclic";
  json step = fake_report("s", "espnetv2", json::object(), 1, 90, 1000);
  step["config"]["train"]["schedule"] = "step";
  put(sweep / "c/report.json", timed.dump());
  put(sweep / "d/report.json", untimed.dump());
  put(sweep / "s/report.json", step.dump());
  const json rows = report::make_rows(report::find_runs(sweep.string()));
  REQUIRE(rows[0]["label"] == "schedule=cyclic");
  REQUIRE(rows[1]["group"] == rows[0]["group"]);
  REQUIRE(rows[2]["label"] == "schedule=step");
}

TEST_CASE("labels: a setting with one value per model is implied by the model", "[collect]") {
  test::TempDir tmp("espbench_collect");
  const fs::path sweep = tmp.path / "frontier";
  auto with_lr = [](json r, double lr) {
    r["config"]["train"]["lr_base"] = lr;
    return r;
  };
  put(sweep / "a/report.json",
      with_lr(fake_report("a", "espnetv2", {{"scale", 0.5}}, 1, 88, 1000), 0.05).dump());
  put(sweep / "b/report.json",
      with_lr(fake_report("b", "espnetv2", {{"scale", 1.0}}, 1, 90, 3000), 0.05).dump());
  put(sweep / "c/report.json",
      with_lr(fake_report("c", "mobilenet_v1", {{"width", 0.5}}, 1, 89, 2000), 0.1).dump());
  json rows = report::make_rows(report::find_runs(sweep.string()));
  REQUIRE(rows[0]["label"] == "espnetv2 scale=0.5");
  REQUIRE(rows[2]["label"] == "mobilenet_v1 width=0.5");
  REQUIRE(rows[2]["series"] == "mobilenet_v1");

  // Once one model runs at two rates, the rate tells its runs apart and every label shows it.
  put(sweep / "d/report.json",
      with_lr(fake_report("d", "mobilenet_v1", {{"width", 0.5}}, 1, 87, 2000), 0.2).dump());
  rows = report::make_rows(report::find_runs(sweep.string()));
  REQUIRE(rows[0]["label"] == "espnetv2 scale=0.5 lr_base=0.05");
  REQUIRE(rows[3]["label"] == "mobilenet_v1 width=0.5 lr_base=0.2");
  REQUIRE(rows[3]["group"] != rows[2]["group"]);
}

TEST_CASE("the Pareto front keeps the points no cheaper point matches", "[collect]") {
  const std::vector<std::pair<double, double>> pts = {{10, 70}, {5, 72}, {20, 71},
                                                      {30, 80}, {5, 60}, {40, 80}};
  REQUIRE(plot::pareto_front(pts) == std::vector<size_t>{1, 3});
  REQUIRE(report::latency_ms_of(json{{"latency", {{"median_ms", 1.5}}}}) == 1.5);
  REQUIRE(report::latency_ms_of(json{{"latency", 2.0}}) == 2.0);
  REQUIRE(report::latency_ms_of(json{{"x", 1}}).is_null());
}
