// Claims: hypotheses a manifest states about its own runs, judged by statistics over the seeds.
//
//   "claims": [{"name": "EESP beats ESP",
//               "better": {"model.options.block": "eesp"}, "than": {"model.options.block": "esp"},
//               "metric": "test_top1", "margin": 0}]
//
//   std::vector<Claim> cs = parse_claims(manifest["claims"], "ablations/blocks.json");
//   json doc = evaluate_sweeps(runs, make_rows(runs));     // the claims of every sweep's manifest.json
//   std::cout << format_claims(doc, /*markdown=*/false);
//
// Claim keys: name (required, unique), better and than (required: objects of dotted config path ->
// value), metric (default "test_top1"), margin (a number in the metric's unit, default 0),
// lower_is_better (default: from the metric's name, see metric_lower_is_better), comment.
//
// Matching: a selector's paths index the run's resolved config (report.json's `config`, else the
// run folder's config.json), e.g. model.options.block, model.name, train.schedule; a run matches
// when every entry equals its value (JSON equality, 1 == 1.0). Each side must match runs of exactly
// one config (collect.h's group: the configs differ only in the seed); a selector that matches
// several configs is refused, naming them, so that no claim silently pools different configs.
// Only runs whose status is "done" and that carry the metric count; the others are counted and named.
//
// Statistics (stats.h): Welch's two-sample t-test over the seeds on the improvement d of `better`
// over `than` (mean(better) - mean(than), or mean(than) - mean(better) when lower is better), a 95%
// confidence interval with Welch-Satterthwaite degrees of freedom and the one-sided p-value for
// H1: d > margin. Verdict: "supported" when the interval's lower bound is above the margin (the
// same as p < 0.025), "refuted" when its upper bound is below the margin (the data support the
// opposite), else "inconclusive"; also "inconclusive" with a reason when a side has fewer than two
// finished seeds.
//
// Errors are espbench::Error naming the file, the claim and the key: a path no run's config has,
// a value no run has (except for a sweep folder's own claims, below), a selector matching several configs,
// both sides selecting the same config, an unknown metric (the valid ones listed), a metric whose direction
// is unknown.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "harness/report/collect.h"
#include "modules/options.h"

namespace espbench::report {

struct Claim {
  std::string name;
  json better, than;  // dotted config path -> value
  std::string metric = "test_top1";
  double margin = 0;
  std::optional<bool> lower_is_better;  // unset: metric_lower_is_better(metric)
  std::string comment;
  std::string file;   // where the claim was read, named in every message
  std::string where;  // "claims[2] 'NAME'"
};

// The claims array of a manifest (its "claims" value). Throws "FILE: claims[i].KEY: message".
std::vector<Claim> parse_claims(const json& claims, const std::string& file);

// The claims of FILE: a manifest (its "claims", none when absent) or a bare array of claims.
std::vector<Claim> load_claims(const std::string& file);

// Whether lower values of the metric are better, from its name: losses, latencies (_ms), wall time,
// params and MACs are lower-is-better; accuracies (top1, top5, acc, iou/miou) and images_per_s
// higher-is-better; nullopt for anything else (the claim must then say lower_is_better).
std::optional<bool> metric_lower_is_better(const std::string& metric);

// Evaluates claims on the runs of one sweep (`rows` = make_rows(runs), aligned with `runs`).
// Returns one object per claim (see docs/sweeps.md for the fields). `planned`: the claims were
// checked against the sweep's plan (check_claims) when it started, so a side whose config has no
// run in the folder yet is judged "inconclusive" (no run yet) instead of refused.
json evaluate_claims(const std::vector<Claim>& claims, const std::vector<RunRecord>& runs, const json& rows,
                     bool planned = false);

// Checks only the selectors against the runs (each side one config, the two different), as a sweep
// does against its planned runs before it trains anything; throws as evaluate_claims does.
void check_claims(const std::vector<Claim>& claims, const std::vector<RunRecord>& runs, const json& rows);

// The claims document of everything under a folder: each sweep's claims come from its folder's
// manifest.json (the copy `espbench sweep` writes; checked against the plan, so a config without
// runs yet is pending), or, when claims_file is given, from that file (then the runs must form one
// sweep, and a value no run has is an error). {"schema_version", "kind": "claims", "method", "confidence",
// "claims": [... each with its "sweep" ...]}; an empty list when no sweep has claims.
json evaluate_sweeps(const std::vector<RunRecord>& runs, const json& rows,
                     const std::string& claims_file = "");

// Writes <sweep folder>/claims.json (atomically) for every sweep whose manifest.json has claims and
// removes a claims.json left in a sweep folder whose manifest has none. Returns the files written.
std::vector<std::string> write_sweep_claims(const std::vector<RunRecord>& runs, const json& rows);

// A table of an evaluate_sweeps document, then one line per claim with a reason or left-out runs;
// "" when it holds no claims.
std::string format_claims(const json& doc, bool markdown);

}  // namespace espbench::report
