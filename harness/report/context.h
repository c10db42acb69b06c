// The `context` block of every report (after google/benchmark's): versions, commit, compiler,
// CPU, threads, device, dtype and time, so each number travels with what produced it.
#pragma once
#include <string>

#include "modules/options.h"

namespace espbench {

constexpr int kSchemaVersion = 2;

json run_context(const std::string& device, const std::string& dtype = "float32");

// UTC time as ISO 8601, e.g. 2026-11-28T11:02:03Z.
std::string utc_now_iso();

}  // namespace espbench
