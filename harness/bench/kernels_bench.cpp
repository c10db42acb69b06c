// Micro-benchmarks of the native training kernels (modules/kernels/) against the LibTorch ops they
// replace, forward + backward, at the shapes of ESPNetv2 s=1.0 training on 28x28 images, batch 128;
// the native side once per instruction set this CPU runs (kernels::ScopedIsa). Run them alone with
//   build/espbench_blocks_bench --benchmark_filter='^kernel_' --benchmark_repetitions=5
// and compare native_ISA/ against aten/ of the same shape in the same run.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <optional>

#include "modules/blocks/layers.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/batch_norm_act.h"
#include "modules/kernels/depthwise.h"
#include "modules/kernels/dispatch.h"
#include "modules/kernels/switch.h"

namespace {

using espbench::kernels::Isa;
using espbench::kernels::PostAct;

// The native kernels on one ISA, or LibTorch's ops (no ISA), while a benchmark runs.
struct KernelChoice {
  explicit KernelChoice(std::optional<Isa> isa) {
    espbench::kernels::set_native_kernels(isa.has_value());
    if (isa) scoped.emplace(*isa);
  }
  ~KernelChoice() { espbench::kernels::set_native_kernels(true); }
  std::optional<espbench::kernels::ScopedIsa> scoped;
};

void bn_prelu(benchmark::State& state, std::optional<Isa> isa, std::vector<int64_t> shape) {
  KernelChoice choice(isa);
  torch::nn::BatchNorm2d bn(shape[1]);
  torch::nn::PReLU prelu(torch::nn::PReLUOptions().num_parameters(shape[1]));
  const auto x = torch::randn(shape).requires_grad_(true);
  const auto gy = torch::randn(shape);
  for (auto _ : state) {
    torch::Tensor y;
    const espbench::kernels::BatchNormState st = espbench::batch_norm_state(*bn);
    if (isa)
      y = espbench::kernels::batch_norm_act(x, st, prelu->weight, PostAct::PReLU);
    else
      y = prelu->forward(bn->forward(x));
    y.backward(gy);
  }
}

void depthwise(benchmark::State& state, std::optional<Isa> isa, std::vector<int64_t> shape, int64_t stride,
               int64_t dilation) {
  KernelChoice choice(isa);
  const auto x = torch::randn(shape).requires_grad_(true);
  const auto w = torch::randn({shape[1], 1, 3, 3}).requires_grad_(true);
  auto run = [&] {
    return isa ? espbench::kernels::depthwise_conv2d_native(x, w, stride, dilation, dilation)
               : torch::conv2d(x, w, {}, stride, dilation, dilation, x.size(1));
  };
  const auto gy = torch::randn_like(run());
  for (auto _ : state) run().backward(gy);
}

void avg_pool(benchmark::State& state, std::optional<Isa> isa, std::vector<int64_t> shape) {
  KernelChoice choice(isa);
  const auto x = torch::randn(shape).requires_grad_(true);
  const auto gy = torch::randn_like(torch::avg_pool2d(x.detach(), 3, 2, 1));
  for (auto _ : state) espbench::kernels::avg_pool3x3s2(x).backward(gy);  // LibTorch's op when off
}

const bool registered = [] {
  std::vector<std::optional<Isa>> sides;
  for (Isa isa : espbench::kernels::runnable_isas()) sides.emplace_back(isa);
  sides.emplace_back(std::nullopt);
  const std::vector<std::vector<int64_t>> shapes = {{128, 256, 2, 2}, {128, 64, 7, 7}, {128, 32, 14, 14}};
  for (const auto& s : shapes)
    for (const auto& side : sides) {
      const std::string tag = fmt::format("{}x{}x{}x{}", s[0], s[1], s[2], s[3]);
      const std::string impl =
          side ? fmt::format("native_{}", espbench::kernels::isa_option(*side)) : std::string("aten");
      benchmark::RegisterBenchmark(fmt::format("kernel_bn_prelu_{}_{}", impl, tag).c_str(),
                                   [=](benchmark::State& st) { bn_prelu(st, side, s); })
          ->Unit(benchmark::kMicrosecond);
      for (int64_t d : {1, 2})
        benchmark::RegisterBenchmark(fmt::format("kernel_dw3x3_d{}_{}_{}", d, impl, tag).c_str(),
                                     [=](benchmark::State& st) { depthwise(st, side, s, 1, d); })
            ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(fmt::format("kernel_avgpool3x3s2_{}_{}", impl, tag).c_str(),
                                   [=](benchmark::State& st) { avg_pool(st, side, s); })
          ->Unit(benchmark::kMicrosecond);
    }
  return true;
}();

}  // namespace
