// Latency subsystem: the --fast inference transform preserves outputs (per part, per block, whole
// networks, odd shapes), the plain model is never modified, the latency/compare JSON carries its
// fields, and bad options fail with one line. Timing itself is kept tiny (few samples, no warm-up);
// speed claims live in `espbench compare`, never here.
#include <catch2/catch.hpp>
#include <set>

#include "harness/latency/compare.h"
#include "harness/latency/latency.h"
#include "harness/latency/stats.h"
#include "modules/block_network.h"
#include "modules/blocks/eesp.h"
#include "modules/inference/fast_eesp.h"
#include "modules/inference/fast_model.h"
#include "modules/inference/fold_bn.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/dw_hff.h"
#include "modules/kernels/pointwise.h"
#include "modules/kernels/small_conv.h"
#include "tests/test_support.h"

using namespace espbench;

namespace {

// Gives every BN non-trivial statistics and affine terms and every PReLU distinct slopes, so that
// folding and fusing have something to get wrong.
void randomize_inference_state(torch::nn::Module& m, uint64_t seed) {
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  auto uniform = [&](const torch::Tensor& t, double lo, double hi) {
    t.copy_(torch::rand(t.sizes(), gen) * (hi - lo) + lo);
  };
  for (const auto& sub : m.modules()) {
    if (auto* bn = sub->as<torch::nn::BatchNorm2d>()) {
      uniform(bn->running_mean, -0.2, 0.2);
      uniform(bn->running_var, 0.5, 1.5);
      uniform(bn->weight, 0.5, 1.5);
      uniform(bn->bias, -0.2, 0.2);
    } else if (auto* p = sub->as<torch::nn::PReLU>()) {
      uniform(p->weight, 0.05, 0.5);
    }
  }
}

// max |a - b| / max |b|: the 1e-4 relative criterion, robust to outputs near zero.
double rel_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / std::max(1e-12, b.abs().max().item<double>());
}

std::vector<torch::Tensor> state(const torch::nn::Module& m) {
  std::vector<torch::Tensor> out;
  for (const auto& p : m.parameters()) out.push_back(p.detach().clone());
  for (const auto& b : m.buffers()) out.push_back(b.detach().clone());
  return out;
}

bool same_state(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i], b[i])) return false;
  return true;
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

TEST_CASE("FastEESP equals EESP: stride 1 and 2, HFF on and off, odd sizes, batch 2", "[latency]") {
  torch::manual_seed(2);
  const int64_t stride = GENERATE(1, 2);
  const bool hff = GENERATE(true, false);
  const bool fuse = GENERATE(true, false);
  const bool gemm = GENERATE(true, false);
  const int64_t r_lim = GENERATE(13, 7, 3);
  const std::vector<int64_t> shape =
      GENERATE(std::vector<int64_t>{1, 32, 28, 28}, std::vector<int64_t>{2, 32, 13, 9},
               std::vector<int64_t>{1, 32, 5, 7});
  CAPTURE(stride, hff, fuse, gemm, r_lim, shape);
  EESP plain(EESPOptions(32, stride == 2 ? 48 : 32).stride(stride).r_lim(r_lim).hff(hff));
  randomize_inference_state(*plain, 3);
  plain->eval();
  const auto before = state(*plain);
  FastEESP fast(*plain, fuse, gemm);
  REQUIRE(same_state(before, state(*plain)));
  auto x = torch::randn(shape);
  c10::InferenceMode guard;
  REQUIRE(rel_error(fast->forward(x), plain->forward(x)) < kTol);
}

TEST_CASE("grouped_pointwise equals a grouped 1x1 convolution", "[latency]") {
  torch::manual_seed(3);
  auto x = torch::randn({2, 16, 7, 5});
  auto w = torch::randn({24, 4, 1, 1});
  auto expected = torch::nn::functional::conv2d(x, w, torch::nn::functional::Conv2dFuncOptions().groups(4));
  REQUIRE(rel_error(grouped_pointwise(x, w.reshape({4, 6, 4}).contiguous()), expected) < 1e-5);
}

TEST_CASE("pointwise_conv equals conv2d + bias + residual + PReLU at odd shapes, on 1 and 2 threads",
          "[latency]") {
  torch::manual_seed(6);
  // (in, out, groups): output blocks of 8 rows full, partial (5, 12) and a single row.
  const auto [cin, cout, groups] =
      GENERATE(std::make_tuple(16, 24, 4), std::make_tuple(3, 12, 1), std::make_tuple(20, 20, 4),
               std::make_tuple(64, 128, 4), std::make_tuple(8, 2, 2));
  const std::vector<int64_t> hw =
      GENERATE(std::vector<int64_t>{1, 1}, std::vector<int64_t>{5, 3}, std::vector<int64_t>{7, 7},
               std::vector<int64_t>{13, 11}, std::vector<int64_t>{56, 56});
  const int epilogue = GENERATE(0, 1, 2, 3);  // none, bias, bias+PReLU, bias+residual+PReLU
  CAPTURE(cin, cout, groups, hw, epilogue);
  auto x = torch::randn({2, cin, hw[0], hw[1]});
  auto w = torch::randn({cout, cin / groups, 1, 1});
  auto bias = torch::randn({cout});
  auto alpha = torch::rand({cout});
  auto res = torch::randn({2, cout, hw[0], hw[1]});
  auto expected =
      torch::nn::functional::conv2d(x, w, torch::nn::functional::Conv2dFuncOptions().groups(groups));
  if (epilogue >= 1) expected = expected + bias.view({1, -1, 1, 1});
  if (epilogue >= 3) expected = expected + res;
  if (epilogue >= 2) expected = torch::prelu(expected, alpha);
  const auto packed = kernels::pack_pointwise(w.data_ptr<float>(), cout, cin / groups, groups);
  auto run = [&](int threads) {
    const int before = at::get_num_threads();
    at::set_num_threads(threads);
    auto y = torch::full({2, cout, hw[0], hw[1]}, std::nanf(""));
    kernels::PointwiseArgs a;
    a.in = x.data_ptr<float>();
    a.batch = 2;
    a.plane = hw[0] * hw[1];
    a.weight = &packed;
    a.bias = epilogue >= 1 ? bias.data_ptr<float>() : nullptr;
    a.alpha = epilogue >= 2 ? alpha.data_ptr<float>() : nullptr;
    a.residual = epilogue >= 3 ? res.data_ptr<float>() : nullptr;
    a.out = y.data_ptr<float>();
    kernels::pointwise_conv(a);
    at::set_num_threads(before);
    return y;
  };
  const auto one = run(1);
  REQUIRE(rel_error(one, expected) < 1e-5);
  // Every output column is summed in the same order whichever thread computes it.
  REQUIRE(torch::equal(run(2), one));
}

TEST_CASE("avg_pool3x3s2 equals avg_pool2d(3, 2, 1) and writes into a slice", "[latency]") {
  torch::manual_seed(8);
  const std::vector<int64_t> hw =
      GENERATE(std::vector<int64_t>{1, 1}, std::vector<int64_t>{2, 3}, std::vector<int64_t>{7, 7},
               std::vector<int64_t>{13, 10}, std::vector<int64_t>{112, 112});
  CAPTURE(hw);
  auto x = torch::randn({2, 5, hw[0], hw[1]});
  auto expected = torch::avg_pool2d(x, 3, 2, 1);
  // 5 pooled channels into a 7-channel output; channels 5 and 6 must stay untouched.
  auto y = torch::full({2, 7, expected.size(2), expected.size(3)}, 42.f);
  kernels::avg_pool3x3s2_forward(x.data_ptr<float>(), 2, 5, hw[0], hw[1], y.data_ptr<float>(), y[0].numel());
  REQUIRE(rel_error(y.narrow(1, 0, 5), expected) < 1e-6);
  REQUIRE(torch::all(y.narrow(1, 5, 2) == 42.f).item<bool>());
}

TEST_CASE("small_conv3x3 equals conv2d + bias + PReLU: stride 1 and 2, odd sizes, 1-4 input channels",
          "[latency]") {
  torch::manual_seed(9);
  const int64_t stride = GENERATE(1, 2);
  const int64_t cin = GENERATE(1, 3, 4);
  const int64_t cout = GENERATE(3, 8, 32);
  const std::vector<int64_t> hw = GENERATE(std::vector<int64_t>{1, 1}, std::vector<int64_t>{2, 5},
                                           std::vector<int64_t>{13, 11}, std::vector<int64_t>{64, 64});
  const bool prelu = GENERATE(true, false);
  CAPTURE(stride, cin, cout, hw, prelu);
  auto x = torch::randn({2, cin, hw[0], hw[1]});
  auto w = torch::randn({cout, cin, 3, 3});
  auto bias = torch::randn({cout});
  auto alpha = torch::rand({cout});
  auto expected = torch::nn::functional::conv2d(
      x, w, torch::nn::functional::Conv2dFuncOptions().bias(bias).stride(stride).padding(1));
  if (prelu) expected = torch::prelu(expected, alpha);
  auto y = torch::full_like(expected, std::nanf(""));
  kernels::SmallConvArgs a;
  a.in = x.data_ptr<float>();
  a.batch = 2;
  a.in_channels = cin;
  a.h = hw[0];
  a.w = hw[1];
  a.weight = w.data_ptr<float>();
  a.out_channels = cout;
  a.stride = stride;
  a.bias = bias.data_ptr<float>();
  a.alpha = prelu ? alpha.data_ptr<float>() : nullptr;
  a.out = y.data_ptr<float>();
  kernels::small_conv3x3(a);
  REQUIRE(rel_error(y, expected) < 1e-5);
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
  const auto before = state(*plain);
  FastResult fast = make_fast(resolved, *plain, parse_fast_parts(parts));
  REQUIRE(same_state(before, state(*plain)));
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
  }
  for (const auto& [args, needle] :
       {std::make_pair(std::string("--latency --threads 0"), std::string("--threads")),
        std::make_pair(std::string("--latency --threads 1,x"), std::string("--threads")),
        std::make_pair(std::string("--latency --batch -1"), std::string("--batch")),
        std::make_pair(std::string("--latency --fast=warp"), std::string("warp")),
        std::make_pair(std::string("--set block=esp --latency --fast=eesp_kernel"),
                       std::string("eesp_kernel")),
        std::make_pair(std::string("--fast"), std::string("--latency"))}) {
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
