// Where the time goes: a per-op wall-clock table for `espbench bench-train --profile` (a training
// step) and `espbench measure --latency --profile` (one inference). Times the outermost ATen op
// (forward), autograd node (backward) or espbench kernel (RECORD_FUNCTION "espbench::...") of each
// nest on the profiling thread and the autograd threads it starts, grouped by name and first
// input's shape.
//
//   OpProfile prof;           // starts observing
//   ... steps ...
//   json table = prof.stop(); // [{"name", "shape", "calls", "total_ms", "share"}...], largest first
#pragma once
#include <memory>

#include "modules/options.h"

namespace espbench {

class OpProfile {
 public:
  OpProfile();
  ~OpProfile();
  OpProfile(const OpProfile&) = delete;
  OpProfile& operator=(const OpProfile&) = delete;
  // Stops observing and returns the table (ops taking >= 0.1% of the observed time, largest first).
  json stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace espbench
