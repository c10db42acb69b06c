#include "harness/latency/runner.h"

#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>

#include "modules/error.h"

namespace espbench {

namespace {

// The runner's console output is replaced by espbench's own reports.
class SilentReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

}  // namespace

RoundSamples run_interleaved(const std::vector<TimedCase>& cases, const RunnerOptions& o) {
  if (o.samples < 1) throw Error(fmt::format("latency: samples must be >= 1, got {}", o.samples));
  if (o.rounds < 1) throw Error(fmt::format("latency: rounds must be >= 1, got {}", o.rounds));
  RoundSamples out(cases.size(), std::vector<std::vector<double>>(static_cast<size_t>(o.rounds)));
  benchmark::ClearRegisteredBenchmarks();
  for (int64_t r = 0; r < o.rounds; ++r) {
    for (size_t c = 0; c < cases.size(); ++c) {
      std::vector<double>* dst = &out[c][static_cast<size_t>(r)];
      const TimedCase* tc = &cases[c];
      const double warmup_s = r == 0 ? o.warmup_s : 0.0;
      auto* b = benchmark::RegisterBenchmark(
          fmt::format("{}/round{}", tc->name, r).c_str(), [dst, tc, warmup_s](benchmark::State& state) {
            if (at::get_num_threads() != tc->threads) at::set_num_threads(static_cast<int>(tc->threads));
            // Untimed: warm-up before the first round; one call before later rounds, since the
            // previous case left other data in the caches.
            const auto w0 = std::chrono::steady_clock::now();
            do tc->run();
            while (std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count() < warmup_s);
            dst->clear();
            for (auto _ : state) {
              const auto t0 = std::chrono::steady_clock::now();
              tc->run();
              const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
              state.SetIterationTime(dt.count());
              dst->push_back(dt.count() * 1e3);
            }
          });
      b->UseManualTime()->Iterations(o.samples)->Repetitions(1);
    }
  }
  SilentReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter, ".");
  benchmark::ClearRegisteredBenchmarks();
  return out;
}

}  // namespace espbench
