// Claims judged by statistics (harness/report/claims.h, stats.h) on hand-made reports, and the
// error EDF plot (harness/plot/edf.h).
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "harness/plot/plot.h"
#include "harness/report/claims.h"
#include "harness/report/collect.h"
#include "harness/report/dotted_key.h"
#include "harness/report/stats.h"
#include "harness/sweep/manifest.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::report;
namespace fs = std::filesystem;

namespace {

using test::put;

json config(const std::string& block, double scale, int64_t seed) {
  return {{"model", {{"name", "espnetv2"}, {"options", {{"block", block}, {"scale", scale}}}}},
          {"data", {{"name", "fashion-mnist"}}},
          {"train", {{"epochs", 2}, {"schedule", "cosine"}}},
          {"runtime", {{"seed", seed}, {"threads", 1}}}};
}

// A finished run's report.json (and nothing else) in SWEEP/ID/.
void run(const fs::path& sweep, const std::string& id, const std::string& block, double scale, int64_t seed,
         double top1, int64_t macs, const std::string& status = "done") {
  const json rep = {
      {"run_id", id},
      {"status", status},
      {"config", config(block, scale, seed)},
      {"model",
       {{"family", "espnetv2"}, {"params", macs / 10}, {"macs", {{"conv", macs - 10}, {"linear", 10}}}}},
      {"epochs", {{{"epoch", 0}, {"test_top1", top1}, {"train_loss", 1.0}}}},
      {"final",
       {{"test_top1", top1},
        {"best_test_top1", top1},
        {"test_top5", 99.0},
        {"train_loss", 2.0 - top1 / 100},
        {"custom_score", 1.0}}},
      {"wall_time_s", 10.0}};
  put(sweep / id / "report.json", rep.dump());
}

// Sweep "blocks": eesp / esp / eesp_a at scale 1 with seeds 1-3, esp seed 4 still running, eesp at
// scale 0.5 with one seed, eesp at scale 2 pending (config only).
fs::path make_sweep(const fs::path& root) {
  const fs::path s = root / "blocks";
  const double eesp[] = {81, 82, 83}, esp[] = {75, 76, 77}, eesp_a[] = {80, 84, 82};
  for (int i = 0; i < 3; ++i) {
    run(s, fmt::format("e{}", i), "eesp", 1.0, i + 1, eesp[i], 1000);
    run(s, fmt::format("p{}", i), "esp", 1.0, i + 1, esp[i], 5000);
    run(s, fmt::format("a{}", i), "eesp_a", 1.0, i + 1, eesp_a[i], 1000);
  }
  run(s, "p3", "esp", 1.0, 4, 90, 5000, "running");
  run(s, "h0", "eesp", 0.5, 1, 70, 400);
  put(s / "q0/status.json", R"({"status": "pending"})");
  put(s / "q0/config.json", config("eesp", 2.0, 1).dump());
  return s;
}

json claim(const std::string& name, const json& better, const json& than,
           const json& extra = json::object()) {
  json c = {{"name", name}, {"better", better}, {"than", than}};
  c.update(extra);
  return c;
}

const json kEesp = {{"model.options.block", "eesp"}, {"model.options.scale", 1.0}};
const json kEsp = {{"model.options.block", "esp"}, {"model.options.scale", 1}};  // 1 == 1.0
const json kEespA = {{"model.options.block", "eesp_a"}, {"model.options.scale", 1.0}};

// The claims' evaluation on the sweep, as `espbench report DIR --claims FILE` does it.
json judge(const fs::path& sweep, const json& claims) {
  put(sweep.parent_path() / "claims_in.json", claims.dump());
  const auto runs = find_runs(sweep.string());
  return evaluate_sweeps(runs, make_rows(runs), (sweep.parent_path() / "claims_in.json").string())["claims"];
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("Student's t distribution and the incomplete beta function match known values", "[claims]") {
  // Quantiles t_{0.975, df} (tables; reference values from mpmath to 12 digits).
  for (const auto& [df, q] : std::vector<std::pair<double, double>>{{1, 12.7062047362},
                                                                    {2, 4.30265272975},
                                                                    {4, 2.7764451052},
                                                                    {10, 2.22813885199},
                                                                    {30, 2.0422724563},
                                                                    {3.7, 2.86752070719}}) {
    CAPTURE(df);
    REQUIRE(student_t_quantile(0.975, df) == Approx(q).epsilon(1e-9));
    REQUIRE(student_t_quantile(0.025, df) == Approx(-q).epsilon(1e-9));
  }
  REQUIRE(student_t_quantile(0.999, 2.5) == Approx(13.8221931109).epsilon(1e-9));
  REQUIRE(student_t_quantile(0.5, 7) == 0.0);
  REQUIRE(student_t_cdf(2.0, 5) == Approx(0.949030260585071).epsilon(1e-12));
  REQUIRE(student_t_cdf(-1.3, 7.5) == Approx(0.116063389407804).epsilon(1e-12));
  REQUIRE(student_t_cdf(6.0, 3) == Approx(0.995363642553858).epsilon(1e-12));
  REQUIRE(student_t_cdf(0.0, 3) == 0.5);
  // Closed forms: df = 1 is the Cauchy distribution, df = 2 has 1/2 + t / (2 sqrt(2 + t^2)).
  for (double t : {-30.0, -2.5, -0.1, 0.4, 1.0, 7.0}) {
    REQUIRE(student_t_cdf(t, 1) == Approx(0.5 + std::atan(t) / M_PI).epsilon(1e-12));
    REQUIRE(student_t_cdf(t, 2) == Approx(0.5 + t / (2 * std::sqrt(2 + t * t))).epsilon(1e-12));
  }
  REQUIRE(incomplete_beta(2.5, 1.5, 0.3) == Approx(0.0889437231706656).epsilon(1e-12));
  REQUIRE(incomplete_beta(10, 3, 0.9) == Approx(0.889130022255).epsilon(1e-10));
  REQUIRE(incomplete_beta(1, 1, 0.37) == Approx(0.37).epsilon(1e-13));
  REQUIRE(incomplete_beta(4, 1, 0.5) == Approx(0.0625).epsilon(1e-13));
  REQUIRE(incomplete_beta(3.3, 3.3, 0.5) == Approx(0.5).epsilon(1e-13));
  REQUIRE_THROWS(student_t_quantile(1.0, 3));
  REQUIRE_THROWS(incomplete_beta(1, 1, 1.5));
}

TEST_CASE("Welch's test: interval, degrees of freedom and one-sided p-value", "[claims]") {
  // Reference values computed with mpmath (Welch-Satterthwaite df, t quantile by root finding).
  const std::vector<double> x = {81.2, 80.1, 82.0}, y = {78.9, 77.7, 79.8, 78.1};
  const WelchTest w = welch_test(x, y, 0.0);
  REQUIRE(w.diff == Approx(2.475).epsilon(1e-12));
  REQUIRE(w.se == Approx(0.720387627138).epsilon(1e-10));
  REQUIRE(w.df == Approx(4.37889393618).epsilon(1e-10));
  REQUIRE(w.ci_low == Approx(0.541322200557).epsilon(1e-9));
  REQUIRE(w.ci_high == Approx(4.40867779944).epsilon(1e-9));
  REQUIRE(w.p == Approx(0.0114351245839).epsilon(1e-8));
  REQUIRE(welch_test(x, y, 1.0).p == Approx(0.0519667575465).epsilon(1e-8));
  REQUIRE(welch_test(x, y, 2.5).p == Approx(0.513079336948).epsilon(1e-8));
  // The interval and the p-value agree: lower bound above the margin <=> p < 0.025.
  for (double margin : {0.0, 0.5, 0.54, 0.55, 1.0, 4.0}) {
    const WelchTest m = welch_test(x, y, margin);
    REQUIRE((m.ci_low > margin) == (m.p < 0.025));
  }
  // Both samples constant: no NaN, the interval is the difference.
  const WelchTest z = welch_test({2, 2}, {1, 1, 1}, 0.0);
  REQUIRE(z.zero_variance);
  REQUIRE(z.ci_low == 1.0);
  REQUIRE(z.ci_high == 1.0);
  REQUIRE(z.p == 0.0);
  REQUIRE(welch_test({2, 2}, {1, 1, 1}, 1.0).p == 1.0);
  // One constant side: df = n - 1 of the other.
  REQUIRE(welch_test({1, 2, 3}, {0, 0}, 0.0).df == Approx(2.0));
  REQUIRE_THROWS(welch_test({1}, {1, 2}, 0.0));
}

TEST_CASE("claims on hand-made reports: supported, refuted, inconclusive, one seed, lower is better",
          "[claims]") {
  test::TempDir tmp("espbench_claims");
  const fs::path sweep = make_sweep(tmp.path);
  const json claims =
      json::array({claim("EESP beats ESP", kEesp, kEsp), claim("ESP beats EESP", kEsp, kEesp),
                   claim("EESP beats EESP-A", kEesp, kEespA),
                   claim("EESP beats ESP by 10 points", kEesp, kEsp, {{"margin", 10}}),
                   claim("EESP needs fewer MACs", kEesp, kEsp, {{"metric", "macs"}}),
                   claim("EESP trains to a lower loss", kEesp, kEsp, {{"metric", "train_loss"}}),
                   claim("half width beats ESP", {{"model.options.scale", 0.5}}, kEsp),
                   claim("double width beats EESP", {{"model.options.scale", 2.0}}, kEesp)});
  const json r = judge(sweep, claims);
  REQUIRE(r.size() == claims.size());

  // eesp {81, 82, 83} vs esp {75, 76, 77}: d = 6, se = sqrt(2/3), df = 4.
  const double half = 2.7764451052 * std::sqrt(2.0 / 3.0);
  REQUIRE(r[0]["verdict"] == "supported");
  REQUIRE(r[0]["sweep"] == "blocks");
  REQUIRE(r[0]["better"]["mean"].get<double>() == Approx(82));
  REQUIRE(r[0]["better"]["std"].get<double>() == Approx(1));
  REQUIRE(r[0]["better"]["label"] == "block=eesp scale=1");
  REQUIRE(r[0]["better"]["seeds"] == json::array({1, 2, 3}));
  REQUIRE(r[0]["than"]["n"] == 3);
  REQUIRE(r[0]["than"]["not_done"] == 1);  // esp seed 4 still running: left out
  REQUIRE(r[0]["diff"].get<double>() == Approx(6));
  REQUIRE(r[0]["df"].get<double>() == Approx(4));
  REQUIRE(r[0]["ci_low"].get<double>() == Approx(6 - half).epsilon(1e-9));
  REQUIRE(r[0]["ci_high"].get<double>() == Approx(6 + half).epsilon(1e-9));
  REQUIRE(r[0]["p"].get<double>() < 0.025);

  REQUIRE(r[1]["verdict"] == "refuted");
  REQUIRE(r[1]["diff"].get<double>() == Approx(-6));
  REQUIRE(r[1]["p"].get<double>() > 0.975);
  REQUIRE(r[2]["verdict"] == "inconclusive");  // eesp_a {80, 84, 82}: the same mean
  REQUIRE(r[2]["diff"].get<double>() == Approx(0).margin(1e-12));
  REQUIRE(r[2]["reason"] == "the interval contains the margin");
  REQUIRE(r[3]["verdict"] == "refuted");  // 6 + 2.27 < 10
  REQUIRE(r[3]["ci_high"].get<double>() < 10);

  // MACs: lower is better by name, constant over the seeds (no NaN), improvement 4000.
  REQUIRE(r[4]["lower_is_better"] == true);
  REQUIRE(r[4]["diff"].get<double>() == Approx(4000));
  REQUIRE(r[4]["verdict"] == "supported");
  REQUIRE(r[4]["p"] == 0.0);
  REQUIRE(r[4]["df"].is_null());
  // A metric only the report's `final` block has; lower is better (a loss).
  REQUIRE(r[5]["lower_is_better"] == true);
  REQUIRE(r[5]["diff"].get<double>() == Approx(0.06));
  REQUIRE(r[5]["verdict"] == "supported");

  REQUIRE(r[6]["verdict"] == "inconclusive");
  REQUIRE(r[6]["reason"] == "needs >= 2 seeds per side (better has 1, than has 3)");
  REQUIRE(r[6]["diff"].get<double>() == Approx(70 - 76));
  REQUIRE(r[6]["p"].is_null());
  REQUIRE(r[7]["verdict"] == "inconclusive");
  REQUIRE(r[7]["reason"] == "no finished run of 'better' carries test_top1 yet");
  REQUIRE(r[7]["better"]["not_done"] == 1);

  SECTION("text and Markdown") {
    const auto runs = find_runs(sweep.string());
    const json doc = evaluate_sweeps(runs, make_rows(runs), (tmp.path / "claims_in.json").string());
    const std::string text = format_claims(doc, false);
    CAPTURE(text);
    REQUIRE(text.find("EESP beats ESP  ") != std::string::npos);
    REQUIRE(text.find("block=eesp scale=1: 82.00 +- 1.00 (n=3)") != std::string::npos);
    REQUIRE(text.find(fmt::format("+6.00 [+{:.2f}, +{:.2f}]", 6 - half, 6 + half)) != std::string::npos);
    REQUIRE(text.find("  EESP beats ESP: 1 of 4 'than' runs not done, left out") != std::string::npos);
    REQUIRE(text.find("  half width beats ESP: needs >= 2 seeds per side") != std::string::npos);
    const std::string md = format_claims(doc, true);
    REQUIRE(md.find("| blocks | EESP needs fewer MACs | macs (lower is better) | block=eesp scale=1: 1.00k "
                    "&plusmn; 0.00k (n=3) |") != std::string::npos);
    REQUIRE(md.find("| +4.00k [+4.00k, +4.00k] | 0 | < 0.001 | supported |") != std::string::npos);
  }
}

TEST_CASE("bad claims: one line naming the file, the claim and the key", "[claims]") {
  test::TempDir tmp("espbench_claims");
  const fs::path sweep = make_sweep(tmp.path);
  const std::string file = (tmp.path / "claims_in.json").string();
  auto error = [&](const json& c) { return test::error_of([&] { judge(sweep, json::array({c})); }); };

  std::string e = error(claim("typo", {{"model.options.blok", "eesp"}}, kEsp));
  REQUIRE(e == file +
                   ": claims[0] 'typo': better: 'model.options.blok' is not a config key of any run in sweep "
                   "'blocks' (did you mean 'model.options.block'?)");
  e = error(claim("no such block", {{"model.options.block", "eespx"}, {"model.options.scale", 1.0}}, kEsp));
  REQUIRE(e ==
          file +
              ": claims[0] 'no such block': better: model.options.block = \"eespx\" matches no run in sweep "
              "'blocks'; its values there: \"eesp\", \"eesp_a\", \"esp\"");
  e = error(claim("wrong metric", kEesp, kEsp, {{"metric", "test_top2"}}));
  REQUIRE_THAT(e,
               Catch::StartsWith(file + ": claims[0] 'wrong metric': metric: 'test_top2' is not a metric of "
                                        "sweep 'blocks' (did you mean 'test_top1'?); valid metrics: "));
  REQUIRE_THAT(e,
               Catch::Contains("best_test_top1") && Catch::Contains("macs") && Catch::Contains("train_loss"));
  e = error(claim("two configs", {{"model.options.block", "eesp"}}, kEsp));
  REQUIRE(e ==
          file +
              ": claims[0] 'two configs': better: {\"model.options.block\":\"eesp\"} matches 3 configs "
              "('block=eesp scale=0.5', 'block=eesp scale=1', 'block=eesp scale=2'): add the keys that tell "
              "them apart to the selector");
  e = error(claim("same", kEesp, {{"model.options.block", "eesp"}, {"model.options.scale", 1}}));
  REQUIRE(e == file + ": claims[0] 'same': better and than select the same config ('block=eesp scale=1')");
  e = error(claim("together", {{"model.options.block", "esp"}, {"model.options.scale", 0.5}}, kEsp));
  REQUIRE_THAT(
      e, Catch::Contains("'together': better: ") && Catch::Contains("matches no run in sweep 'blocks' "
                                                                    "(each key does, not all together)"));
  e = error(claim("direction", kEesp, kEsp, {{"metric", "custom_score"}}));
  REQUIRE(e == file +
                   ": claims[0] 'direction': metric: the direction of 'custom_score' is unknown; add "
                   "\"lower_is_better\": true or false to the claim");
  // With the direction given it is judged (equal scores: inconclusive).
  const json d =
      judge(sweep,
            json::array({claim("d", kEesp, kEsp, {{"metric", "custom_score"}, {"lower_is_better", false}})}));
  REQUIRE(d[0]["verdict"] == "inconclusive");
  REQUIRE(d[0]["diff"] == 0.0);

  // --claims needs the folder of one sweep.
  make_sweep(tmp.path / "root" / "x");
  fs::rename(tmp.path / "root" / "x" / "blocks", tmp.path / "root" / "blocks2");
  make_sweep(tmp.path / "root");
  const auto runs = find_runs((tmp.path / "root").string());
  REQUIRE_THAT(test::error_of([&] { evaluate_sweeps(runs, make_rows(runs), file); }),
               Catch::Contains("the folder holds 2 sweeps (blocks, blocks2); give the folder of one sweep"));
}

TEST_CASE("claims in a manifest: keys and types checked when it is read; judged from the sweep folder",
          "[claims]") {
  test::TempDir tmp("espbench_claims");
  const std::string path = (tmp.path / "m.json").string();
  auto parse_error = [&](const json& claims) {
    return test::error_of([&] {
      sweep::parse_manifest({{"base", json::object()}, {"claims", claims}}, path);
    });
  };
  REQUIRE(
      parse_error(json::array({claim("a", kEesp, kEsp, {{"metrc", "x"}})})) ==
      path +
          ": claims[0].metrc: unknown key (did you mean 'metric'?); valid keys: name, better, than, metric, "
          "margin, lower_is_better, comment");
  REQUIRE(parse_error(json::array({claim("a", kEesp, kEsp, {{"margin", "1"}})})) ==
          path + ": claims[0].margin: expected a number (in the metric's unit), got \"1\"");
  REQUIRE(parse_error(json::array({claim("a", kEesp, kEsp), claim("a", kEsp, kEesp)})) ==
          path + ": claims[1].name: 'a' names two claims; names must be unique");
  REQUIRE(parse_error(json::array({{{"name", "a"}, {"better", kEesp}}})) ==
          path + ": claims[0].than: missing: the runs this side selects");
  REQUIRE(parse_error(json::array({claim("a", json::array({1}), kEsp)})) ==
          path +
              ": claims[0].better: expected an object of dotted config path -> value such as "
              "{\"model.options.block\": \"eesp\"}, got [1]");
  REQUIRE(parse_error(json::object()) == path + ": claims: expected a list of claim objects, got {}");
  REQUIRE(parse_error(json::array({claim("a", kEesp, kEsp, {{"lower_is_better", 1}})})) ==
          path + ": claims[0].lower_is_better: expected true or false, got 1");
  REQUIRE(parse_error(json::array({claim("ok", kEesp, kEsp)})).empty());
  REQUIRE(metric_lower_is_better("latency_ms") == true);
  REQUIRE(metric_lower_is_better("test_miou") == false);
  REQUIRE(metric_lower_is_better("images_per_s") == false);
  REQUIRE_FALSE(metric_lower_is_better("custom_score").has_value());

  // The sweep folder's manifest.json (the copy `espbench sweep` writes) holds the claims.
  const fs::path sweep = make_sweep(tmp.path);
  put(sweep / "manifest.json",
      json({{"name", "blocks"}, {"base", json::object()}, {"claims", {claim("EESP beats ESP", kEesp, kEsp)}}})
          .dump());
  const auto runs = find_runs(sweep.string());
  const json rows = make_rows(runs);
  const json doc = evaluate_sweeps(runs, rows);
  REQUIRE(doc["kind"] == "claims");
  REQUIRE(doc["claims"].size() == 1);
  REQUIRE(doc["claims"][0]["verdict"] == "supported");
  REQUIRE(write_sweep_claims(runs, rows) == std::vector<std::string>{(sweep / "claims.json").string()});
  const json written = json::parse(slurp(sweep / "claims.json"));
  REQUIRE(written == doc);
  // A manifest's claims were checked against the whole plan when the sweep started: a config with no
  // run in the folder yet is pending (inconclusive, with the reason), where a --claims file is refused.
  const json pending =
      claim("EESP beats DiCENet", kEesp, {{"model.options.block", "dicenet"}, {"model.options.scale", 1.0}});
  const json other =
      claim("EESP beats MobileNetV2", kEesp, {{"model.name", "mobilenet_v2"}, {"model.options.width", 0.5}});
  put(sweep / "manifest.json",
      json({{"name", "blocks"}, {"base", json::object()}, {"claims", {pending, other}}}).dump());
  REQUIRE(evaluate_sweeps(runs, rows)["claims"][1]["than"]["label"] == "mobilenet_v2 width=0.5");
  const json p = evaluate_sweeps(runs, rows)["claims"][0];
  REQUIRE(p["verdict"] == "inconclusive");
  REQUIRE(p["reason"] == "no run of 'than' in the sweep folder yet");
  REQUIRE(p["than"]["label"] == "block=dicenet scale=1");  // as collect labels its runs
  REQUIRE(p["than"]["n"] == 0);
  REQUIRE(p["better"]["n"] == 3);
  REQUIRE(
      format_claims(evaluate_sweeps(runs, rows), false).find("no run of 'than' in the sweep folder yet") !=
      std::string::npos);
  REQUIRE_THAT(test::error_of([&] { judge(sweep, json::array({pending})); }),
               Catch::Contains("than: model.options.block = \"dicenet\" matches no run in sweep 'blocks'"));
  // Claims removed from the manifest: the stale claims.json goes too.
  put(sweep / "manifest.json", json({{"name", "blocks"}, {"base", json::object()}}).dump());
  REQUIRE(evaluate_sweeps(runs, rows)["claims"].empty());
  REQUIRE(write_sweep_claims(runs, rows).empty());
  REQUIRE_FALSE(fs::exists(sweep / "claims.json"));
}

TEST_CASE("espbench report prints the claims; a bad claim is one line and exit code 2", "[claims][cli]") {
  test::TempDir tmp("espbench_claims");
  const fs::path sweep = make_sweep(tmp.path);
  const std::string bin = test::espbench_binary();
  put(sweep / "manifest.json",
      json({{"base", json::object()}, {"claims", {claim("EESP beats ESP", kEesp, kEsp)}}}).dump());
  auto [code, text] = test::run_command(bin + " report " + sweep.string());
  CAPTURE(text);
  REQUIRE(code == 0);
  REQUIRE(text.find("block=eesp scale=1") != std::string::npos);  // the table over seeds
  REQUIRE(text.find("\nclaims\n") != std::string::npos);
  REQUIRE(text.find("supported") != std::string::npos);
  auto [jcode, jtext] = test::run_command(bin + " report " + sweep.string() + " --json 2>/dev/null");
  REQUIRE(jcode == 0);
  const json j = json::parse(jtext);
  REQUIRE(j["claims"]["claims"][0]["verdict"] == "supported");
  REQUIRE(j["groups"].size() == 5);

  put(tmp.path / "bad.json", json::array({claim("typo", kEesp, {{"model.options.blok", "esp"}})}).dump());
  auto [bcode, btext] =
      test::run_command(bin + " report " + sweep.string() + " --claims " + (tmp.path / "bad.json").string());
  REQUIRE(bcode == 2);
  REQUIRE(btext ==
          "espbench: error: " + (tmp.path / "bad.json").string() +
              ": claims[0] 'typo': than: 'model.options.blok' is not a config key of any run in sweep "
              "'blocks' (did you mean 'model.options.block'?)\n");
}

TEST_CASE("the error EDF: per family, the fraction of finished runs at or below each error", "[claims]") {
  test::TempDir tmp("espbench_edf");
  const fs::path sweep = make_sweep(tmp.path);
  const auto plots = plot::plot_dir(sweep.string(), plot::PlotOptions{false});
  REQUIRE(plots.size() == 1);
  REQUIRE(std::find(plots[0].files.begin(), plots[0].files.end(), (sweep / "plots/edf.gp").string()) !=
          plots[0].files.end());
  const std::string d = slurp(sweep / "plots/edf.dat");
  CAPTURE(d);
  // Families are the rows' series (block, no width); the running esp run and the pending one are out.
  REQUIRE(d.find("# family block=eesp (4 runs)\n17.0000 0\n17.0000 0.250000\n18.0000 0.500000\n"
                 "19.0000 0.750000\n30.0000 1.000000\n\n\n") != std::string::npos);
  REQUIRE(d.find("# family block=eesp_a (3 runs)\n16.0000 0\n16.0000 0.333333\n18.0000 0.666667\n"
                 "20.0000 1.000000\n") != std::string::npos);
  REQUIRE(
      d.find(
          "# family block=esp (3 runs)\n23.0000 0\n23.0000 0.333333\n24.0000 0.666667\n25.0000 1.000000\n") !=
      std::string::npos);
  const std::string gp = slurp(sweep / "plots/edf.gp");
  REQUIRE(gp.find("'edf.dat' index 2 using 1:2 with steps lw 2 lc rgb '#009E73' title \"block=esp (n=3)\"") !=
          std::string::npos);

  SECTION("one finished run: no EDF, a note") {
    test::TempDir one("espbench_edf");
    run(one.path / "s", "x1", "eesp", 1.0, 1, 80, 1000);
    run(one.path / "s", "x2", "eesp", 1.0, 2, 80, 1000, "running");
    const auto p = plot::plot_dir((one.path / "s").string(), plot::PlotOptions{false});
    REQUIRE_FALSE(fs::exists(one.path / "s/plots/edf.dat"));
    REQUIRE(std::find(p[0].notes.begin(), p[0].notes.end(),
                      "edf: skipped, 1 finished run(s) with a test top-1 (needs 2)") != p[0].notes.end());
  }
}

TEST_CASE("dotted config keys: validity, lookup, the closest key and every key", "[claims][dotted]") {
  CHECK(is_dotted_key("model.options.block"));
  CHECK(is_dotted_key("seed"));
  for (const std::string bad : {"", ".a", "a.", "a..b"}) CHECK_FALSE(is_dotted_key(bad));

  const json j = {{"model", {{"name", "espnetv2"}, {"options", {{"block", "eesp"}, {"scale", 1.5}}}}},
                  {"train", {{"lr", nullptr}}}};
  REQUIRE(at_dotted(j, "model.options.scale") != nullptr);
  CHECK(*at_dotted(j, "model.options.scale") == 1.5);
  CHECK(at_dotted(j, "train.lr") != nullptr);  // present, even though null
  CHECK(at_dotted(j, "model.options.width") == nullptr);
  CHECK(at_dotted(j, "model.name.first") == nullptr);  // a string has no keys

  CHECK(closest_dotted(j, "model.optoins.blok") == "model.options.block");
  CHECK(closest_dotted(j, "model.options.block") == "model.options.block");
  CHECK(closest_dotted(j, "zzzzzz.options") == "");
  CHECK(closest_dotted(j, "model.name.first") == "");

  std::set<std::string> keys;
  add_dotted_keys(j, keys);
  CHECK(keys == std::set<std::string>{"model", "model.name", "model.options", "model.options.block",
                                      "model.options.scale", "train", "train.lr"});
}
