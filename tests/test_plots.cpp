// The plots as data, on hand-written reports: one colour per config, seeds aggregated (mean and
// min-max), the number of seeds in the axis titles, integer epoch tics, number labels that never
// overlap, the Pareto front, accuracy against measured latency per path, bad latency blocks named.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "harness/plot/gnuplot.h"
#include "harness/plot/label_place.h"
#include "harness/plot/plot.h"
#include "harness/plot/style.h"
#include "harness/report/latency_block.h"
#include "tests/test_support.h"

using namespace espbench;
namespace fs = std::filesystem;

namespace {

using test::put;

json latency_block(double plain_ms, double fast_ms) {
  auto path = [](double ms, bool fast) {
    return json{
        {"p50_ms", ms},  {"p90_ms", ms * 1.1},
        {"cv", 0.05},    {"samples", 100},
        {"threads", 1},  {"batch", 1},
        {"valid", true}, {"inference", {{"fast_applied", fast ? json::array({"fold_bn"}) : json::array()}}}};
  };
  return {{"when", "after the last epoch, trained weights"},
          {"settings", {{"threads", 1}, {"batch", 1}, {"paths", {"plain", "fast"}}, {"samples", 100}}},
          {"input", {1, 1, 28, 28}},
          {"device", "cpu"},
          {"cpu_model", "Test CPU"},
          {"primary", "plain"},
          {"p50_ms", plain_ms},
          {"seconds", 1.0},
          {"paths", {{"plain", path(plain_ms, false)}, {"fast", path(fast_ms, true)}}}};
}

// A run of `model` with option `key`=`value`: three epochs ending at `top1`.
json run_report(const std::string& id, const std::string& model, const std::string& key, const json& value,
                int64_t seed, double top1, int64_t macs, const json& latency = json()) {
  json r = {
      {"run_id", id},
      {"status", "done"},
      {"config",
       {{"model", {{"name", model}, {"options", {{key, value}}}}},
        {"data", {{"name", "fashion-mnist"}}},
        {"train", {{"epochs", 3}}},
        {"runtime", {{"seed", seed}}}}},
      {"model", {{"family", model}, {"params", macs / 10}, {"macs", {{"conv", macs - 10}, {"linear", 10}}}}},
      {"epochs",
       {{{"epoch", 0}, {"test_top1", top1 - 10}, {"train_loss", 1.5}},
        {{"epoch", 1}, {"test_top1", top1 - 4}, {"train_loss", 1.0}},
        {{"epoch", 2}, {"test_top1", top1}, {"train_loss", 0.5 + seed * 0.01}}}},
      {"final", {{"test_top1", top1}, {"best_test_top1", top1}}},
      {"wall_time_s", 30.0}};
  if (!latency.is_null()) r["latency"] = latency;
  return r;
}

// The blocks sweep in small: three blocks, three seeds each, with latency.
fs::path blocks_sweep(const fs::path& root) {
  const fs::path sweep = root / "blocks";
  const std::vector<std::tuple<std::string, double, int64_t, double>> blocks = {
      {"eesp", 81.0, 5880000, 0.40}, {"eesp_a", 81.2, 5880000, 0.55}, {"esp", 78.8, 37000000, 0.90}};
  for (const auto& [block, top1, macs, fast_ms] : blocks)
    for (int64_t seed = 1; seed <= 3; ++seed)
      put(sweep / (block + std::to_string(seed)) / "report.json",
          run_report(block + std::to_string(seed), "espnetv2", "block", block, seed, top1 + 0.5 * (seed - 2),
                     macs, latency_block(3.0 + fast_ms + seed * 0.01, fast_ms + seed * 0.01))
              .dump());
  return sweep;
}

std::string slurp(const fs::path& p) { return test::read_text(p.string()); }

struct ScreenLabel {
  std::string text;
  double x, y;
};

// The number labels a scatter script places ("set label "3" at screen x,y center").
std::vector<ScreenLabel> number_labels(const std::string& gp) {
  std::vector<ScreenLabel> out;
  const std::regex re("set label \"([0-9]+)\" at screen ([0-9.]+),([0-9.]+) center");
  for (auto it = std::sregex_iterator(gp.begin(), gp.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back(
        {(*it)[1], std::stod((*it)[2]) * plot::kCanvasWidth, std::stod((*it)[3]) * plot::kCanvasHeight});
  return out;
}

}  // namespace

TEST_CASE("labels are placed beside their points and never overlap", "[plot]") {
  const plot::Box area{0, 0, 600, 500};
  SECTION("a lone point gets its label right beside it, no leader") {
    const auto at = plot::place_labels({{100, 100, 14, 13}}, {{{95, 95, 105, 105}, true}}, area);
    REQUIRE(at.size() == 1);
    REQUIRE_FALSE(at[0].leader);
    REQUIRE(at[0].box.x0 > 105);  // right of the marker
    REQUIRE(std::abs((at[0].box.y0 + at[0].box.y1) / 2 - 100) < 1e-9);
  }
  SECTION("thirty points on one spot, and a crowded corner: all inside, none overlapping") {
    std::vector<plot::LabelRequest> req;
    std::vector<plot::Obstacle> obstacles;
    for (int i = 0; i < 30; ++i) {
      const double x = i < 20 ? 300 + (i % 3) : 590 - i % 2, y = i < 20 ? 250 : 490 - (i % 4);
      req.push_back({x, y, i < 9 ? 10.5 : 17.0, 13});
      obstacles.push_back({{x - 5, y - 5, x + 5, y + 5}, true});
      obstacles.push_back({{x - 3, y - 40, x + 3, y + 40}, false});
    }
    const auto at = plot::place_labels(req, obstacles, area);
    REQUIRE(at.size() == req.size());
    for (size_t i = 0; i < at.size(); ++i) {
      CAPTURE(i);
      REQUIRE(at[i].box.inside(area));
      REQUIRE(std::abs((at[i].box.x1 - at[i].box.x0) - req[i].w) < 1e-9);
      for (size_t j = 0; j < i; ++j) REQUIRE_FALSE(at[i].box.overlaps(at[j].box));
      for (const auto& o : obstacles)
        if (o.hard) REQUIRE_FALSE(at[i].box.overlaps(o.box));
    }
    REQUIRE(std::count_if(at.begin(), at.end(), [](const plot::Placement& p) { return p.leader; }) > 0);
  }
}

TEST_CASE("the Pareto front on hand-made points, ties and duplicates included", "[plot]") {
  using P = std::vector<std::pair<double, double>>;
  REQUIRE(plot::pareto_front(P{{10, 70}, {5, 72}, {20, 71}, {30, 80}, {5, 60}, {40, 80}}) ==
          std::vector<size_t>{1, 3});
  // Equal cost: only the more accurate; equal accuracy at a higher cost: not on the front.
  REQUIRE(plot::pareto_front(P{{1, 50}, {1, 55}, {2, 55}, {3, 56}}) == std::vector<size_t>{1, 3});
  REQUIRE(plot::pareto_front(P{{4, 60}}) == std::vector<size_t>{0});
  REQUIRE(plot::pareto_front(P{}).empty());
  // Latency as the cost: the fastest, then each faster-but-better step.
  REQUIRE(plot::pareto_front(P{{0.9, 78.8}, {0.4, 81.0}, {0.55, 81.2}}) == std::vector<size_t>{1, 2});
}

TEST_CASE("tics: integer epoch steps and 1-2-5 log tics", "[plot]") {
  REQUIRE(plot::integer_tic_step(1) == 1);
  REQUIRE(plot::integer_tic_step(8) == 1);
  REQUIRE(plot::integer_tic_step(11) == 1);
  REQUIRE(plot::integer_tic_step(30) == 5);
  REQUIRE(plot::integer_tic_step(300) == 50);
  // The top end would be bare over a factor 2.25: one more tic, at the nicest value below it.
  REQUIRE(plot::log_tics(1.5e6, 4.5e7, plot::short_number) ==
          "(\"2M\" 2000000, \"5M\" 5000000, \"10M\" 10000000, "
          "\"20M\" 20000000, \"40M\" 40000000)");
  REQUIRE(plot::log_tics(0.45, 4.2, plot::short_number) == "(\"0.5\" 0.5, \"1\" 1, \"2\" 2, \"4\" 4)");
  REQUIRE(plot::log_tics(1.2, 30, plot::short_number) == "(\"2\" 2, \"5\" 5, \"10\" 10, \"20\" 20)");
  // Less than a decade: finer mantissas so that at least three tics show.
  REQUIRE(plot::log_tics(0.3, 0.9, plot::short_number) == "(\"0.3\" 0.3, \"0.5\" 0.5, \"0.7\" 0.7)");
  REQUIRE(plot::seeds_phrase({3, 3}) == "3 seeds");
  REQUIRE(plot::seeds_phrase({1}) == "one seed");
  REQUIRE(plot::seeds_phrase({1, 3}) == "1-3 seeds");
}

TEST_CASE("plot: one colour per config, seeds as mean and min-max, numbered labels, latency per path",
          "[plot]") {
  test::TempDir tmp("espbench_plots");
  const fs::path sweep = blocks_sweep(tmp.path);
  put(sweep / "plots/acc_vs_latency.svg", "<svg/>");  // an older plot's picture: removed
  const auto plots = plot::plot_dir(sweep.string(), plot::PlotOptions{false});
  REQUIRE(plots.size() == 1);
  CAPTURE(plots[0].notes);
  REQUIRE(plots[0].notes.empty());
  REQUIRE_FALSE(fs::exists(sweep / "plots/acc_vs_latency.svg"));

  SECTION("curves: a mean line and a band per config, its colour used by nothing else; integer epochs") {
    const std::string gp = slurp(sweep / "plots/curves.gp"), dat = slurp(sweep / "plots/curves.dat");
    std::map<std::string, std::set<std::string>> colours;  // config -> colours of its lines
    const std::regex line(
        "index ([0-9]+) using [^ ]+ with (filledcurves fc|linespoints [^']*lc) rgb '(#[0-9A-Fa-f]{6})'");
    for (auto it = std::sregex_iterator(gp.begin(), gp.end(), line); it != std::sregex_iterator(); ++it)
      colours[(*it)[1]].insert((*it)[3]);
    REQUIRE(colours.size() == 3);
    std::set<std::string> all;
    for (const auto& [index, c] : colours) {
      REQUIRE(c.size() == 1);  // band and mean of one config share its colour
      all.insert(*c.begin());
    }
    REQUIRE(all.size() == 3);  // and no two configs share one
    REQUIRE(gp.find("title \"block=eesp\"") !=
            std::string::npos);  // every config has 3 seeds: said once, in the axis title
    REQUIRE(gp.find("mean of 3 seeds, band: lowest to highest seed") != std::string::npos);
    REQUIRE(gp.find("set xtics 1,1 format '%.0f'") != std::string::npos);
    REQUIRE(gp.find("set logscale y") == std::string::npos);  // losses 0.51-1.5: a linear axis
    REQUIRE(gp.find("set xrange [1:3]") != std::string::npos);
    // eesp's last epoch over seeds 80.5, 81.0, 81.5: mean, min, max, n; losses 0.51..0.53.
    REQUIRE(dat.find("3 81.0000 80.5000 81.5000 3 0.52000 0.51000 0.53000\n") != std::string::npos);
  }

  SECTION("acc_vs_macs: means with min-max bars, n seeds in the axis title, the front, labels apart") {
    const std::string gp = slurp(sweep / "plots/acc_vs_macs.gp"),
                      dat = slurp(sweep / "plots/acc_vs_macs.dat");
    CAPTURE(dat);
    // eesp and eesp_a have equal MACs: drawn side by side (dodged), eesp left of eesp_a.
    REQUIRE(dat.find("5880000 5880000 5880000 81.000000 80.500000 81.500000 1 0.98") != std::string::npos);
    REQUIRE(dat.find("5880000 5880000 5880000 81.200000 80.700000 81.700000 2 1.01") != std::string::npos);
    REQUIRE(dat.find("37000000 37000000 37000000 78.800000 78.300000 79.300000 3 1.000000\n") !=
            std::string::npos);
    REQUIRE(
        dat.find("# Pareto front: no other config is cheaper and at least as accurate\n5880000 81.200000 2 "
                 "1.01") != std::string::npos);
    REQUIRE(gp.find("set ylabel \"test top-1 (%): mean of 3 seeds, bars: lowest to highest seed\"") !=
            std::string::npos);
    REQUIRE(gp.find("  1  block=eesp") != std::string::npos);  // the key table
    const auto labels = number_labels(gp);
    REQUIRE(labels.size() == 3);
    for (size_t i = 0; i < labels.size(); ++i)
      for (size_t j = 0; j < i; ++j) {
        // eesp and eesp_a sit on the same MACs 0.2 points apart; their labels must still be apart.
        CAPTURE(labels[i].text, labels[j].text);
        REQUIRE((std::abs(labels[i].x - labels[j].x) >= 10 || std::abs(labels[i].y - labels[j].y) >= 13));
      }
  }

  SECTION("accuracy against each measured latency path, and latency against MACs") {
    const std::string fast = slurp(sweep / "plots/acc_vs_latency_fast.dat");
    CAPTURE(fast);
    // eesp's fast p50 over seeds: 0.41, 0.42, 0.43.
    REQUIRE(fast.find("0.42 0.41 0.43 81.000000 80.500000 81.500000 1 1.000000\n") != std::string::npos);
    REQUIRE(fast.find("# Pareto front: no other config is cheaper and at least as accurate\n0.42 81.000000 1 "
                      "1.000000\n0.57 81.200000 2 1.000000\n") != std::string::npos);
    REQUIRE(fs::exists(sweep / "plots/acc_vs_latency_plain.gp"));
    const std::string gp = slurp(sweep / "plots/acc_vs_latency_fast.gp");
    REQUIRE(gp.find("latency p50 (ms), --fast: 1 thread, batch 1, input 1x1x28x28 (log scale)") !=
            std::string::npos);
    REQUIRE(gp.find("on Test CPU") != std::string::npos);
    const std::string lvm = slurp(sweep / "plots/latency_vs_macs.gp");
    REQUIRE(lvm.find("title \"plain LibTorch\"") != std::string::npos);
    REQUIRE(lvm.find("title \"--fast\"") != std::string::npos);
    REQUIRE(lvm.find("set logscale y") != std::string::npos);
  }
}

TEST_CASE("plot: latency blocks that cannot be read are left out and named, never a crash", "[plot]") {
  test::TempDir tmp("espbench_plots");
  const fs::path sweep = tmp.path / "s";
  json broken = latency_block(3.0, 0.5);
  broken["paths"]["fast"].erase("p50_ms");
  put(sweep / "a/report.json", run_report("a", "espnetv2", "scale", 0.5, 1, 80, 1000, broken).dump());
  put(sweep / "b/report.json", run_report("b", "espnetv2", "scale", 1.0, 1, 82, 3000, "fast").dump());
  put(sweep / "c/report.json",
      run_report("c", "espnetv2", "scale", 2.0, 1, 83, 9000, latency_block(5, 1)).dump());
  json no_paths = latency_block(1, 1);
  no_paths["paths"] = json::array();
  put(sweep / "d/report.json", run_report("d", "espnetv2", "scale", 3.0, 1, 84, 20000, no_paths).dump());
  const auto plots = plot::plot_dir(sweep.string(), plot::PlotOptions{false});
  const std::string notes = join(plots[0].notes, "\n");
  CAPTURE(notes);
  REQUIRE(notes.find(
              "latency: 3 block(s) left out: run a: latency.paths.fast: no p50_ms; run b: latency: expected "
              "an object with paths, got \"fast\"; run d: latency.paths: expected an object") !=
          std::string::npos);
  // Plain has two runs (a and c), fast only c.
  REQUIRE(slurp(sweep / "plots/acc_vs_latency_plain.dat").find("3 3 3 80.000000") != std::string::npos);
  REQUIRE(slurp(sweep / "plots/acc_vs_latency_fast.dat").find("80.000000") == std::string::npos);
  REQUIRE(slurp(sweep / "plots/acc_vs_latency_fast.dat").find("1 1 1 83.000000") != std::string::npos);

  const auto b = report::read_latency_block(json{{"latency", {{"p50_ms", -1.0}}}});
  REQUIRE(b.paths.empty());
  REQUIRE(b.problems == std::vector<std::string>{"latency: p50_ms is not a positive number"});
  REQUIRE(report::read_latency_block(json{{"latency", 2.5}}).paths.at(0).p50_ms == 2.5);
  REQUIRE(report::read_latency_block(json{{"x", 1}}).present == false);
}

TEST_CASE("curves: past the palette's 12 colours a config still has a style of its own", "[plot]") {
  test::TempDir tmp("espbench_plots");
  const fs::path sweep = tmp.path / "many";
  for (int k = 0; k < 14; ++k)
    put(sweep / fmt::format("r{:02}", k) / "report.json",
        run_report(fmt::format("r{:02}", k), "espnetv2", "scale", 0.5 + 0.1 * k, 1, 80, 1000 + k).dump());
  json diverged = run_report("r99", "espnetv2", "scale", 9.0, 1, 60, 5000);
  diverged["epochs"][0]["train_loss"] = 40.0;  // a run that diverged early: the loss axis turns log
  put(sweep / "r99/report.json", diverged.dump());
  plot::plot_dir(sweep.string(), plot::PlotOptions{false});
  const std::string gp = slurp(sweep / "plots/curves.gp");
  std::set<std::string> styles;
  const std::regex line(
      "using 1:2 with linespoints lw 2 ps 0.6 (lc rgb '#[0-9A-Fa-f]{6}' dt [0-9]+ pt [0-9]+)");
  for (auto it = std::sregex_iterator(gp.begin(), gp.end(), line); it != std::sregex_iterator(); ++it)
    styles.insert((*it)[1]);
  REQUIRE(styles.size() == 15);
  REQUIRE(gp.find("set logscale y\nset ylabel \"training loss (log scale): one seed per config\"") !=
          std::string::npos);
}
