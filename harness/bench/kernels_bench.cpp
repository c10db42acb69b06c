// Micro-benchmarks of the native training kernels (modules/kernels/) against the LibTorch ops they
// replace, forward + backward, at the shapes of ESPNetv2 s=1.0 training on 28x28 images, batch 128.
// Run them alone with
//   build/espbench_blocks_bench --benchmark_filter='^kernel_' --benchmark_repetitions=5
// and compare native/ against aten/ of the same shape in the same run.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include "modules/kernels/batch_norm_act.h"
#include "modules/kernels/depthwise.h"
#include "modules/kernels/switch.h"

namespace {

using espbench::kernels::PostAct;

struct NativeSwitch {  // restores the switch when a benchmark ends
  explicit NativeSwitch(bool on) { espbench::kernels::set_native_kernels(on); }
  ~NativeSwitch() { espbench::kernels::set_native_kernels(true); }
};

void bn_prelu(benchmark::State& state, bool native, std::vector<int64_t> shape) {
  NativeSwitch sw(native);
  torch::nn::BatchNorm2d bn(shape[1]);
  torch::nn::PReLU prelu(torch::nn::PReLUOptions().num_parameters(shape[1]));
  const auto x = torch::randn(shape).requires_grad_(true);
  const auto gy = torch::randn(shape);
  for (auto _ : state) {
    torch::Tensor y;
    espbench::kernels::BatchNormState st{bn->weight,
                                         bn->bias,
                                         bn->running_mean,
                                         bn->running_var,
                                         bn->num_batches_tracked,
                                         bn->options.momentum(),
                                         bn->options.eps()};
    if (native)
      y = espbench::kernels::batch_norm_act(x, st, prelu->weight, PostAct::PReLU);
    else
      y = prelu->forward(bn->forward(x));
    y.backward(gy);
  }
}

void depthwise(benchmark::State& state, bool native, std::vector<int64_t> shape, int64_t stride,
               int64_t dilation) {
  const auto x = torch::randn(shape).requires_grad_(true);
  const auto w = torch::randn({shape[1], 1, 3, 3}).requires_grad_(true);
  auto run = [&] {
    return native ? espbench::kernels::depthwise_conv2d_native(x, w, stride, dilation, dilation)
                  : torch::conv2d(x, w, {}, stride, dilation, dilation, x.size(1));
  };
  const auto gy = torch::randn_like(run());
  for (auto _ : state) run().backward(gy);
}

const bool registered = [] {
  const std::vector<std::vector<int64_t>> shapes = {{128, 256, 2, 2}, {128, 64, 7, 7}, {128, 32, 14, 14}};
  for (const auto& s : shapes)
    for (bool native : {true, false}) {
      const std::string tag = fmt::format("{}x{}x{}x{}", s[0], s[1], s[2], s[3]);
      benchmark::RegisterBenchmark(
          fmt::format("kernel_bn_prelu_{}_{}", native ? "native" : "aten", tag).c_str(),
          [=](benchmark::State& st) { bn_prelu(st, native, s); })
          ->Unit(benchmark::kMicrosecond);
      for (int64_t d : {1, 2})
        benchmark::RegisterBenchmark(
            fmt::format("kernel_dw3x3_d{}_{}_{}", d, native ? "native" : "aten", tag).c_str(),
            [=](benchmark::State& st) { depthwise(st, native, s, 1, d); })
            ->Unit(benchmark::kMicrosecond);
    }
  return true;
}();

}  // namespace
