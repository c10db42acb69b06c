// The hand-written CPU kernels (modules/kernels/): each one equals the LibTorch ops it replaces, in
// value and gradients, at every geometry the networks use (stride 1/2, dilations up to beyond the
// map, odd and 1x1 maps, partial register tiles), under every instruction set this machine can run
// (kernels::ScopedIsa forces each build in turn); plus the dispatch itself (ESPBENCH_ISA), the
// switch to LibTorch's ops, and the counter's view of the native ops.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "modules/blocks/eesp.h"
#include "modules/blocks/layers.h"
#include "modules/inference/fast_eesp.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/batch_norm_act.h"
#include "modules/kernels/depthwise.h"
#include "modules/kernels/dispatch.h"
#include "modules/kernels/dw_hff.h"
#include "modules/kernels/pointwise.h"
#include "modules/kernels/small_conv.h"
#include "modules/kernels/switch.h"
#include "modules/scope.h"
#include "tests/test_support.h"

using namespace espbench;
using test::require_close;

namespace {

struct Case {
  int64_t n, c, h, w, k, stride, dilation;
};

struct Grads {
  torch::Tensor y, gx, gw;
};

Grads run(bool native, const torch::Tensor& x0, const torch::Tensor& w0, const torch::Tensor& gy_seed,
          const Case& t) {
  auto x = x0.clone().requires_grad_(true);
  auto w = w0.clone().requires_grad_(true);
  const int64_t pad = (t.k - 1) / 2 * t.dilation;
  auto y = native ? kernels::depthwise_conv2d_native(x, w, t.stride, pad, t.dilation)
                  : torch::conv2d(x, w, {}, t.stride, pad, t.dilation, t.c);
  (y * gy_seed.narrow(0, 0, y.numel()).view_as(y)).sum().backward();
  return {y.detach(), x.grad(), w.grad()};
}

// One GENERATE branch per instruction set this machine runs; the caller forces it with ScopedIsa.
std::vector<kernels::Isa> isas() { return kernels::runnable_isas(); }

torch::Tensor prelu_or_identity(const torch::Tensor& x, const torch::Tensor& alpha, bool on) {
  return on ? torch::prelu(x, alpha) : x;
}

}  // namespace

TEST_CASE("kernel dispatch: runnable builds, scoped override, the name reports record", "[kernels]") {
  const auto all = kernels::runnable_isas();
  REQUIRE(!all.empty());
  REQUIRE(all.back() == kernels::Isa::Generic);  // every CPU runs the baseline build
  const kernels::Isa before = kernels::active_isa();
  for (kernels::Isa isa : all) {
    kernels::ScopedIsa scoped(isa);
    REQUIRE(kernels::active_isa() == isa);
    REQUIRE(std::string(kernels::kernel_isa()) == kernels::isa_name(isa));
  }
  REQUIRE(kernels::active_isa() == before);
  for (kernels::Isa isa : {kernels::Isa::Avx512, kernels::Isa::Avx2})
    if (!kernels::isa_runnable(isa))
      REQUIRE_THROWS_WITH(kernels::ScopedIsa(isa), Catch::Contains(kernels::isa_name(isa)));
}

TEST_CASE("ESPBENCH_ISA picks the build, and a bad value fails with one line naming it", "[kernels]") {
  const std::string bin = test::espbench_binary();
  const std::string measure =
      " measure espnetv2 --set scale=0.5 --input 3x32x32 --latency --fast --samples 1 "
      "--warmup 0 --threads 1";
  {
    auto [code, out] = test::run_command("ESPBENCH_ISA=generic " + bin + measure + " --json 2>/dev/null");
    CAPTURE(out);
    REQUIRE(code == 0);
    REQUIRE(json::parse(out)["latency"]["inference"]["kernel_isa"] == "generic");
  }
  auto [code, out] = test::run_command("ESPBENCH_ISA=avx9 " + bin + measure);
  CAPTURE(out);
  REQUIRE(code == 2);
  REQUIRE(out.find("ESPBENCH_ISA=avx9") != std::string::npos);
  REQUIRE(out.find("avx512, avx2, generic") != std::string::npos);
  REQUIRE(std::count(out.begin(), out.end(), '\n') == 1);
}

TEST_CASE("native depth-wise conv equals at::conv2d in value and gradients", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(7);
  const Case cases[] = {
      {2, 3, 7, 7, 3, 1, 1},   {3, 5, 14, 14, 3, 1, 2}, {2, 4, 4, 4, 3, 1, 3},   {2, 4, 2, 2, 3, 1, 5},
      {1, 6, 1, 1, 3, 1, 2},   {2, 3, 9, 11, 3, 2, 1},  {2, 3, 14, 14, 3, 2, 2}, {2, 3, 7, 5, 3, 2, 4},
      {4, 8, 28, 28, 3, 2, 1}, {1, 2, 5, 6, 5, 1, 1},   {2, 3, 3, 3, 3, 2, 3},   {2, 37, 6, 6, 3, 1, 2},
  };
  for (const Case& t : cases) {
    CAPTURE(t.n, t.c, t.h, t.w, t.k, t.stride, t.dilation);
    auto x = torch::randn({t.n, t.c, t.h, t.w});
    auto w = torch::randn({t.c, 1, t.k, t.k});
    auto seed = torch::randn({t.n * t.c * t.h * t.w});
    Grads ref = run(false, x, w, seed, t);
    Grads got = run(true, x, w, seed, t);
    require_close(got.y, ref.y, 1e-5, "output");
    require_close(got.gx, ref.gx, 1e-5, "input gradient");
    require_close(got.gw, ref.gw, 1e-5, "weight gradient");
  }
}

TEST_CASE("native depth-wise conv: non-contiguous input, no input gradient, deterministic", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(3);
  auto x = torch::randn({3, 6, 9, 9}).transpose(2, 3);  // not contiguous
  auto w = torch::randn({6, 1, 3, 3}, torch::requires_grad());
  REQUIRE(kernels::native_depthwise_applies(x, w, 2));
  auto y1 = kernels::depthwise_conv2d(x, w, 1, 2, 2);
  auto ref = torch::conv2d(x, w.detach(), {}, 1, 2, 2, 6);
  require_close(y1.detach(), ref, 1e-5, "output");
  y1.sum().backward();
  const auto g1 = w.grad().clone();
  w.mutable_grad().zero_();
  kernels::depthwise_conv2d(x, w, 1, 2, 2).sum().backward();
  REQUIRE(torch::equal(g1, w.grad()));  // same summation order every time
}

TEST_CASE("native depth-wise conv falls back to at::conv2d where it does not apply", "[kernels]") {
  auto x = torch::randn({1, 4, 5, 5}, torch::kFloat64);
  auto w = torch::randn({4, 1, 3, 3}, torch::kFloat64);
  REQUIRE_FALSE(kernels::native_depthwise_applies(x, w, 2));
  auto y = kernels::depthwise_conv2d(x, w, 1, 1, 1);
  REQUIRE(torch::allclose(y, torch::conv2d(x, w, {}, 1, 1, 1, 4)));
  kernels::set_native_kernels(false);
  REQUIRE_FALSE(kernels::native_depthwise_applies(x.to(torch::kFloat32), w.to(torch::kFloat32), 2));
  kernels::set_native_kernels(true);
}

TEST_CASE("the counter counts the native depth-wise conv as a convolution", "[kernels][counter]") {
  class DwNet : public Network {
   public:
    DwNet() {
      dw = register_module("dw", ConvBNAct(ConvBNActOptions(8, 8, 3).groups(8).dilation(2).stride(2)));
    }
    torch::Tensor forward(torch::Tensor x) override {
      ModuleScope scope(this);
      return dw->forward(x);
    }
    ConvBNAct dw{nullptr};
  };
  DwNet net;
  auto native = count_complexity(net, {2, 8, 9, 9});
  kernels::set_native_kernels(false);
  auto aten = count_complexity(net, {2, 8, 9, 9});
  kernels::set_native_kernels(true);
  const int64_t expected = 8 * 5 * 5 * 9;  // 8 channels, 5x5 outputs, 9 taps
  REQUIRE(native.per_image.conv_macs == expected);
  REQUIRE(aten.per_image.conv_macs == expected);
  REQUIRE(native.per_image.elementwise_ops == aten.per_image.elementwise_ops);
}

TEST_CASE("fused training BatchNorm + activation equals BatchNorm2d then the activation", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(11);
  struct Shape4 {
    int64_t n, c, h, w;
  };
  const Shape4 shapes[] = {{4, 3, 5, 7}, {8, 16, 1, 1}, {3, 5, 2, 2}, {2, 4, 14, 14}};
  const kernels::PostAct acts[] = {kernels::PostAct::None, kernels::PostAct::ReLU, kernels::PostAct::PReLU};
  for (const auto& s : shapes)
    for (auto act : acts)
      for (bool cumulative : {false, true}) {
        CAPTURE(s.n, s.c, s.h, s.w, static_cast<int>(act), cumulative);
        auto make_bn = [&] {
          auto o = torch::nn::BatchNorm2dOptions(s.c).eps(1e-3);
          if (cumulative) o.momentum(c10::nullopt);
          torch::nn::BatchNorm2d bn(o);
          torch::NoGradGuard g;
          bn->weight.uniform_(0.5, 1.5), bn->bias.uniform_(-0.5, 0.5);
          bn->running_mean.fill_(0.2), bn->running_var.fill_(1.5);
          return bn;
        };
        auto x0 = torch::randn({s.n, s.c, s.h, s.w}) * 2 + 0.3;
        auto seed = torch::randn({s.n, s.c, s.h, s.w});
        auto alpha0 = torch::rand({s.c}) * 0.5;
        torch::manual_seed(1);
        auto ref_bn = make_bn();
        torch::manual_seed(1);
        auto got_bn = make_bn();
        auto ref_alpha = alpha0.clone().requires_grad_(true), got_alpha = alpha0.clone().requires_grad_(true);
        auto ref_x = x0.clone().requires_grad_(true), got_x = x0.clone().requires_grad_(true);
        for (int step = 0; step < 2; ++step) {  // twice: the running statistics update twice
          auto z = ref_bn->forward(ref_x);
          auto ref_y = act == kernels::PostAct::PReLU  ? torch::prelu(z, ref_alpha)
                       : act == kernels::PostAct::ReLU ? torch::relu(z)
                                                       : z;
          const kernels::BatchNormState st = batch_norm_state(*got_bn);
          REQUIRE(kernels::native_batch_norm_act_applies(got_x, st));
          auto got_y = kernels::batch_norm_act(got_x, st, got_alpha, act);
          require_close(got_y.detach(), ref_y.detach(), 1e-5, "output");
          (ref_y * seed).sum().backward();
          (got_y * seed).sum().backward();
        }
        require_close(got_x.grad(), ref_x.grad(), 1e-5, "input gradient");
        require_close(got_bn->weight.grad(), ref_bn->weight.grad(), 1e-5, "BN weight gradient");
        require_close(got_bn->bias.grad(), ref_bn->bias.grad(), 1e-5, "BN bias gradient");
        if (act == kernels::PostAct::PReLU)
          require_close(got_alpha.grad(), ref_alpha.grad(), 1e-5, "PReLU weight gradient");
        require_close(got_bn->running_mean, ref_bn->running_mean, 1e-5, "running mean");
        require_close(got_bn->running_var, ref_bn->running_var, 1e-5, "running var");
        REQUIRE(got_bn->num_batches_tracked.item<int64_t>() == ref_bn->num_batches_tracked.item<int64_t>());
      }
}

TEST_CASE("a training step of the blocks is the same with and without the native kernels", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  for (const std::string block : {"eesp", "eesp_a", "esp"}) {
    CAPTURE(block);
    auto run_step = [&](bool native) {
      kernels::set_native_kernels(native);
      torch::manual_seed(5);
      auto net = test::build("espnetv2", {{"block", block},
                                          {"scale", 0.5},
                                          {"in_channels", 1},
                                          {"num_classes", 10},
                                          {"dropout", 0.0},
                                          {"small_input", true}});
      net->train();
      auto x = torch::randn({8, 1, 28, 28});
      auto loss =
          torch::nn::functional::cross_entropy(net->forward(x), torch::tensor({1, 2, 3, 4, 5, 6, 7, 8}));
      loss.backward();
      kernels::set_native_kernels(true);
      std::vector<torch::Tensor> grads;
      for (const auto& p : net->parameters())
        grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
      return std::make_pair(loss.item<double>(), grads);
    };
    auto [native_loss, native_grads] = run_step(true);
    auto [ref_loss, ref_grads] = run_step(false);
    REQUIRE(native_loss == Approx(ref_loss).epsilon(1e-5));
    REQUIRE(native_grads.size() == ref_grads.size());
    // Summation order differs, and BatchNorm over a few values per channel at level 5 (8 images of
    // 2x2 maps) amplifies rounding: compare the whole gradient by relative norm.
    auto flat = [](const std::vector<torch::Tensor>& grads) {
      std::vector<torch::Tensor> v;
      for (const auto& g : grads) v.push_back(g.flatten());
      return torch::cat(v);
    };
    const auto all_native = flat(native_grads), all_ref = flat(ref_grads);
    const double rel = ((all_native - all_ref).norm() / all_ref.norm()).item<double>();
    INFO("relative gradient difference " << rel);
    REQUIRE(rel < 1e-3);
  }
}

TEST_CASE("native PReLU equals torch::prelu in value and gradients", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(13);
  for (int64_t channels_of_weight : {1, 6}) {
    CAPTURE(channels_of_weight);
    auto x0 = torch::randn({5, 6, 3, 5});
    auto a0 = torch::rand({channels_of_weight}) * 0.5;
    auto seed = torch::randn({5, 6, 3, 5});
    auto x1 = x0.clone().requires_grad_(true), a1 = a0.clone().requires_grad_(true);
    auto x2 = x0.clone().requires_grad_(true), a2 = a0.clone().requires_grad_(true);
    REQUIRE(kernels::native_prelu_applies(x1, a1));
    auto got = kernels::prelu(x1, a1);
    auto ref = torch::prelu(x2, a2);
    require_close(got.detach(), ref.detach(), 1e-5, "output");
    (got * seed).sum().backward();
    (ref * seed).sum().backward();
    require_close(x1.grad(), x2.grad(), 1e-5, "input gradient");
    require_close(a1.grad(), a2.grad(), 1e-5, "weight gradient");
  }
}

TEST_CASE("native 3x3/s2 average pool equals avg_pool2d in value and gradient, counted as a pool",
          "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(11);
  const std::vector<std::vector<int64_t>> shapes = {{2, 3, 1, 1},   {2, 3, 2, 3},   {3, 5, 7, 7},
                                                    {2, 4, 14, 13}, {4, 8, 28, 28}, {1, 2, 112, 112}};
  for (const auto& s : shapes) {
    CAPTURE(s);
    auto x0 = torch::randn(s);
    auto ref_x = x0.clone().requires_grad_(true);
    auto got_x = x0.clone().requires_grad_(true);
    auto ref = torch::avg_pool2d(ref_x, 3, 2, 1);
    auto got = kernels::avg_pool3x3s2(got_x);
    require_close(got.detach(), ref.detach(), 1e-5, "output");
    auto gy = torch::randn(ref.sizes());
    ref.backward(gy);
    got.backward(gy);
    require_close(got_x.grad(), ref_x.grad(), 1e-5, "input gradient");
  }
  SECTION("switched off it is LibTorch's op") {
    kernels::set_native_kernels(false);
    auto x = torch::randn({1, 2, 5, 5});
    auto y = kernels::avg_pool3x3s2(x);
    kernels::set_native_kernels(true);
    REQUIRE(torch::equal(y, torch::avg_pool2d(x, 3, 2, 1)));
  }
}

TEST_CASE("avg_pool3x3s2 equals avg_pool2d(3, 2, 1) and writes into a slice", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
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
  require_close(y.narrow(1, 0, 5), expected, 1e-6, "pooled channels");
  REQUIRE(torch::all(y.narrow(1, 5, 2) == 42.f).item<bool>());
}

TEST_CASE("pointwise_conv equals conv2d + bias + residual + PReLU at odd shapes, on 1 and 2 threads",
          "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  torch::manual_seed(6);
  // (in, out, groups): output blocks of 8 rows full, partial (5, 12) and a single row.
  const auto [cin, cout, groups] =
      GENERATE(std::make_tuple(16, 24, 4), std::make_tuple(3, 12, 1), std::make_tuple(20, 20, 4),
               std::make_tuple(64, 128, 4), std::make_tuple(8, 2, 2));
  const std::vector<int64_t> hw =
      GENERATE(std::vector<int64_t>{1, 1}, std::vector<int64_t>{5, 3}, std::vector<int64_t>{7, 7},
               std::vector<int64_t>{13, 11}, std::vector<int64_t>{56, 56});
  const int epilogue = GENERATE(0, 1, 2, 3);  // none, bias, bias+PReLU, bias+residual+PReLU
  CAPTURE(kernels::isa_name(isa), cin, cout, groups, hw, epilogue);
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
  require_close(one, expected, 1e-5, "output");
  // Every output column is summed in the same order whichever thread computes it.
  REQUIRE(torch::equal(run(2), one));
}

TEST_CASE("small_conv3x3 equals conv2d + bias + PReLU: stride 1 and 2, odd sizes, 1-4 input channels",
          "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  torch::manual_seed(9);
  const int64_t stride = GENERATE(1, 2);
  const int64_t cin = GENERATE(1, 3, 4);
  const int64_t cout = GENERATE(3, 8, 32);
  const std::vector<int64_t> hw = GENERATE(std::vector<int64_t>{1, 1}, std::vector<int64_t>{2, 5},
                                           std::vector<int64_t>{13, 11}, std::vector<int64_t>{64, 64});
  const bool prelu = GENERATE(true, false);
  CAPTURE(kernels::isa_name(isa), stride, cin, cout, hw, prelu);
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
  require_close(y, expected, 1e-5, "output");
}

TEST_CASE("dw_dilated_hff equals PReLU, dilated depth-wise convs, HFF sums, BN and PReLU in LibTorch",
          "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  torch::manual_seed(10);
  const int64_t stride = GENERATE(1, 2);
  const bool hff = GENERATE(true, false);
  const bool terms = GENERATE(true, false);  // input bias/PReLU and output BN/PReLU, or none
  const std::vector<int64_t> dilations =
      GENERATE(std::vector<int64_t>{1, 2, 3, 4}, std::vector<int64_t>{1, 5});
  const std::vector<int64_t> shape =
      GENERATE(std::vector<int64_t>{1, 8, 28, 28}, std::vector<int64_t>{2, 5, 13, 9},
               std::vector<int64_t>{1, 3, 5, 7}, std::vector<int64_t>{2, 4, 1, 1});
  CAPTURE(kernels::isa_name(isa), stride, hff, terms, dilations, shape);
  const int64_t batch = shape[0], n = shape[1], k = static_cast<int64_t>(dilations.size());
  auto x = torch::randn(shape);
  auto weight = torch::randn({k, n, 3, 3});
  auto in_bias = torch::randn({n}), in_alpha = torch::rand({n});
  auto scale = torch::rand({k * n}) + 0.5, shift = torch::randn({k * n}) * 0.2,
       out_alpha = torch::rand({k * n});

  auto act = terms ? torch::prelu(x + in_bias.view({1, -1, 1, 1}), in_alpha) : x;
  std::vector<torch::Tensor> branches;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t d = dilations[static_cast<size_t>(i)];
    auto y = torch::conv2d(act, weight[i].unsqueeze(1), {}, stride, d, d, n);
    if (hff && i > 0) y = y + branches.back();
    branches.push_back(y);
  }
  auto expected = torch::cat(branches, 1);
  if (terms)
    expected = torch::prelu(expected * scale.view({1, -1, 1, 1}) + shift.view({1, -1, 1, 1}), out_alpha);

  auto out = torch::full_like(expected, std::nanf(""));
  kernels::DwHffArgs a;
  a.in = x.data_ptr<float>();
  a.batch = batch;
  a.n = n;
  a.h = shape[2];
  a.w = shape[3];
  a.in_bias = terms ? in_bias.data_ptr<float>() : nullptr;
  a.in_alpha = terms ? in_alpha.data_ptr<float>() : nullptr;
  a.weight = weight.data_ptr<float>();
  a.dilations = dilations;
  a.stride = stride;
  a.hff = hff;
  a.out_scale = terms ? scale.data_ptr<float>() : nullptr;
  a.out_shift = terms ? shift.data_ptr<float>() : nullptr;
  a.out_alpha = terms ? out_alpha.data_ptr<float>() : nullptr;
  a.out = out.data_ptr<float>();
  a.oh = expected.size(2);
  a.ow = expected.size(3);
  kernels::dw_dilated_hff(a);
  require_close(out, expected, 1e-5, "output");
}

TEST_CASE("bias_residual_prelu equals the sum and PReLU in LibTorch, every term optional", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  torch::manual_seed(12);
  const bool bias_on = GENERATE(true, false), residual_on = GENERATE(true, false),
             alpha_on = GENERATE(true, false);
  const std::vector<int64_t> shape = GENERATE(
      std::vector<int64_t>{1, 6, 7, 7}, std::vector<int64_t>{2, 3, 13, 11}, std::vector<int64_t>{2, 5, 1, 1});
  CAPTURE(kernels::isa_name(isa), bias_on, residual_on, alpha_on, shape);
  auto y0 = torch::randn(shape), bias = torch::randn({shape[1]}), res = torch::randn(shape);
  auto alpha = torch::rand({shape[1]});
  auto expected = y0.clone();
  if (bias_on) expected = expected + bias.view({1, -1, 1, 1});
  if (residual_on) expected = expected + res;
  expected = prelu_or_identity(expected, alpha, alpha_on);
  auto y = y0.clone();
  kernels::bias_residual_prelu(y.data_ptr<float>(), shape[0], shape[1], shape[2] * shape[3],
                               bias_on ? bias.data_ptr<float>() : nullptr,
                               residual_on ? res.data_ptr<float>() : nullptr,
                               alpha_on ? alpha.data_ptr<float>() : nullptr);
  require_close(y, expected, 1e-6, "output");
}

TEST_CASE("FastEESP equals EESP: stride 1 and 2, HFF on and off, odd sizes, batch 2", "[kernels]") {
  const kernels::Isa isa = GENERATE(from_range(isas()));
  kernels::ScopedIsa scoped(isa);
  torch::manual_seed(2);
  const int64_t stride = GENERATE(1, 2);
  const bool hff = GENERATE(true, false);
  const bool fuse = GENERATE(true, false);
  const bool gemm = GENERATE(true, false);
  const int64_t r_lim = GENERATE(13, 7, 3);
  const std::vector<int64_t> shape =
      GENERATE(std::vector<int64_t>{1, 32, 28, 28}, std::vector<int64_t>{2, 32, 13, 9},
               std::vector<int64_t>{1, 32, 5, 7});
  CAPTURE(kernels::isa_name(isa), stride, hff, fuse, gemm, r_lim, shape);
  EESP plain(EESPOptions(32, stride == 2 ? 48 : 32).stride(stride).r_lim(r_lim).hff(hff));
  test::randomize_inference_state(*plain, 3);
  plain->eval();
  const auto before = test::module_state(*plain);
  FastEESP fast(*plain, fuse, gemm);
  REQUIRE(test::same_state(before, test::module_state(*plain)));
  auto x = torch::randn(shape);
  c10::InferenceMode guard;
  require_close(fast->forward(x), plain->forward(x), 1e-4, "output");
}
