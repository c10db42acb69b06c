// Reading a manifest: syntax, keys and types of every section (manifest.h); the
// run configs are resolved later, by expand().
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "harness/report/claims.h"
#include "harness/report/dotted_key.h"
#include "harness/sweep/manifest.h"
#include "harness/sweep/manifest_detail.h"
#include "modules/error.h"

namespace espbench::sweep {

namespace {

using detail::fail;
using detail::keyed;

const std::vector<std::string> kTopKeys = {"name",     "description", "comment", "base",
                                           "variants", "axes",        "zip",     "seeds",
                                           "exclude",  "constraints", "claims"};
const std::vector<std::string> kConstraintKeys = {"min_macs", "max_macs", "min_params", "max_params"};

[[noreturn]] void unknown_key(const Manifest& m, const std::string& where, const std::string& key,
                              const std::vector<std::string>& valid) {
  fail(m, where.empty() ? key : where + "." + key,
       fmt::format("unknown key{}; valid keys: {}", did_you_mean(key, valid), join(valid)));
}

void check_dotted_key(const Manifest& m, const std::string& where, const std::string& key) {
  if (!report::is_dotted_key(key))
    fail(m, where, fmt::format("'{}' is not a dotted config key such as \"model.options.block\"", key));
}

void check_override_object(const Manifest& m, const std::string& where, const json& v) {
  if (!v.is_object())
    fail(m, where,
         fmt::format("expected an object of overrides such as {{\"train.lr\": "
                     "0.05}}, got {}",
                     v.dump()));
  for (const auto& [k, _] : v.items()) check_dotted_key(m, keyed(where, k), k);
}

void check_value_list(const Manifest& m, const std::string& where, const json& v) {
  if (!v.is_array()) fail(m, where, fmt::format("expected a list of values, got {}", v.dump()));
  if (v.empty()) fail(m, where, "empty list: the grid would hold no runs");
}

void check_top_level(const Manifest& m) {
  const json& raw = m.raw;
  if (!raw.is_object())
    fail(m, "$", fmt::format("a manifest must be a JSON object with at least \"base\", got {}", raw.dump()));
  for (const auto& [key, _] : raw.items())
    if (std::find(kTopKeys.begin(), kTopKeys.end(), key) == kTopKeys.end()) unknown_key(m, "", key, kTopKeys);
}

// The sweep's folder name (default: the file's stem) and its description.
void read_name_and_description(Manifest& m) {
  const json& raw = m.raw;
  m.name = std::filesystem::path(m.path).stem().string();
  if (raw.contains("name")) {
    if (!raw["name"].is_string())
      fail(m, "name", fmt::format("expected a string, got {}", raw["name"].dump()));
    m.name = raw["name"].get<std::string>();
  }
  if (!std::regex_match(m.name, std::regex("[A-Za-z0-9_][A-Za-z0-9._-]*")))
    fail(m, "name",
         fmt::format("'{}' is not usable as a folder name (letters, digits, "
                     "'.', '_', '-')",
                     m.name));
  for (const char* k : {"description", "comment"})
    if (raw.contains(k)) {
      if (!raw[k].is_string()) fail(m, k, fmt::format("expected a string, got {}", raw[k].dump()));
      if (m.description.empty()) m.description = raw[k].get<std::string>();
    }
}

void check_base(const Manifest& m) {
  const json& raw = m.raw;
  if (!raw.contains("base")) fail(m, "base", "missing: the run config every run starts from");
  if (!raw["base"].is_object())
    fail(m, "base", fmt::format("expected a run config object, got {}", raw["base"].dump()));
}

void check_variants(const Manifest& m, const json& v) {
  if (!v.is_object())
    fail(m, "variants", fmt::format("expected an object of named override sets, got {}", v.dump()));
  if (v.empty()) fail(m, "variants", "empty object: the grid would hold no runs");
  for (const auto& [name, ov] : v.items()) check_override_object(m, "variants." + name, ov);
}

void check_axes(const Manifest& m, const json& a) {
  if (!a.is_object())
    fail(m, "axes", fmt::format("expected an object of dotted key -> list of values, got {}", a.dump()));
  for (const auto& [key, values] : a.items()) {
    check_dotted_key(m, keyed("axes", key), key);
    check_value_list(m, keyed("axes", key), values);
  }
}

void check_zip(const Manifest& m, const json& z) {
  if (!z.is_array()) fail(m, "zip", fmt::format("expected a list of groups, got {}", z.dump()));
  for (size_t g = 0; g < z.size(); ++g) {
    const std::string where = fmt::format("zip[{}]", g);
    if (!z[g].is_object() || z[g].empty())
      fail(m, where, fmt::format("expected an object of dotted key -> list of values, got {}", z[g].dump()));
    size_t len = 0;
    for (const auto& [key, values] : z[g].items()) {
      check_dotted_key(m, keyed(where, key), key);
      check_value_list(m, keyed(where, key), values);
      if (len != 0 && values.size() != len)
        fail(m, keyed(where, key),
             fmt::format("{} values, but the group's other lists have {}: "
                         "zipped lists must be equally long",
                         values.size(), len));
      len = values.size();
    }
  }
}

void check_seeds(const Manifest& m, const json& s) {
  if (!s.is_array()) fail(m, "seeds", fmt::format("expected a list of integers >= 0, got {}", s.dump()));
  if (s.empty()) fail(m, "seeds", "empty list: the grid would hold no runs");
  for (size_t i = 0; i < s.size(); ++i)
    if (!s[i].is_number_integer() || s[i].get<int64_t>() < 0)
      fail(m, fmt::format("seeds[{}]", i), fmt::format("expected an integer >= 0, got {}", s[i].dump()));
}

void check_exclude(const Manifest& m, const json& e) {
  if (!e.is_array()) fail(m, "exclude", fmt::format("expected a list of rules, got {}", e.dump()));
  for (size_t i = 0; i < e.size(); ++i)
    if (!e[i].is_object() || e[i].empty())
      fail(m, fmt::format("exclude[{}]", i),
           fmt::format("expected an object of dotted key -> value, got {}", e[i].dump()));
}

void check_constraints(const Manifest& m, const json& c) {
  if (!c.is_object()) fail(m, "constraints", fmt::format("expected an object, got {}", c.dump()));
  for (const auto& [key, v] : c.items()) {
    if (std::find(kConstraintKeys.begin(), kConstraintKeys.end(), key) == kConstraintKeys.end())
      unknown_key(m, "constraints", key, kConstraintKeys);
    if (!v.is_number() || v.get<double>() < 0)
      fail(m, "constraints." + key, fmt::format("expected a number >= 0, got {}", v.dump()));
  }
  for (const char* what : {"macs", "params"}) {
    const std::string lo = fmt::format("min_{}", what), hi = fmt::format("max_{}", what);
    if (c.contains(lo) && c.contains(hi) && c[lo].get<double>() > c[hi].get<double>())
      fail(m, "constraints." + lo, fmt::format("{} is above {} = {}", c[lo].dump(), hi, c[hi].dump()));
  }
}

}  // namespace

Manifest parse_manifest(const json& raw, const std::string& path) {
  Manifest m;
  m.path = path;
  m.raw = raw;
  check_top_level(m);
  read_name_and_description(m);
  check_base(m);
  if (raw.contains("variants")) check_variants(m, raw["variants"]);
  if (raw.contains("axes")) check_axes(m, raw["axes"]);
  if (raw.contains("zip")) check_zip(m, raw["zip"]);
  if (raw.contains("seeds")) check_seeds(m, raw["seeds"]);
  if (raw.contains("exclude")) check_exclude(m, raw["exclude"]);
  if (raw.contains("constraints")) check_constraints(m, raw["constraints"]);
  if (raw.contains("claims")) report::parse_claims(raw["claims"], m.path);  // judged by `espbench report`
  return m;
}

Manifest load_manifest(const std::string& path) { return parse_manifest(train::load_json_file(path), path); }

}  // namespace espbench::sweep
