// A hand-written sweep for the page tests (test_html.cpp, test_html_browser.cpp): three blocks, three
// seeds each, a manifest with a description (with characters HTML must escape) and three claims, one
// running run without a report, and one run whose latency block lacks its fast path's p50.
#pragma once
#include <filesystem>
#include <fstream>
#include <string>

#include "modules/options.h"

namespace espbench::test {

inline void put_file(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

inline json fixture_latency(double plain_ms, double fast_ms) {
  auto path = [](double ms) {
    return json{{"p50_ms", ms},  {"p90_ms", ms * 1.1},
                {"cv", 0.05},    {"samples", 100},
                {"threads", 1},  {"batch", 1},
                {"valid", true}, {"inference", {{"fast_applied", json::array()}}}};
  };
  return {{"when", "after the last epoch, trained weights"},
          {"settings", {{"threads", 1}, {"batch", 1}, {"paths", {"plain", "fast"}}, {"samples", 100}}},
          {"input", {1, 1, 28, 28}},
          {"device", "cpu"},
          {"cpu_model", "Fixture CPU"},
          {"primary", "plain"},
          {"p50_ms", plain_ms},
          {"seconds", 1.0},
          {"paths", {{"plain", path(plain_ms)}, {"fast", path(fast_ms)}}}};
}

// Writes the sweep into ROOT/blocks and returns its folder.
inline std::filesystem::path html_fixture_sweep(const std::filesystem::path& root) {
  const std::filesystem::path sweep = root / "blocks";
  const json claim = {{"better", {{"model.options.block", "eesp"}}},
                      {"than", {{"model.options.block", "esp"}}}};
  json manifest = {{"name", "blocks"},
                   {"description", "Blocks <ESP & EESP> compared \"fairly\" on 28x28 images"},
                   {"base", json::object()},
                   {"claims", json::array()}};
  json beats = claim, faster = claim;
  beats["name"] = "EESP beats ESP";
  faster["name"] = "EESP is faster than ESP (plain LibTorch)";
  faster["metric"] = "latency_ms";
  manifest["claims"].push_back(beats);
  manifest["claims"].push_back(faster);
  manifest["claims"].push_back({{"name", "EESP-A within 1 point of EESP"},
                                {"better", {{"model.options.block", "eesp_a"}}},
                                {"than", {{"model.options.block", "eesp"}}},
                                {"margin", -1.0}});
  put_file(sweep / "manifest.json", manifest.dump(2));
  const std::vector<std::tuple<std::string, double, int64_t, double>> blocks = {
      {"eesp", 81.0, 5880000, 0.40}, {"eesp_a", 81.3, 5880000, 0.55}, {"esp", 78.0, 37210000, 0.90}};
  for (const auto& [block, top1, macs, fast_ms] : blocks)
    for (int64_t seed = 1; seed <= 3; ++seed) {
      const std::string id = block + "-" + std::to_string(seed);
      json lat = fixture_latency(3.0 + fast_ms * 4 + seed * 0.02, fast_ms + seed * 0.01);
      if (block == "esp" && seed == 3) lat["paths"]["fast"].erase("p50_ms");
      const json config = {{"model", {{"name", "espnetv2"}, {"options", {{"block", block}}}}},
                           {"data", {{"name", "fashion-mnist"}}},
                           {"train", {{"epochs", 2}, {"batch_size", 128}, {"schedule", "cyclic"}}},
                           {"runtime", {{"seed", seed}}}};
      const double t = top1 + 0.6 * static_cast<double>(seed - 2);
      const json report = {
          {"run_id", id},
          {"status", "done"},
          {"config", config},
          {"context", {{"cpu_model", "Fixture CPU"}, {"cpu_cores", 2}, {"libtorch_version", "1.13"}}},
          {"model",
           {{"family", "espnetv2"},
            {"params", macs / 9},
            {"macs", {{"conv", macs - 1000}, {"linear", 1000}}}}},
          {"epochs",
           {{{"epoch", 0}, {"test_top1", t - 6}, {"train_loss", 1.2}},
            {{"epoch", 1}, {"test_top1", t}, {"train_loss", 0.6}}}},
          {"final", {{"test_top1", t}, {"best_test_top1", t}, {"test_top5", 99.5}}},
          {"latency", lat},
          {"wall_time_s", 100.0 + seed}};
      put_file(sweep / id / "config.json", config.dump(2));
      put_file(sweep / id / "report.json", report.dump(2));
    }
  put_file(sweep / "eesp-4/status.json", R"({"status": "running"})");
  return sweep;
}

}  // namespace espbench::test
