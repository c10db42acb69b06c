// Dotted config keys such as "model.options.block": one name for a value nested in a run config,
// used by manifests (axes, exclude rules) and by claims (selectors). Writing one is set_dotted
// (modules/options.h).
#pragma once
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace espbench::report {

// True for one or more non-empty segments joined by '.': "train.lr", not "", ".a", "a." or "a..b".
bool is_dotted_key(const std::string& key);

// The value at `key` in `j`, or nullptr where a segment is missing or its parent is not an object.
const nlohmann::json* at_dotted(const nlohmann::json& j, const std::string& key);

// The existing key of `j` closest to `key`, segment by segment (for "did you mean"); "" when a
// segment has no close name.
std::string closest_dotted(const nlohmann::json& j, const std::string& key);

// Adds every dotted key of `j` (objects' keys at every depth, each with its parents) to `out`.
void add_dotted_keys(const nlohmann::json& j, std::set<std::string>& out);

}  // namespace espbench::report
