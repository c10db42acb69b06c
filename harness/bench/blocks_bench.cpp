// Per-block micro-benchmarks on Google Benchmark: every registered block, at every shape it meets
// inside ESPNetv2 s=1.0 at 224x224 (modules/block_network.h), batch 1, eval mode, inference mode.
// A newly registered block is benchmarked with no extra code. Combinations a block refuses (its
// validate() throws) are skipped with a note on stderr.
//
//   build/espbench_blocks_bench --benchmark_out=blocks.json --benchmark_out_format=json
//   ESPBENCH_THREADS=1 build/espbench_blocks_bench --benchmark_filter='eesp/'
//
// Intra-op threads: $ESPBENCH_THREADS, default all cores; recorded in the JSON context.
// Blocks that have an inference form (--fast, modules/inference/fast_model.h) get a second
// benchmark with the suffix "/fast" (the default fast parts, those applied in its label).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <cstdlib>
#include <iostream>

#include "harness/runtime/runtime.h"
#include "modules/block_network.h"
#include "modules/error.h"
#include "modules/inference/fast_model.h"

int main(int argc, char** argv) {
  using namespace espbench;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    const char* env = std::getenv("ESPBENCH_THREADS");
    const int64_t threads = env ? std::atoll(env) : default_threads();
    set_threads(threads, "ESPBENCH_THREADS");
    benchmark::AddCustomContext("intra_op_threads", std::to_string(threads));
    for (const auto& name : block_registry().names()) {
      for (const auto& s : espnetv2_block_shapes()) {
        std::shared_ptr<BlockNetwork> net;
        try {
          net = std::make_shared<BlockNetwork>(name, s.args);
        } catch (const Error& e) {
          std::cerr << "skip " << name << "/" << s.where << ": " << e.what() << "\n";
          continue;
        }
        net->eval();
        const auto input = torch::randn({1, s.args.in_channels, s.size, s.size});
        const std::string label = fmt::format("{}/{}/{}x{}x{}->{}/s{}", name, s.where, s.args.in_channels,
                                              s.size, s.size, s.args.out_channels, s.args.stride);
        auto run = [](NetworkPtr n, torch::Tensor x) {
          return [n, x](benchmark::State& state) {
            c10::InferenceMode guard;
            for (auto _ : state) benchmark::DoNotOptimize(n->forward(x));
          };
        };
        benchmark::RegisterBenchmark(label.c_str(), run(net, input))
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond);
        FastResult fast = make_fast_from_twin(*net, std::make_shared<BlockNetwork>(name, s.args),
                                              parse_fast_parts(kDefaultFastParts));
        if (!fast.applied.empty()) {
          const std::string fast_label = fmt::format("{}/fast:{}", label, fmt::join(fast.applied, "+"));
          benchmark::RegisterBenchmark(fast_label.c_str(), run(fast.net, input))
              ->UseRealTime()
              ->Unit(benchmark::kMicrosecond);
        }
      }
    }
  } catch (const Error& e) {
    std::cerr << "espbench_blocks_bench: error: " << e.what() << "\n";
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
