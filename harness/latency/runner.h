// Timing on Google Benchmark's runner: cases are registered at run time, use real (wall) time
// measured per iteration (manual time, so every inference is one sample), warm up before the
// first timed round (untimed inferences for warmup_s: Google Benchmark 1.7.1's MinWarmUpTime
// cannot be combined with a fixed iteration count, which per-sample timing needs), one untimed
// call at the start of every later round (so a case never pays for the cache state the previous
// case left), and run round-robin (A B A B ...) so that slow phases of a shared machine hit every
// case alike.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace espbench {

struct TimedCase {
  std::string name;
  std::function<void()> run;  // one inference (must not throw: call it once before timing)
  int64_t threads = 1;        // intra-op threads set before every round of this case
};

struct RunnerOptions {
  int64_t samples = 50;   // timed inferences per case per round
  int64_t rounds = 1;     // round-robin rounds
  double warmup_s = 0.5;  // warm-up time per case before its first round
};

// samples_ms[case][round] = that round's per-inference times in milliseconds.
using RoundSamples = std::vector<std::vector<std::vector<double>>>;
RoundSamples run_interleaved(const std::vector<TimedCase>& cases, const RunnerOptions& options);

}  // namespace espbench
