#include "harness/sweep/manifest.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "harness/complexity/measure.h"
#include "modules/error.h"

namespace espbench::sweep {

namespace {

const std::vector<std::string> kTopKeys = {"name",  "description", "comment", "base",    "variants",
                                           "axes",  "zip",         "seeds",   "exclude", "constraints"};
const std::vector<std::string> kConstraintKeys = {"min_macs", "max_macs", "min_params", "max_params"};

// `axes["model.options.block"]`: dotted keys are quoted so the path stays unambiguous.
std::string keyed(const std::string& parent, const std::string& key) {
  return fmt::format("{}[\"{}\"]", parent, key);
}

[[noreturn]] void fail(const Manifest& m, const std::string& where, const std::string& message) {
  throw Error(fmt::format("{}: {}: {}", m.path, where, message));
}

[[noreturn]] void unknown_key(const Manifest& m, const std::string& where, const std::string& key,
                              const std::vector<std::string>& valid) {
  const std::string hint = closest_match(key, valid);
  fail(m, where.empty() ? key : where + "." + key,
       fmt::format("unknown key{}; valid keys: {}", hint.empty() ? "" : " (did you mean '" + hint + "'?)",
                   join(valid)));
}

void check_dotted_key(const Manifest& m, const std::string& where, const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos)
    fail(m, where, fmt::format("'{}' is not a dotted config key such as \"model.options.block\"", key));
}

void check_override_object(const Manifest& m, const std::string& where, const json& v) {
  if (!v.is_object())
    fail(m, where, fmt::format("expected an object of overrides such as {{\"train.lr\": 0.05}}, got {}", v.dump()));
  for (const auto& [k, _] : v.items()) check_dotted_key(m, keyed(where, k), k);
}

void check_value_list(const Manifest& m, const std::string& where, const json& v) {
  if (!v.is_array()) fail(m, where, fmt::format("expected a list of values, got {}", v.dump()));
  if (v.empty()) fail(m, where, "empty list: the grid would hold no runs");
}

json patch_of(const json& overrides) {
  json p = json::object();
  for (const auto& [k, v] : overrides.items()) set_dotted(p, k, v);
  return p;
}

std::string short_value(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string last_segment(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

// One entry along one dimension of the grid.
struct Choice {
  std::string origin, label, variant;
  json patch;
};

std::vector<std::vector<Choice>> dimensions(const Manifest& m) {
  const json& raw = m.raw;
  std::vector<std::vector<Choice>> dims;
  if (raw.contains("seeds")) {
    std::vector<Choice> d;
    for (size_t i = 0; i < raw["seeds"].size(); ++i) {
      const int64_t s = raw["seeds"][i].get<int64_t>();
      d.push_back({fmt::format("seeds[{}]", i), fmt::format("seed={}", s), "", {{"runtime", {{"seed", s}}}}});
    }
    dims.push_back(d);
  }
  if (raw.contains("variants")) {
    std::vector<Choice> d;
    for (const auto& [name, ov] : raw["variants"].items())
      d.push_back({"variants." + name, name, name, patch_of(ov)});
    dims.push_back(d);
  }
  if (raw.contains("axes"))
    for (const auto& [key, values] : raw["axes"].items()) {
      std::vector<Choice> d;
      for (size_t i = 0; i < values.size(); ++i) {
        json p = json::object();
        set_dotted(p, key, values[i]);
        d.push_back({fmt::format("{}[{}]", keyed("axes", key), i),
                     last_segment(key) + "=" + short_value(values[i]), "", p});
      }
      dims.push_back(d);
    }
  if (raw.contains("zip"))
    for (size_t g = 0; g < raw["zip"].size(); ++g) {
      const json& group = raw["zip"][g];
      const size_t len = group.begin()->size();
      std::vector<Choice> d;
      for (size_t i = 0; i < len; ++i) {
        json p = json::object();
        std::vector<std::string> parts;
        for (const auto& [key, values] : group.items()) {
          set_dotted(p, key, values[i]);
          parts.push_back(last_segment(key) + "=" + short_value(values[i]));
        }
        d.push_back({fmt::format("zip[{}][{}]", g, i), join(parts, " "), "", p});
      }
      dims.push_back(d);
    }
  return dims;
}

// Resolves base + choices; on failure names the single choice that fails on its own, if any.
train::RunConfig resolve_combination(const Manifest& m, const std::vector<const Choice*>& choices) {
  const json& base = m.raw["base"];
  json cfg = base;
  std::vector<std::string> origins;
  for (const Choice* c : choices) {
    cfg.merge_patch(c->patch);
    origins.push_back(c->origin);
  }
  try {
    return train::resolve_run_config(cfg, m.path + ": " + (origins.empty() ? "base" : join(origins)));
  } catch (const Error&) {
    for (const Choice* c : choices) {
      json alone = base;
      alone.merge_patch(c->patch);
      train::resolve_run_config(alone, m.path + ": " + c->origin);  // throws the precise message
    }
    throw;
  }
}

const json* at_dotted(const json& j, const std::string& key) {
  const json* cur = &j;
  size_t start = 0;
  while (true) {
    const size_t dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

// The closest existing dotted key to `key` in `j`, segment by segment.
std::string closest_dotted(const json& j, const std::string& key) {
  const json* cur = &j;
  std::string done;
  size_t start = 0;
  while (cur->is_object()) {
    const size_t dot = key.find('.', start);
    std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->contains(part)) {
      std::vector<std::string> names;
      for (const auto& [k, _] : cur->items()) names.push_back(k);
      part = closest_match(part, names);
      if (part.empty()) return "";
    }
    done += (done.empty() ? "" : ".") + part;
    cur = &(*cur)[part];
    if (dot == std::string::npos) return done;
    start = dot + 1;
  }
  return "";
}

bool rule_matches(const json& rule, const json& config, const std::string& variant) {
  for (const auto& [key, want] : rule.items()) {
    const json have = key == "variant" ? json(variant) : [&] {
      const json* v = at_dotted(config, key);
      return v ? *v : json();
    }();
    if (want.is_array() && !have.is_array()) {
      if (std::find(want.begin(), want.end(), have) == want.end()) return false;
    } else if (want != have) {
      return false;
    }
  }
  return true;
}

std::string si(double v) {
  if (v >= 1e9) return fmt::format("{:.3g}G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.3g}k", v / 1e3);
  return fmt::format("{:.3g}", v);
}

}  // namespace

Manifest parse_manifest(const json& raw, const std::string& path) {
  Manifest m;
  m.path = path;
  m.raw = raw;
  if (!raw.is_object())
    fail(m, "$", fmt::format("a manifest must be a JSON object with at least \"base\", got {}", raw.dump()));
  for (const auto& [key, _] : raw.items())
    if (std::find(kTopKeys.begin(), kTopKeys.end(), key) == kTopKeys.end()) unknown_key(m, "", key, kTopKeys);

  m.name = std::filesystem::path(path).stem().string();
  if (raw.contains("name")) {
    if (!raw["name"].is_string()) fail(m, "name", fmt::format("expected a string, got {}", raw["name"].dump()));
    m.name = raw["name"].get<std::string>();
  }
  if (!std::regex_match(m.name, std::regex("[A-Za-z0-9_][A-Za-z0-9._-]*")))
    fail(m, "name", fmt::format("'{}' is not usable as a folder name (letters, digits, '.', '_', '-')", m.name));
  for (const char* k : {"description", "comment"})
    if (raw.contains(k)) {
      if (!raw[k].is_string()) fail(m, k, fmt::format("expected a string, got {}", raw[k].dump()));
      if (m.description.empty()) m.description = raw[k].get<std::string>();
    }

  if (!raw.contains("base")) fail(m, "base", "missing: the run config every run starts from");
  if (!raw["base"].is_object())
    fail(m, "base", fmt::format("expected a run config object, got {}", raw["base"].dump()));

  if (raw.contains("variants")) {
    const json& v = raw["variants"];
    if (!v.is_object())
      fail(m, "variants", fmt::format("expected an object of named override sets, got {}", v.dump()));
    if (v.empty()) fail(m, "variants", "empty object: the grid would hold no runs");
    for (const auto& [name, ov] : v.items()) check_override_object(m, "variants." + name, ov);
  }
  if (raw.contains("axes")) {
    const json& a = raw["axes"];
    if (!a.is_object())
      fail(m, "axes", fmt::format("expected an object of dotted key -> list of values, got {}", a.dump()));
    for (const auto& [key, values] : a.items()) {
      check_dotted_key(m, keyed("axes", key), key);
      check_value_list(m, keyed("axes", key), values);
    }
  }
  if (raw.contains("zip")) {
    const json& z = raw["zip"];
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
               fmt::format("{} values, but the group's other lists have {}: zipped lists must be equally long",
                           values.size(), len));
        len = values.size();
      }
    }
  }
  if (raw.contains("seeds")) {
    const json& s = raw["seeds"];
    if (!s.is_array()) fail(m, "seeds", fmt::format("expected a list of integers >= 0, got {}", s.dump()));
    if (s.empty()) fail(m, "seeds", "empty list: the grid would hold no runs");
    for (size_t i = 0; i < s.size(); ++i)
      if (!s[i].is_number_integer() || s[i].get<int64_t>() < 0)
        fail(m, fmt::format("seeds[{}]", i), fmt::format("expected an integer >= 0, got {}", s[i].dump()));
  }
  if (raw.contains("exclude")) {
    const json& e = raw["exclude"];
    if (!e.is_array()) fail(m, "exclude", fmt::format("expected a list of rules, got {}", e.dump()));
    for (size_t i = 0; i < e.size(); ++i)
      if (!e[i].is_object() || e[i].empty())
        fail(m, fmt::format("exclude[{}]", i),
             fmt::format("expected an object of dotted key -> value, got {}", e[i].dump()));
  }
  if (raw.contains("constraints")) {
    const json& c = raw["constraints"];
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
  return m;
}

Manifest load_manifest(const std::string& path) { return parse_manifest(train::load_json_file(path), path); }

void measure_runs(std::vector<PlannedRun>& runs) {
  std::map<std::string, std::pair<int64_t, int64_t>> cache;
  for (PlannedRun& r : runs) {
    if (r.params >= 0 && r.macs >= 0) continue;
    auto splits = train::open_data_shared(r.config.data);
    const data::Dataset& t = *splits->train;
    MeasureRequest req;
    req.input = {1, t.channels(), t.height(), t.width()};
    const std::string key = r.config.model.name + r.config.model.options.dump() + json(req.input).dump();
    auto it = cache.find(key);
    if (it == cache.end()) {
      const json j = measure_complexity(r.config.model, req);
      const int64_t macs = j["macs"]["conv"].get<int64_t>() + j["macs"]["linear"].get<int64_t>();
      it = cache.emplace(key, std::make_pair(j["params"].get<int64_t>(), macs)).first;
    }
    r.params = it->second.first;
    r.macs = it->second.second;
  }
}

Plan expand(const Manifest& m) {
  Plan plan;
  plan.manifest = m;
  train::resolve_run_config(m.raw["base"], m.path + ": base");  // a bad base is named as such

  // Every combination, in odometer order (first dimension outermost).
  const auto dims = dimensions(m);
  std::vector<size_t> pos(dims.size(), 0);
  std::vector<PlannedRun> all;
  while (true) {
    std::vector<const Choice*> choices;
    PlannedRun r;
    std::vector<std::string> labels, origins;
    for (size_t d = 0; d < dims.size(); ++d) {
      const Choice& c = dims[d][pos[d]];
      choices.push_back(&c);
      if (!c.variant.empty()) r.variant = c.variant;
      origins.push_back(c.origin);
    }
    // Labels read best with the variant first and the seed last.
    for (const Choice* c : choices)
      if (!c->variant.empty()) labels.push_back(c->label);
    for (const Choice* c : choices)
      if (c->variant.empty() && c->origin.rfind("seeds[", 0) != 0) labels.push_back(c->label);
    for (const Choice* c : choices)
      if (c->origin.rfind("seeds[", 0) == 0) labels.push_back(c->label);
    r.config = resolve_combination(m, choices);
    r.id = train::run_id(r.config);
    r.label = labels.empty() ? r.config.model.name : join(labels, " ");
    r.origin = origins.empty() ? "base" : join(origins);
    all.push_back(std::move(r));
    size_t d = dims.size();
    while (d > 0 && ++pos[d - 1] == dims[d - 1].size()) pos[--d] = 0;
    if (d == 0) break;
  }
  plan.expanded = static_cast<int64_t>(all.size());

  // Exclusion rules: keys must exist in some run (or be "variant").
  std::vector<json> resolved;
  for (const auto& r : all) resolved.push_back(train::to_json(r.config));
  const json rules = m.raw.value("exclude", json::array());
  for (size_t i = 0; i < rules.size(); ++i)
    for (const auto& [key, want] : rules[i].items()) {
      const std::string where = keyed(fmt::format("exclude[{}]", i), key);
      if (key == "variant") {
        if (!m.raw.contains("variants")) fail(m, where, "the manifest has no variants");
        std::vector<std::string> names;
        for (const auto& [n, _] : m.raw["variants"].items()) names.push_back(n);
        for (const json& w : want.is_array() ? want : json::array({want}))
          if (!w.is_string() || std::find(names.begin(), names.end(), w.get<std::string>()) == names.end()) {
            const std::string hint = w.is_string() ? closest_match(w.get<std::string>(), names) : "";
            fail(m, where,
                 fmt::format("no variant {}{}; variants: {}", w.dump(),
                             hint.empty() ? "" : " (did you mean '" + hint + "'?)", join(names)));
          }
        continue;
      }
      const bool found =
          std::any_of(resolved.begin(), resolved.end(), [&](const json& j) { return at_dotted(j, key) != nullptr; });
      if (!found) {
        const std::string hint = closest_dotted(resolved.front(), key);
        fail(m, where,
             fmt::format("no run's resolved config has this key{}",
                         hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
    }

  std::set<std::string> seen;
  std::vector<PlannedRun> kept;
  for (size_t k = 0; k < all.size(); ++k) {
    if (std::any_of(rules.begin(), rules.end(),
                    [&](const json& rule) { return rule_matches(rule, resolved[k], all[k].variant); })) {
      ++plan.excluded;
      continue;
    }
    if (!seen.insert(all[k].id).second) {
      ++plan.merged;
      continue;
    }
    kept.push_back(std::move(all[k]));
  }
  if (kept.empty())
    fail(m, "exclude", fmt::format("the rules drop every one of the {} runs", plan.expanded));

  if (m.raw.contains("constraints") && !m.raw["constraints"].empty()) {
    const json& c = m.raw["constraints"];
    measure_runs(kept);
    std::vector<PlannedRun> within;
    double lo_macs = 1e300, hi_macs = 0, lo_params = 1e300, hi_params = 0;
    for (auto& r : kept) {
      const double macs = static_cast<double>(r.macs), params = static_cast<double>(r.params);
      lo_macs = std::min(lo_macs, macs), hi_macs = std::max(hi_macs, macs);
      lo_params = std::min(lo_params, params), hi_params = std::max(hi_params, params);
      const bool ok = macs >= c.value("min_macs", 0.0) && macs <= c.value("max_macs", 1e300) &&
                      params >= c.value("min_params", 0.0) && params <= c.value("max_params", 1e300);
      if (ok)
        within.push_back(std::move(r));
      else
        ++plan.constrained;
    }
    if (within.empty())
      fail(m, "constraints",
           fmt::format("{} excludes every one of the {} runs (their MACs {} .. {}, params {} .. {}; MACs are "
                       "conv + linear per image at the training resolution)",
                       c.dump(), kept.size(), si(lo_macs), si(hi_macs), si(lo_params), si(hi_params)));
    kept = std::move(within);
  }
  plan.runs = std::move(kept);
  return plan;
}

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
