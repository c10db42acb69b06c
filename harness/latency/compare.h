// `espbench compare A B` as a library call: two model specs (or one spec plain against --fast)
// timed in one run, interleaved round by round (A B A B ...), so the ratio survives the slow
// phases of a shared machine that a pair of separate runs would not.
#pragma once
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench {

// One side of `espbench compare`: NAME[:key=value,...][@fast[=parts]|@plain] (fast_model.h parts;
// values as in --set, dotted keys nest, lists in brackets). `default_fast` applies when the side
// names neither @fast nor @plain.
struct CompareSide {
  std::string label;
  std::string model;
  json options = json::object();
  std::string fast;
};
CompareSide parse_compare_side(const std::string& text, const std::string& default_fast);

struct CompareOptions {
  int64_t threads = -1;  // -1 = all cores
  int64_t batch = 1;
  std::vector<int64_t> input;
  int64_t rounds = 10;   // A B rounds
  int64_t samples = 20;  // inferences per side per round
  double warmup_s = 0.5;
  std::string device = "cpu";
};

// Interleaved A/B timing; ratio = A's median / B's median per round, reported as the median over
// rounds with min, max and the inter-quartile range.
json compare_latency(const CompareSide& a, const CompareSide& b, const CompareOptions& options);

}  // namespace espbench
