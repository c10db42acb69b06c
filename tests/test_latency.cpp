// Latency subsystem: the --fast inference transform preserves outputs (per part, whole networks,
// odd shapes), the plain model is never modified, the latency/compare JSON carries its fields, and
// bad options fail with one line. Timing itself is kept tiny (few samples, no warm-up); speed
// claims live in `espbench compare`, never here. The kernels and FastEESP: test_kernels.cpp.
#include <catch2/catch.hpp>
#include <set>

#include "harness/latency/compare.h"
#include "harness/latency/latency.h"
#include "harness/latency/stats.h"
#include "modules/block_network.h"
#include "modules/blocks/layers.h"
#include "modules/inference/fast_eesp.h"
#include "modules/inference/fast_model.h"
#include "modules/inference/fold_bn.h"
#include "tests/test_support.h"

using namespace espbench;

namespace {

using test::module_state;
using test::randomize_inference_state;
using test::same_state;

// max |a - b| / max |b|: the 1e-4 relative criterion, robust to outputs near zero.
double rel_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / std::max(1e-12, b.abs().max().item<double>());
}

constexpr double kTol = 1e-4;

}  // namespace

TEST_CASE("fold_bn: a folded ConvBNAct computes what conv+BN+act computed", "[latency]") {
  torch::manual_seed(1);
  auto [k, groups, act] = GENERATE(std::make_tuple(3, 1, Act::PReLU), std::make_tuple(1, 4, Act::None),
                                   std::make_tuple(3, 8, Act::ReLU6), std::make_tuple(1, 1, Act::ReLU));
  ConvBNAct m(ConvBNActOptions(8, 16, k).groups(groups).act(act).stride(2));
  randomize_inference_state(*m, 7);
  m->eval();
  auto x = torch::randn({2, 8, 13, 11});
  torch::NoGradGuard no_grad;
  auto expected = m->forward(x);
  auto copy = std::dynamic_pointer_cast<ConvBNActImpl>(m->clone());
  fold_bn_in_place(*copy);
  REQUIRE(!copy->bn);
  REQUIRE(copy->conv->bias.defined());
  REQUIRE(rel_error(copy->forward(x), expected) < kTol);
  REQUIRE(m->bn);  // the original keeps its BatchNorm
}

TEST_CASE("grouped_pointwise equals a grouped 1x1 convolution", "[latency]") {
  torch::manual_seed(3);
  auto x = torch::randn({2, 16, 7, 5});
  auto w = torch::randn({24, 4, 1, 1});
  auto expected = torch::nn::functional::conv2d(x, w, torch::nn::functional::Conv2dFuncOptions().groups(4));
  REQUIRE(rel_error(grouped_pointwise(x, w.reshape({4, 6, 4}).contiguous()), expected) < 1e-5);
}

TEST_CASE("every --fast part preserves whole networks and leaves the plain model untouched", "[latency]") {
  const auto [name, options] = GENERATE(std::make_pair(std::string("espnetv2"), json{{"scale", 0.5}}),
                                        std::make_pair(std::string("espnetv2"), json{{"scale", 1.0}}),
                                        std::make_pair(std::string("espnetv2"), json{{"block", "esp"}}),
                                        std::make_pair(std::string("mobilenet_v2"), json::object()),
                                        std::make_pair(std::string("shufflenet_v2"), json::object()));
  const std::string parts = GENERATE("fold_bn", "eesp_kernel", "eesp_kernel,fuse", "eesp_kernel,gemm",
                                     "fold_bn,fuse,gemm", "channels_last", "all");
  CAPTURE(name, options.dump(), parts);
  torch::manual_seed(4);
  const ResolvedModel resolved = resolve_model(ModelSpec{name, options});
  NetworkPtr plain = build_model(resolved);
  randomize_inference_state(*plain, 5);
  plain->eval();
  const auto before = module_state(*plain);
  FastResult fast = make_fast(resolved, *plain, parse_fast_parts(parts));
  REQUIRE(same_state(before, module_state(*plain)));
  const bool has_eesp = name == "espnetv2" && !options.contains("block");
  if (parts.find("eesp_kernel") != std::string::npos)
    REQUIRE(fast.skipped.contains("eesp_kernel") == !has_eesp);
  if (parts.find("gemm") != std::string::npos || parts == "all") {
    const bool fused = parts.find("fuse") != std::string::npos || parts == "all";
    const bool eesp = parts.find("eesp_kernel") != std::string::npos || parts == "all";
    REQUIRE(fast.skipped.contains("gemm") == !(name == "espnetv2" && (fused || (eesp && has_eesp))));
  }
  for (const auto& shape : {std::vector<int64_t>{1, 3, 97, 83}, std::vector<int64_t>{2, 3, 64, 64}}) {
    auto x = torch::randn(shape);
    c10::InferenceMode guard;
    auto expected = plain->forward(x);
    auto xf = fast.channels_last ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
    REQUIRE(rel_error(fast.net->forward(xf), expected) < kTol);
  }
}

TEST_CASE("parse_fast_parts: names, default, all, and one-line errors", "[latency]") {
  REQUIRE(!parse_fast_parts("").any());
  REQUIRE(parse_fast_parts("default").names() == parse_fast_parts(kDefaultFastParts).names());
  REQUIRE(parse_fast_parts("all").names().size() == 5);
  REQUIRE(parse_fast_parts("fuse,fold_bn").names() == std::vector<std::string>{"fold_bn", "fuse"});
  REQUIRE_THROWS_WITH(parse_fast_parts("fold_bn,warp"),
                      Catch::Contains("'warp'") && Catch::Contains("fold_bn"));
}

TEST_CASE("latency statistics: percentiles and cv", "[latency]") {
  REQUIRE(percentile({1, 2, 3, 4, 5}, 0.5) == 3.0);
  REQUIRE(percentile({1, 2, 3, 4}, 0.5) == Approx(2.5));
  REQUIRE(percentile({1, 2, 3, 4, 5}, 0.9) == Approx(4.6));
  const LatencyStats s = summarize({2, 2, 2, 2});
  REQUIRE(s.cv == 0.0);
  REQUIRE(s.samples == 4);
  REQUIRE(summarize({1, 3}).cv == Approx(std::sqrt(2.0) / 2.0));
}

TEST_CASE("measure_latency returns the documented fields, one object per thread count", "[latency]") {
  LatencyOptions o;
  o.threads = {1, 2};
  o.input = {1, 3, 64, 64};
  o.samples = 3;
  o.warmup_s = 0;
  o.fast = "default";
  json lat = measure_latency(ModelSpec{"espnetv2", {{"scale", 0.5}}}, o);
  REQUIRE(lat.is_array());
  REQUIRE(lat.size() == 2);
  for (const auto& r : lat) {
    for (const char* key : {"p50_ms", "p90_ms", "p99_ms", "mean_ms", "cv", "samples", "threads", "batch",
                            "valid", "valid_rule", "inference", "gmac_per_s", "macs_per_image"})
      REQUIRE(r.contains(key));
    REQUIRE(r["samples"] == 3);
    REQUIRE(r["p50_ms"].get<double>() > 0);
    REQUIRE(r["p90_ms"].get<double>() >= r["p50_ms"].get<double>());
    REQUIRE(r["valid"] == false);                         // 3 samples are below the minimum the rule asks for
    REQUIRE(r["inference"]["fast_applied"].size() == 4);  // channels_last is skipped under fuse
  }
  REQUIRE(lat[0]["threads"] == 1);
  REQUIRE(lat[1]["threads"] == 2);
  o.threads = {1};
  o.fast = "";
  json one = measure_latency(ModelSpec{"mobilenet_v1", json::object()}, o);
  REQUIRE(one.is_object());
  REQUIRE(one["inference"]["fast_applied"].empty());
}

TEST_CASE("measure_latency --profile shows our kernels among the ops of an inference", "[latency]") {
  LatencyOptions o;
  o.threads = {1};
  o.samples = 2;
  o.warmup_s = 0;
  o.fast = "default";
  o.profile = true;
  o.input = {1, 3, 64, 64};
  json lat = measure_latency(ModelSpec{"espnetv2", {{"scale", 0.5}}}, o);
  const json& p = lat.at("op_profile");
  REQUIRE(p["inferences"] == 2);
  REQUIRE(p["wall_ms_per_inference"].get<double>() > 0);
  std::set<std::string> names;
  double shares = 0;
  for (const auto& row : p["ops"]) {
    names.insert(row["name"].get<std::string>());
    shares += row["share"].get<double>();
    REQUIRE(row["ms_per_inference"].get<double>() > 0);
  }
  for (const char* kernel :
       {"espbench::pointwise_conv", "espbench::dw_dilated_hff", "espbench::bias_residual_prelu"})
    REQUIRE(names.count(kernel) == 1);
  REQUIRE(shares <= 1.0 + 1e-9);
}

TEST_CASE("latency option checks name the option", "[latency]") {
  LatencyOptions o;
  o.threads = {0};
  REQUIRE_THROWS_WITH(validate_latency_options(o), Catch::Contains("--threads"));
  o.threads = {1};
  o.batch = -1;
  REQUIRE_THROWS_WITH(validate_latency_options(o), Catch::Contains("--batch"));
  o.batch = 1;
  o.fast = "eesp_kernel";
  o.samples = 1;
  o.warmup_s = 0;
  o.input = {1, 3, 32, 32};
  // Named explicitly on a model with no EESP: an error, not a silent no-op.
  REQUIRE_THROWS_WITH(measure_latency(ModelSpec{"mobilenet_v2", json::object()}, o),
                      Catch::Contains("eesp_kernel") && Catch::Contains("mobilenet_v2"));
  // Through `--fast` (default parts) the same model runs, recording what was skipped.
  o.fast = "default";
  json r = measure_latency(ModelSpec{"mobilenet_v2", json::object()}, o);
  REQUIRE(r["inference"]["fast_skipped"].contains("eesp_kernel"));
  REQUIRE(r["inference"]["fast_applied"] == json::array({"fold_bn", "channels_last"}));
}

TEST_CASE("compare specs: NAME[:key=value,...][@fast[=PARTS]|@plain]", "[latency]") {
  auto s =
      parse_compare_side("espnetv2:scale=0.5,r_lim=[13,11,9,7,5],block_options.hff=false@fast=fold_bn", "");
  REQUIRE(s.model == "espnetv2");
  REQUIRE(s.options["scale"] == 0.5);
  REQUIRE(s.options["r_lim"].size() == 5);
  REQUIRE(s.options["block_options"]["hff"] == false);
  REQUIRE(s.fast == "fold_bn");
  REQUIRE(parse_compare_side("mobilenet_v2", "default").fast == "default");
  REQUIRE(parse_compare_side("mobilenet_v2@plain", "default").fast.empty());
  REQUIRE(parse_compare_side("mobilenet_v2@fast", "").fast == "default");
  REQUIRE_THROWS_WITH(parse_compare_side("espnetv2@quick", ""), Catch::Contains("@plain"));
  REQUIRE_THROWS_WITH(parse_compare_side("espnetv2:scale", ""), Catch::Contains("key=value"));
}

TEST_CASE("compare_latency interleaves two sides and reports the ratio with its spread", "[latency]") {
  CompareOptions o;
  o.threads = 1;
  o.rounds = 3;
  o.samples = 2;
  o.warmup_s = 0;
  o.input = {1, 3, 32, 32};
  json r = compare_latency(parse_compare_side("espnetv2:scale=0.5", ""),
                           parse_compare_side("espnetv2:scale=0.5@fast", ""), o);
  REQUIRE(r["ratio_a_over_b"]["per_round"].size() == 3);
  const auto& q = r["ratio_a_over_b"];
  REQUIRE(q["min"].get<double>() <= q["median"].get<double>());
  REQUIRE(q["median"].get<double>() <= q["max"].get<double>());
  REQUIRE(r["a"]["samples"] == 6);
  REQUIRE(r["a"]["inference"]["fast_applied"].empty());
  REQUIRE(!r["b"]["inference"]["fast_applied"].empty());
}

TEST_CASE("espbench measure --latency: JSON, and one-line errors with exit 2", "[latency]") {
  const std::string bin = test::espbench_binary();
  {
    auto [code, out] = test::run_command(bin +
                                         " measure espnetv2 --set scale=0.5 --input 3x32x32 --latency --fast "
                                         "--samples 2 --warmup 0 --threads 1 --json 2>/dev/null");
    CAPTURE(out);
    REQUIRE(code == 0);
    json j = json::parse(out);
    REQUIRE(j["latency"]["threads"] == 1);
    REQUIRE(j["latency"]["inference"]["fast_applied"].size() == 4);
    REQUIRE(j.contains("macs"));
    REQUIRE(j.contains("latency_quiet"));  // timed in a quiet window by default
  }
  {
    // The window uses the lock files of ESPBENCH_QUIET_DIR and is recorded; --no-quiet opens none.
    test::TempDir locks("espbench_quiet");
    const std::string env = "ESPBENCH_QUIET_DIR=" + locks.path.string() + " ";
    const std::string common =
        " measure espnetv2 --set scale=0.5 --input 3x32x32 --latency --samples 2 "
        "--warmup 0 --threads 1 --json 2>/dev/null";
    auto [code, out] = test::run_command(env + bin + common);
    CAPTURE(out);
    REQUIRE(code == 0);
    const json quiet = json::parse(out)["latency_quiet"];
    REQUIRE(quiet["paused_others"] == true);
    REQUIRE(quiet["lock_dir"] == locks.path.string());
    auto [code2, out2] = test::run_command(env + bin + common + " --no-quiet");
    CAPTURE(out2);
    REQUIRE(code2 == 0);
    REQUIRE_FALSE(json::parse(out2).contains("latency_quiet"));
    auto [code3, out3] =
        test::run_command(env + bin +
                          " compare espnetv2:scale=0.5 espnetv2:scale=0.5@fast --input 3x32x32 "
                          "--rounds 1 --samples 1 --warmup 0 --threads 1");
    CAPTURE(out3);
    REQUIRE(code3 == 0);
    REQUIRE(out3.find("\nquiet: this machine's espbench training and evaluation paused while timing") !=
            std::string::npos);
  }
  for (const auto& [args, needle] :
       {std::make_pair(std::string("--latency --threads 0"), std::string("--threads")),
        std::make_pair(std::string("--latency --threads 1,x"), std::string("--threads")),
        std::make_pair(std::string("--latency --batch -1"), std::string("--batch")),
        std::make_pair(std::string("--latency --fast=warp"), std::string("warp")),
        std::make_pair(std::string("--set block=esp --latency --fast=eesp_kernel"),
                       std::string("eesp_kernel")),
        std::make_pair(std::string("--fast"), std::string("--latency")),
        std::make_pair(std::string("--no-quiet"), std::string("--latency"))}) {
    CAPTURE(args);
    auto [code, out] =
        test::run_command(bin + " measure espnetv2 --input 3x32x32 --samples 1 --warmup 0 " + args);
    CAPTURE(out);
    REQUIRE(code == 2);
    REQUIRE(out.find(needle) != std::string::npos);
    REQUIRE(std::count(out.begin(), out.end(), '\n') == 1);
  }
  auto [code, out] = test::run_command(bin + " compare espnetv2 espnetv2@fast --threads 0");
  REQUIRE(code == 2);
  REQUIRE(out.find("--threads") != std::string::npos);
}
