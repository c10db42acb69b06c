// What parsing and expanding a manifest share: every message names "FILE:
// JSON-PATH".
#pragma once
#include <fmt/format.h>

#include <string>

#include "harness/sweep/manifest.h"
#include "modules/error.h"

namespace espbench::sweep::detail {

// `axes["model.options.block"]`: dotted keys are quoted so the path stays
// unambiguous.
inline std::string keyed(const std::string& parent, const std::string& key) {
  return fmt::format("{}[\"{}\"]", parent, key);
}

[[noreturn]] inline void fail(const Manifest& m, const std::string& where, const std::string& message) {
  throw Error(fmt::format("{}: {}: {}", m.path, where, message));
}

}  // namespace espbench::sweep::detail
