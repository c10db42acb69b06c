#include "harness/latency/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace espbench {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

LatencyStats summarize(const std::vector<double>& s) {
  LatencyStats r;
  r.samples = static_cast<int64_t>(s.size());
  if (s.empty()) return r;
  r.p50_ms = percentile(s, 0.50);
  r.p90_ms = percentile(s, 0.90);
  r.p99_ms = percentile(s, 0.99);
  r.mean_ms = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size());
  r.min_ms = *std::min_element(s.begin(), s.end());
  r.max_ms = *std::max_element(s.begin(), s.end());
  double ss = 0;
  for (double x : s) ss += (x - r.mean_ms) * (x - r.mean_ms);
  const double sd = s.size() > 1 ? std::sqrt(ss / static_cast<double>(s.size() - 1)) : 0.0;
  r.cv = r.mean_ms > 0 ? sd / r.mean_ms : 0.0;
  return r;
}

}  // namespace espbench
