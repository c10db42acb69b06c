// Expanding a manifest into its runs (manifest.h): the grid of variants x axes
// x zip groups x seeds, every run resolved, then the exclude rules, merging of
// equal run ids, the constraints, and the claims' selectors checked against what is left.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "harness/complexity/measure.h"
#include "harness/report/claims.h"
#include "harness/report/collect.h"
#include "harness/report/dotted_key.h"
#include "harness/report/tables.h"
#include "harness/sweep/manifest.h"
#include "harness/sweep/manifest_detail.h"
#include "modules/error.h"

namespace espbench::sweep {

namespace {

using detail::fail;
using detail::keyed;
using report::at_dotted;
using report::closest_dotted;

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

std::vector<Choice> seed_choices(const json& seeds) {
  std::vector<Choice> d;
  for (size_t i = 0; i < seeds.size(); ++i) {
    const int64_t s = seeds[i].get<int64_t>();
    d.push_back({fmt::format("seeds[{}]", i), fmt::format("seed={}", s), "", {{"runtime", {{"seed", s}}}}});
  }
  return d;
}

std::vector<Choice> axis_choices(const std::string& key, const json& values) {
  std::vector<Choice> d;
  for (size_t i = 0; i < values.size(); ++i) {
    json p = json::object();
    set_dotted(p, key, values[i]);
    d.push_back({fmt::format("{}[{}]", keyed("axes", key), i),
                 last_segment(key) + "=" + short_value(values[i]), "", p});
  }
  return d;
}

std::vector<Choice> zip_choices(size_t g, const json& group) {
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
  return d;
}

// The grid's dimensions, outermost first: seeds, variants, axes (sorted by
// key), zip groups.
std::vector<std::vector<Choice>> dimensions(const Manifest& m) {
  const json& raw = m.raw;
  std::vector<std::vector<Choice>> dims;
  if (raw.contains("seeds")) dims.push_back(seed_choices(raw["seeds"]));
  if (raw.contains("variants")) {
    std::vector<Choice> d;
    for (const auto& [name, ov] : raw["variants"].items())
      d.push_back({"variants." + name, name, name, patch_of(ov)});
    dims.push_back(d);
  }
  if (raw.contains("axes"))
    for (const auto& [key, values] : raw["axes"].items()) dims.push_back(axis_choices(key, values));
  if (raw.contains("zip"))
    for (size_t g = 0; g < raw["zip"].size(); ++g) dims.push_back(zip_choices(g, raw["zip"][g]));
  return dims;
}

// Resolves base + choices; on failure names the single choice that fails on its
// own, if any.
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

PlannedRun plan_combination(const Manifest& m, const std::vector<const Choice*>& choices) {
  PlannedRun r;
  std::vector<std::string> labels, origins;
  for (const Choice* c : choices) {
    if (!c->variant.empty()) r.variant = c->variant;
    origins.push_back(c->origin);
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
  return r;
}

// Every combination, in odometer order (first dimension outermost).
std::vector<PlannedRun> all_combinations(const Manifest& m) {
  const auto dims = dimensions(m);
  std::vector<size_t> pos(dims.size(), 0);
  std::vector<PlannedRun> all;
  while (true) {
    std::vector<const Choice*> choices;
    for (size_t d = 0; d < dims.size(); ++d) choices.push_back(&dims[d][pos[d]]);
    all.push_back(plan_combination(m, choices));
    size_t d = dims.size();
    while (d > 0 && ++pos[d - 1] == dims[d - 1].size()) pos[--d] = 0;
    if (d == 0) break;
  }
  return all;
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

// An exclude rule's "variant" must name variants of the manifest.
void check_variant_rule(const Manifest& m, const std::string& where, const json& want) {
  if (!m.raw.contains("variants")) fail(m, where, "the manifest has no variants");
  std::vector<std::string> names;
  for (const auto& [n, _] : m.raw["variants"].items()) names.push_back(n);
  for (const json& w : want.is_array() ? want : json::array({want}))
    if (!w.is_string() || std::find(names.begin(), names.end(), w.get<std::string>()) == names.end()) {
      fail(m, where,
           fmt::format("no variant {}{}; variants: {}", w.dump(),
                       w.is_string() ? did_you_mean(w.get<std::string>(), names) : "", join(names)));
    }
}

// Exclusion rules: keys must exist in some run (or be "variant").
void check_exclude_keys(const Manifest& m, const json& rules, const std::vector<json>& resolved) {
  for (size_t i = 0; i < rules.size(); ++i)
    for (const auto& [key, want] : rules[i].items()) {
      const std::string where = keyed(fmt::format("exclude[{}]", i), key);
      if (key == "variant") {
        check_variant_rule(m, where, want);
        continue;
      }
      const bool found = std::any_of(resolved.begin(), resolved.end(),
                                     [&](const json& j) { return at_dotted(j, key) != nullptr; });
      if (!found) {
        fail(m, where,
             fmt::format("no run's resolved config has this key{}",
                         did_you_mean_hint(closest_dotted(resolved.front(), key))));
      }
    }
}

// Drops the runs an exclude rule matches and the repeats of a run id; counts
// both in `plan`.
std::vector<PlannedRun> exclude_and_merge(const Manifest& m, std::vector<PlannedRun> all, Plan& plan) {
  std::vector<json> resolved;
  for (const auto& r : all) resolved.push_back(train::to_json(r.config));
  const json rules = m.raw.value("exclude", json::array());
  check_exclude_keys(m, rules, resolved);
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
  if (kept.empty()) fail(m, "exclude", fmt::format("the rules drop every one of the {} runs", plan.expanded));
  return kept;
}

// Keeps the runs whose params and MACs lie within the constraints; counts the
// others in `plan`.
std::vector<PlannedRun> apply_constraints(const Manifest& m, std::vector<PlannedRun> kept, Plan& plan) {
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
         fmt::format("{} excludes every one of the {} runs (their MACs {} .. "
                     "{}, params {} .. {}; MACs are "
                     "conv + linear per image at the training resolution)",
                     c.dump(), kept.size(), report::si_number(lo_macs), report::si_number(hi_macs),
                     report::si_number(lo_params), report::si_number(hi_params)));
  return within;
}

}  // namespace

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

// Each claim's sides must each select one planned config, two different ones: a typo in a selector is
// refused before anything trains, and a sweep folder's claims then judge a config without runs yet as
// pending (report/claims.h).
static void check_claims_on_plan(const Plan& plan) {
  std::vector<report::RunRecord> runs;
  for (const PlannedRun& r : plan.runs)
    runs.push_back({plan.manifest.name,
                    "",
                    {{"config", train::to_json(r.config)}, {"status", "pending"}},
                    json::object()});
  report::check_claims(report::parse_claims(plan.manifest.raw["claims"], plan.manifest.path), runs,
                       report::make_rows(runs));
}

Plan expand(const Manifest& m) {
  Plan plan;
  plan.manifest = m;
  train::resolve_run_config(m.raw["base"],
                            m.path + ": base");  // a bad base is named as such
  std::vector<PlannedRun> all = all_combinations(m);
  plan.expanded = static_cast<int64_t>(all.size());
  std::vector<PlannedRun> kept = exclude_and_merge(m, std::move(all), plan);
  if (m.raw.contains("constraints") && !m.raw["constraints"].empty())
    kept = apply_constraints(m, std::move(kept), plan);
  plan.runs = std::move(kept);
  if (m.raw.contains("claims")) check_claims_on_plan(plan);
  return plan;
}

}  // namespace espbench::sweep
