// Summary statistics of per-inference latency samples (milliseconds).
#pragma once
#include <cstdint>
#include <vector>

namespace espbench {

struct LatencyStats {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, mean_ms = 0, min_ms = 0, max_ms = 0;
  double cv = 0;  // sample standard deviation / mean
  int64_t samples = 0;
};

// Percentile with linear interpolation between order statistics (numpy's default), q in [0, 1].
double percentile(std::vector<double> values, double q);

LatencyStats summarize(const std::vector<double>& samples_ms);

}  // namespace espbench
