// The native depth-wise conv (modules/kernels/depthwise.h): same outputs and gradients as
// at::conv2d at every geometry the blocks use (stride 1/2, dilation up to beyond the map, odd and
// 1x1 maps), counted as a conv, deterministic, and switchable.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "modules/blocks/layers.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/batch_norm_act.h"
#include "modules/kernels/depthwise.h"
#include "modules/kernels/switch.h"
#include "modules/scope.h"
#include "tests/test_support.h"

using namespace espbench;

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

void require_close(const torch::Tensor& a, const torch::Tensor& b, const char* what) {
  INFO(what << ": shapes " << a.sizes() << " vs " << b.sizes());
  REQUIRE(a.sizes() == b.sizes());
  const double scale = std::max(1.0, b.abs().max().item<double>());
  const double err = (a - b).abs().max().item<double>();
  INFO(what << ": max abs error " << err << " (scale " << scale << ")");
  REQUIRE(err <= 1e-5 * scale);
}

}  // namespace

TEST_CASE("native depth-wise conv equals at::conv2d in value and gradients", "[kernels]") {
  torch::manual_seed(7);
  const Case cases[] = {
      {2, 3, 7, 7, 3, 1, 1},   {3, 5, 14, 14, 3, 1, 2}, {2, 4, 4, 4, 3, 1, 3},   {2, 4, 2, 2, 3, 1, 5},
      {1, 6, 1, 1, 3, 1, 2},   {2, 3, 9, 11, 3, 2, 1},  {2, 3, 14, 14, 3, 2, 2}, {2, 3, 7, 5, 3, 2, 4},
      {4, 8, 28, 28, 3, 2, 1}, {1, 2, 5, 6, 5, 1, 1},   {2, 3, 3, 3, 3, 2, 3},
  };
  for (const Case& t : cases) {
    CAPTURE(t.n, t.c, t.h, t.w, t.k, t.stride, t.dilation);
    auto x = torch::randn({t.n, t.c, t.h, t.w});
    auto w = torch::randn({t.c, 1, t.k, t.k});
    auto seed = torch::randn({t.n * t.c * t.h * t.w});
    Grads ref = run(false, x, w, seed, t);
    Grads got = run(true, x, w, seed, t);
    require_close(got.y, ref.y, "output");
    require_close(got.gx, ref.gx, "input gradient");
    require_close(got.gw, ref.gw, "weight gradient");
  }
}

TEST_CASE("native depth-wise conv: non-contiguous input, no input gradient, deterministic", "[kernels]") {
  torch::manual_seed(3);
  auto x = torch::randn({3, 6, 9, 9}).transpose(2, 3);  // not contiguous
  auto w = torch::randn({6, 1, 3, 3}, torch::requires_grad());
  REQUIRE(kernels::native_depthwise_applies(x, w, 2));
  auto y1 = kernels::depthwise_conv2d(x, w, 1, 2, 2);
  auto ref = torch::conv2d(x, w.detach(), {}, 1, 2, 2, 6);
  require_close(y1.detach(), ref, "output");
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
          kernels::BatchNormState st{got_bn->weight,
                                     got_bn->bias,
                                     got_bn->running_mean,
                                     got_bn->running_var,
                                     got_bn->num_batches_tracked,
                                     got_bn->options.momentum(),
                                     got_bn->options.eps()};
          REQUIRE(kernels::native_batch_norm_act_applies(got_x, st));
          auto got_y = kernels::batch_norm_act(got_x, st, got_alpha, act);
          require_close(got_y.detach(), ref_y.detach(), "output");
          (ref_y * seed).sum().backward();
          (got_y * seed).sum().backward();
        }
        require_close(got_x.grad(), ref_x.grad(), "input gradient");
        require_close(got_bn->weight.grad(), ref_bn->weight.grad(), "BN weight gradient");
        require_close(got_bn->bias.grad(), ref_bn->bias.grad(), "BN bias gradient");
        if (act == kernels::PostAct::PReLU)
          require_close(got_alpha.grad(), ref_alpha.grad(), "PReLU weight gradient");
        require_close(got_bn->running_mean, ref_bn->running_mean, "running mean");
        require_close(got_bn->running_var, ref_bn->running_var, "running var");
        REQUIRE(got_bn->num_batches_tracked.item<int64_t>() == ref_bn->num_batches_tracked.item<int64_t>());
      }
}

TEST_CASE("a training step of the blocks is the same with and without the native kernels", "[kernels]") {
  for (const std::string block : {"eesp", "eesp_a", "esp"}) {
    CAPTURE(block);
    auto run_step = [&](bool native) {
      kernels::set_native_kernels(native);
      torch::manual_seed(5);
      auto net = test::build(
          "espnetv2",
          {{"block", block}, {"scale", 0.5}, {"in_channels", 1}, {"num_classes", 10}, {"dropout", 0.0}});
      net->train();
      auto x = torch::randn({4, 1, 28, 28});
      auto loss = torch::nn::functional::cross_entropy(net->forward(x), torch::tensor({1, 2, 3, 4}));
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
    // Summation order differs, and BatchNorm over 4 images of 1x1 maps amplifies rounding: compare
    // the whole gradient by relative norm.
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
    require_close(got.detach(), ref.detach(), "output");
    (got * seed).sum().backward();
    (ref * seed).sum().backward();
    require_close(x1.grad(), x2.grad(), "input gradient");
    require_close(a1.grad(), a2.grad(), "weight gradient");
  }
}

TEST_CASE("native 3x3/s2 average pool equals avg_pool2d in value and gradient, counted as a pool",
          "[kernels]") {
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
    require_close(got.detach(), ref.detach(), "output");
    auto gy = torch::randn(ref.sizes());
    ref.backward(gy);
    got.backward(gy);
    require_close(got_x.grad(), ref_x.grad(), "input gradient");
  }
  SECTION("switched off it is LibTorch's op") {
    kernels::set_native_kernels(false);
    auto x = torch::randn({1, 2, 5, 5});
    auto y = kernels::avg_pool3x3s2(x);
    kernels::set_native_kernels(true);
    REQUIRE(torch::equal(y, torch::avg_pool2d(x, 3, 2, 1)));
  }
}
