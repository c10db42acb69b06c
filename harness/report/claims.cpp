// Evaluating claims (claims.h): selecting each side's runs, the Welch test and the verdict; the
// claims of a sweep folder and its claims.json.
#include "harness/report/claims.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "harness/report/dotted_key.h"
#include "harness/report/stats.h"
#include "harness/report/tables.h"
#include "modules/error.h"

namespace espbench::report {

namespace {

namespace fs = std::filesystem;

constexpr double kConfidence = 0.95;
const char* const kMethod =
    "Welch's two-sample t-test over the seeds: the improvement of 'better' over 'than' (mean difference, "
    "signed so that positive is better), its 95% confidence interval with Welch-Satterthwaite degrees of "
    "freedom, and the one-sided p-value for improvement > margin. supported: the interval lies above the "
    "margin (p < 0.025); refuted: it lies below the margin; otherwise inconclusive.";

// collect's row columns that are metrics (always valid names, even before any run has finished).
const std::vector<std::string> kRowMetrics = {"test_top1",    "best_test_top1", "test_top5",   "params",
                                              "macs",         "macs_conv",      "macs_linear", "latency_ms",
                                              "images_per_s", "wall_time_s"};
const std::set<std::string> kNotMetrics = {"seed", "epochs", "epochs_done", "width"};

struct SweepRuns {
  const std::vector<RunRecord>& runs;
  const json& rows;
  std::vector<json> configs;  // each run's resolved config (null when it has none yet)
  // The claims were checked against the sweep's whole plan when it started (a manifest's claims): a
  // side whose config has no run in the folder yet is pending, not an error.
  bool planned = false;
};

json config_of(const RunRecord& r) {
  if (r.report.is_object() && r.report.contains("config") && r.report["config"].is_object())
    return r.report["config"];
  const std::optional<std::string> text = read_file((fs::path(r.dir) / "config.json").string());
  const json j = text ? json::parse(*text, nullptr, /*allow_exceptions=*/false) : json();
  return j.is_object() ? j : json();
}

std::string sweep_of(const SweepRuns& s) { return s.rows.empty() ? "?" : s.rows[0].value("sweep", "?"); }

[[noreturn]] void fail(const Claim& c, const std::string& message) {
  throw Error(fmt::format("{}: {}: {}", c.file, c.where, message));
}

// Every key of the selector must be a path of some run's config, and its value that of some run.
// Returns false, where s.planned, for a value no run has yet.
bool check_selector(const Claim& c, const char* side, const json& selector, const SweepRuns& s) {
  for (const auto& [key, value] : selector.items()) {
    std::set<std::string> values;
    bool equal = false;
    for (const json& config : s.configs)
      if (const json* v = config.is_null() ? nullptr : at_dotted(config, key)) {
        values.insert(v->dump());
        equal = equal || *v == value;
      }
    if (values.empty()) {
      std::set<std::string> paths;
      for (const json& config : s.configs) add_dotted_keys(config, paths);
      fail(c, fmt::format("{}: '{}' is not a config key of any run in sweep '{}'{}", side, key, sweep_of(s),
                          did_you_mean(key, std::vector<std::string>(paths.begin(), paths.end()))));
    }
    if (!equal && s.planned) return false;
    if (!equal)
      fail(c, fmt::format("{}: {} = {} matches no run in sweep '{}'; its values there: {}", side, key,
                          value.dump(), sweep_of(s),
                          join(std::vector<std::string>(values.begin(), values.end()))));
  }
  return true;
}

// The runs the selector matches, all of one config (group); none, where s.planned, for a config with
// no run in the folder yet.
std::vector<size_t> select_runs(const Claim& c, const char* side, const json& selector, const SweepRuns& s) {
  if (!check_selector(c, side, selector, s)) return {};
  std::vector<size_t> matched;
  std::map<std::string, std::string> groups;  // group -> label
  for (size_t i = 0; i < s.configs.size(); ++i) {
    if (s.configs[i].is_null()) continue;
    bool all = true;
    for (const auto& [key, value] : selector.items()) {
      const json* v = at_dotted(s.configs[i], key);
      all = all && v && *v == value;
    }
    if (!all) continue;
    matched.push_back(i);
    groups[s.rows[i].value("group", "?")] = s.rows[i].value("label", "?");
  }
  if (matched.empty() && !s.planned)
    fail(c, fmt::format("{}: {} matches no run in sweep '{}' (each key does, not all together)", side,
                        selector.dump(), sweep_of(s)));
  if (groups.size() > 1) {
    std::vector<std::string> labels;
    for (const auto& [_, label] : groups) labels.push_back("'" + label + "'");
    fail(c, fmt::format("{}: {} matches {} configs ({}): add the keys that tell them apart to the selector",
                        side, selector.dump(), groups.size(), join(labels)));
  }
  return matched;
}

json metric_value(const json& row, const json& report, const std::string& metric) {
  if (row.contains(metric)) return row[metric].is_number() ? row[metric] : json();
  if (report.is_object() && report.contains("final") && report["final"].is_object()) {
    const json& f = report["final"];
    if (f.contains(metric) && f[metric].is_number()) return f[metric];
  }
  return json();
}

std::vector<std::string> valid_metrics(const SweepRuns& s) {
  std::set<std::string> names(kRowMetrics.begin(), kRowMetrics.end());
  for (const auto& row : s.rows)
    for (const auto& [k, v] : row.items())
      if (v.is_number() && !kNotMetrics.count(k)) names.insert(k);
  for (const auto& r : s.runs)
    if (r.report.is_object() && r.report.contains("final") && r.report["final"].is_object())
      for (const auto& [k, v] : r.report["final"].items())
        if (v.is_number()) names.insert(k);
  return {names.begin(), names.end()};
}

// The label of a side with no run yet, in collect's form: the model bare, then "k=v" of the other
// keys' last path parts ("mobilenet_v2 width=0.5").
std::string label_of(const json& selector) {
  std::vector<std::string> parts;
  if (selector.contains("model.name")) parts.push_back(label_value(selector["model.name"]));
  for (const auto& [key, value] : selector.items())
    if (key != "model.name") parts.push_back(key.substr(key.rfind('.') + 1) + "=" + label_value(value));
  return join(parts, " ");
}

// One side's runs summarised; `values` receives the metric of its finished runs.
json side_summary(const Claim& c, const json& selector, const std::vector<size_t>& idx, const SweepRuns& s,
                  std::vector<double>& values) {
  json out = {
      {"selector", selector},   {"label", idx.empty() ? json(label_of(selector)) : s.rows[idx[0]]["label"]},
      {"runs", idx.size()},     {"values", json::array()},
      {"seeds", json::array()}, {"run_ids", json::array()},
      {"not_done", 0},          {"missing_metric", 0}};
  for (size_t i : idx) {
    const json& row = s.rows[i];
    if (row.value("status", "") != "done") {
      out["not_done"] = out["not_done"].get<int64_t>() + 1;
      continue;
    }
    const json v = metric_value(row, s.runs[i].report, c.metric);
    if (!v.is_number()) {
      out["missing_metric"] = out["missing_metric"].get<int64_t>() + 1;
      continue;
    }
    values.push_back(v.get<double>());
    out["values"].push_back(v);
    out["seeds"].push_back(row["seed"]);
    out["run_ids"].push_back(row["run_id"]);
  }
  const json sum = summarize(std::vector<json>(out["values"].begin(), out["values"].end()));
  out["n"] = sum["n"];
  out["mean"] = sum["mean"];
  out["std"] = sum["n"].get<int64_t>() > 1 ? sum["std"] : json();
  return out;
}

bool lower_is_better(const Claim& c, const SweepRuns& s) {
  const std::vector<std::string> valid = valid_metrics(s);
  if (std::find(valid.begin(), valid.end(), c.metric) == valid.end()) {
    fail(c, fmt::format("metric: '{}' is not a metric of sweep '{}'{}; valid metrics: {}", c.metric,
                        sweep_of(s), did_you_mean(c.metric, valid), join(valid)));
  }
  if (c.lower_is_better) return *c.lower_is_better;
  if (const auto known = metric_lower_is_better(c.metric)) return *known;
  fail(c, fmt::format(
              "metric: the direction of '{}' is unknown; add \"lower_is_better\": true or false to the claim",
              c.metric));
}

// The test on the two sides' values (each with >= 2), signed so that positive favours `better`.
void judge(json& out, std::vector<double> better, std::vector<double> than, bool lower, double margin) {
  if (lower)
    for (auto* v : {&better, &than})
      for (double& x : *v) x = -x;
  const WelchTest w = welch_test(better, than, margin, kConfidence);
  out["diff"] = w.diff;
  out["se"] = w.se;
  out["ci_low"] = w.ci_low;
  out["ci_high"] = w.ci_high;
  out["p"] = w.p;
  out["df"] = w.zero_variance ? json() : json(w.df);
  out["t"] = w.zero_variance ? json() : json(w.t);
  out["verdict"] = w.ci_low > margin ? "supported" : w.ci_high < margin ? "refuted" : "inconclusive";
  if (w.zero_variance)
    out["reason"] = "both sides are constant over their seeds: the interval is the difference itself";
  else if (out["verdict"] == "inconclusive")
    out["reason"] = "the interval contains the margin";
}

// The runs of each side (select_runs), which must be two different configs.
std::pair<std::vector<size_t>, std::vector<size_t>> select_sides(const Claim& c, const SweepRuns& s) {
  std::vector<size_t> b = select_runs(c, "better", c.better, s), t = select_runs(c, "than", c.than, s);
  if (!b.empty() && !t.empty() && s.rows[b[0]]["group"] == s.rows[t[0]]["group"])
    fail(c, fmt::format("better and than select the same config ('{}')",
                        s.rows[b[0]]["label"].get<std::string>()));
  return {std::move(b), std::move(t)};
}

json evaluate_one(const Claim& c, const SweepRuns& s) {
  const bool lower = lower_is_better(c, s);
  const auto [b, t] = select_sides(c, s);
  std::vector<double> vb, vt;
  json out = {{"name", c.name},           {"comment", c.comment},     {"sweep", sweep_of(s)},
              {"metric", c.metric},       {"lower_is_better", lower}, {"margin", c.margin},
              {"confidence", kConfidence}};
  out["better"] = side_summary(c, c.better, b, s, vb);
  out["than"] = side_summary(c, c.than, t, s, vt);
  for (const char* k : {"diff", "se", "df", "t", "ci_low", "ci_high", "p"}) out[k] = nullptr;
  out["verdict"] = "inconclusive";
  out["reason"] = "";
  if (!vb.empty() && !vt.empty()) {
    const double d = out["better"]["mean"].get<double>() - out["than"]["mean"].get<double>();
    out["diff"] = lower ? -d : d;
  }
  if (vb.size() >= 2 && vt.size() >= 2) {
    judge(out, vb, vt, lower, c.margin);
    return out;
  }
  for (const auto& [side, idx] :
       {std::pair<const char*, const std::vector<size_t>*>{"better", &b}, {"than", &t}})
    if (idx->empty()) {
      out["reason"] = fmt::format("no run of '{}' in the sweep folder yet", side);
      return out;
    }
  for (const auto& [side, v] :
       {std::pair<const char*, const std::vector<double>*>{"better", &vb}, {"than", &vt}})
    if (v->empty()) {
      out["reason"] = fmt::format("no finished run of '{}' carries {} yet", side, c.metric);
      return out;
    }
  out["reason"] = fmt::format("needs >= 2 seeds per side (better has {}, than has {})", vb.size(), vt.size());
  return out;
}

std::vector<Claim> manifest_claims(const fs::path& sweep_dir) {
  const fs::path manifest = sweep_dir / "manifest.json";
  std::error_code ec;
  return fs::exists(manifest, ec) ? load_claims(manifest.string()) : std::vector<Claim>{};
}

json claims_doc(const json& claims) {
  return {{"schema_version", kSchemaVersion},
          {"kind", "claims"},
          {"method", kMethod},
          {"confidence", kConfidence},
          {"claims", claims}};
}

// The runs of each sweep, in order of appearance: sweep name -> indices.
std::vector<std::pair<std::string, std::vector<size_t>>> by_sweep(const std::vector<RunRecord>& runs) {
  std::vector<std::pair<std::string, std::vector<size_t>>> out;
  for (size_t i = 0; i < runs.size(); ++i) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == runs[i].sweep; });
    if (it == out.end()) it = out.insert(out.end(), {runs[i].sweep, {}});
    it->second.push_back(i);
  }
  return out;
}

json evaluate_subset(const std::vector<Claim>& claims, const std::vector<RunRecord>& runs, const json& rows,
                     const std::vector<size_t>& idx, bool planned) {
  std::vector<RunRecord> sub;
  json sub_rows = json::array();
  for (size_t i : idx) sub.push_back(runs[i]), sub_rows.push_back(rows[i]);
  return evaluate_claims(claims, sub, sub_rows, planned);
}

SweepRuns sweep_runs(const std::vector<RunRecord>& runs, const json& rows, bool planned) {
  SweepRuns s{runs, rows, {}, planned};
  for (const auto& r : runs) s.configs.push_back(config_of(r));
  return s;
}

}  // namespace

void check_claims(const std::vector<Claim>& claims, const std::vector<RunRecord>& runs, const json& rows) {
  const SweepRuns s = sweep_runs(runs, rows, false);
  for (const auto& c : claims) select_sides(c, s);
}

json evaluate_claims(const std::vector<Claim>& claims, const std::vector<RunRecord>& runs, const json& rows,
                     bool planned) {
  const SweepRuns s = sweep_runs(runs, rows, planned);
  json out = json::array();
  for (const auto& c : claims) out.push_back(evaluate_one(c, s));
  return out;
}

json evaluate_sweeps(const std::vector<RunRecord>& runs, const json& rows, const std::string& claims_file) {
  const auto sweeps = by_sweep(runs);
  if (!claims_file.empty() && sweeps.size() != 1) {
    std::vector<std::string> names;
    for (const auto& [name, _] : sweeps) names.push_back(name);
    throw Error(fmt::format("--claims {}: the folder holds {} sweeps ({}); give the folder of one sweep",
                            claims_file, sweeps.size(), join(names)));
  }
  json all = json::array();
  for (const auto& [name, idx] : sweeps) {
    const auto claims = claims_file.empty() ? manifest_claims(fs::path(runs[idx[0]].dir).parent_path())
                                            : load_claims(claims_file);
    for (auto& c : evaluate_subset(claims, runs, rows, idx, claims_file.empty())) all.push_back(std::move(c));
  }
  return claims_doc(all);
}

std::vector<std::string> write_sweep_claims(const std::vector<RunRecord>& runs, const json& rows) {
  std::vector<std::string> written;
  for (const auto& [name, idx] : by_sweep(runs)) {
    const fs::path dir = fs::path(runs[idx[0]].dir).parent_path();
    const std::string path = (dir / "claims.json").string();
    const auto claims = manifest_claims(dir);
    std::error_code ec;
    if (claims.empty()) {
      fs::remove(path, ec);
      continue;
    }
    write_file_atomic(path, claims_doc(evaluate_subset(claims, runs, rows, idx, true)).dump(2) + "\n");
    written.push_back(path);
  }
  return written;
}

}  // namespace espbench::report
