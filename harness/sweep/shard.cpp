// Splitting a sweep's runs over independent processes (manifest.h: parse_shard,
// shard_runs).
#include <fmt/format.h>

#include <regex>

#include "harness/sweep/manifest.h"
#include "modules/error.h"

namespace espbench::sweep {

std::pair<int64_t, int64_t> parse_shard(const std::string& text) {
  static const std::regex re("([0-9]{1,9})/([0-9]{1,9})");
  std::smatch mt;
  if (std::regex_match(text, mt, re)) {
    const int64_t i = std::stoll(mt[1]), n = std::stoll(mt[2]);
    if (n >= 1 && i < n) return {i, n};
  }
  throw Error(fmt::format("option --shard: expected i/n with 0 <= i < n (e.g. 0/4), got '{}'", text));
}

std::vector<PlannedRun> shard_runs(const std::vector<PlannedRun>& runs, int64_t index, int64_t count) {
  std::vector<PlannedRun> out;
  for (size_t k = 0; k < runs.size(); ++k)
    if (static_cast<int64_t>(k) % count == index) out.push_back(runs[k]);
  return out;
}

}  // namespace espbench::sweep
