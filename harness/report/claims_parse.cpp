// Reading claims (claims.h): keys, types and names; what they select is checked against the runs by
// evaluate_claims.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "harness/report/atomic_file.h"
#include "harness/report/claims.h"
#include "harness/report/dotted_key.h"
#include "modules/error.h"

namespace espbench::report {

namespace {

const std::vector<std::string> kClaimKeys = {"name",   "better",          "than",   "metric",
                                             "margin", "lower_is_better", "comment"};

[[noreturn]] void fail(const std::string& file, const std::string& where, const std::string& message) {
  throw Error(fmt::format("{}: {}: {}", file, where, message));
}

json check_selector(const std::string& file, const std::string& where, const json& v) {
  if (!v.is_object() || v.empty())
    fail(file, where,
         fmt::format("expected an object of dotted config path -> value such as "
                     "{{\"model.options.block\": \"eesp\"}}, got {}",
                     v.dump()));
  for (const auto& [key, value] : v.items()) {
    if (!is_dotted_key(key))
      fail(file, where, fmt::format("'{}' is not a dotted config path such as \"model.options.block\"", key));
    if (value.is_null())
      fail(file, fmt::format("{}[\"{}\"]", where, key), "null matches no run; give a value");
  }
  return v;
}

Claim parse_one(const json& c, const std::string& file, const std::string& at) {
  if (!c.is_object())
    fail(file, at, fmt::format("expected a claim object with name, better, than, metric, got {}", c.dump()));
  for (const auto& [key, _] : c.items())
    if (std::find(kClaimKeys.begin(), kClaimKeys.end(), key) == kClaimKeys.end()) {
      fail(file, at + "." + key,
           fmt::format("unknown key{}; valid keys: {}", did_you_mean(key, kClaimKeys), join(kClaimKeys)));
    }
  Claim claim;
  claim.file = file;
  if (!c.contains("name") || !c["name"].is_string() || c["name"].get<std::string>().empty())
    fail(file, at + ".name",
         fmt::format("expected a non-empty string, got {}", c.value("name", json()).dump()));
  claim.name = c["name"].get<std::string>();
  claim.where = fmt::format("{} '{}'", at, claim.name);
  for (const char* side : {"better", "than"}) {
    if (!c.contains(side)) fail(file, fmt::format("{}.{}", at, side), "missing: the runs this side selects");
    (side[0] == 'b' ? claim.better : claim.than) =
        check_selector(file, fmt::format("{}.{}", at, side), c[side]);
  }
  if (c.contains("metric")) {
    if (!c["metric"].is_string() || c["metric"].get<std::string>().empty())
      fail(file, at + ".metric",
           fmt::format("expected a metric name such as \"test_top1\", got {}", c["metric"].dump()));
    claim.metric = c["metric"].get<std::string>();
  }
  if (c.contains("margin")) {
    if (!c["margin"].is_number() || !std::isfinite(c["margin"].get<double>()))
      fail(file, at + ".margin",
           fmt::format("expected a number (in the metric's unit), got {}", c["margin"].dump()));
    claim.margin = c["margin"].get<double>();
  }
  if (c.contains("lower_is_better")) {
    if (!c["lower_is_better"].is_boolean())
      fail(file, at + ".lower_is_better",
           fmt::format("expected true or false, got {}", c["lower_is_better"].dump()));
    claim.lower_is_better = c["lower_is_better"].get<bool>();
  }
  if (c.contains("comment")) {
    if (!c["comment"].is_string())
      fail(file, at + ".comment", fmt::format("expected a string, got {}", c["comment"].dump()));
    claim.comment = c["comment"].get<std::string>();
  }
  return claim;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<Claim> parse_claims(const json& claims, const std::string& file) {
  if (!claims.is_array())
    fail(file, "claims", fmt::format("expected a list of claim objects, got {}", claims.dump()));
  std::vector<Claim> out;
  std::set<std::string> names;
  for (size_t i = 0; i < claims.size(); ++i) {
    const std::string at = fmt::format("claims[{}]", i);
    out.push_back(parse_one(claims[i], file, at));
    if (!names.insert(out.back().name).second)
      fail(file, at + ".name", fmt::format("'{}' names two claims; names must be unique", out.back().name));
  }
  return out;
}

std::vector<Claim> load_claims(const std::string& file) {
  const std::optional<std::string> text = read_file(file);
  if (!text) throw Error(fmt::format("{}: cannot read the file", file));
  const json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error(fmt::format("{}: not valid JSON", file));
  if (j.is_array()) return parse_claims(j, file);
  if (!j.is_object())
    throw Error(fmt::format("{}: expected a manifest (an object with \"claims\") or a list of claims", file));
  return j.contains("claims") ? parse_claims(j["claims"], file) : std::vector<Claim>{};
}

std::optional<bool> metric_lower_is_better(const std::string& m) {
  if (m == "images_per_s") return false;
  if (m == "params" || m.rfind("macs", 0) == 0 || m == "wall_time_s" || ends_with(m, "_loss") ||
      ends_with(m, "_ms"))
    return true;
  for (const char* higher : {"top1", "top5", "acc", "iou"})
    if (m.find(higher) != std::string::npos) return false;
  return std::nullopt;
}

}  // namespace espbench::report
