// Sweep manifests: a base RunConfig plus what varies it, expanded into a list of runs
// (docs/sweeps.md describes the format). The manifest is validated completely before anything runs.
//
//   Manifest m = load_manifest("ablations/blocks.json");   // syntax, keys, types
//   Plan plan = expand(m);                                  // every run resolved, ids, constraints
//   for (const PlannedRun& r : plan.runs) ... r.id, r.config, r.label
//
// Manifest JSON (only "base" is required):
//   {"name": "blocks",                         // folder under --out; default: the file's stem
//    "description": "what it tests, data, epochs, seeds, expected wall time",   (or "comment")
//    "base": {...},                            // a RunConfig, as for `espbench train --config`
//    "variants": {"esp": {"model.options.block": "esp"}, ...},   // named override sets
//    "axes": {"model.options.branches": [2, 4]},                 // cartesian product
//    "zip": [{"model.options.scale": [0.5, 1.0], "train.lr": [0.1, 0.05]}],   // varied together
//    "seeds": [1, 2, 3],                       // runtime.seed; default: the base's seed
//    "exclude": [{"model.options.block": "esp", "model.options.branches": 2}],
//    "constraints": {"max_macs": 10e6, "min_macs": 0, "max_params": 1e6, "min_params": 0},
//    "claims": [{"name": "EESP beats ESP", "better": {"model.options.block": "eesp"},
//                "than": {"model.options.block": "esp"}, "metric": "test_top1", "margin": 0}]}
//
// claims: hypotheses about the runs, checked here for keys and types (harness/report/claims.h) and
// judged over the seeds by `espbench report` / `collect` from the manifest copy in the sweep folder.
//
// Overrides are dotted keys into the RunConfig (nested objects also work); they are merged into
// the base as a JSON merge patch (RFC 7396: objects merge, anything else replaces, null removes a
// key so its default applies). Runs = variants x axes (sorted by key) x zip groups x seeds, with
// the seed outermost, so that a partly finished sweep already holds one seed of every config.
// Every run is resolved with resolve_run_config (defaults filled, data set opened, model options
// validated); its id is train::run_id. Runs that resolve to the same id are merged.
//
// exclude: a run is dropped when every key of one rule matches its resolved config (a list value
// matches any of its elements; the key "variant" matches the variant's name).
// constraints: params and MACs (conv + linear, per image at the training resolution, counted by
// measure_complexity without training) must lie within the bounds; runs outside are dropped.
//
// Errors are espbench::Error, one line: "FILE: JSON-PATH: message", e.g.
//   "m.json: axes[\"model.options.blok\"][0]: model.options: model 'espnetv2': unknown option ..."
//   "m.json: constraints.max_macs: 1000 excludes every run (MACs of the 6 runs: 3.1M .. 5.9M)"
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "harness/train/run_config.h"

namespace espbench::sweep {

struct Manifest {
  std::string path;         // the file, named in every message
  std::string name;         // the sweep's folder name
  std::string description;  // "description" or "comment"
  json raw;                 // the manifest as read
};

struct PlannedRun {
  std::string id;           // train::run_id(config)
  train::RunConfig config;  // resolved
  std::string variant;      // "" without variants
  std::string label;        // what made it, e.g. "esp branches=2 seed=3"
  std::string origin;       // the JSON paths that built it, e.g. "variants.esp, seeds[2]"
  int64_t params = -1;      // measured when constraints are set or measure_runs() ran; else -1
  int64_t macs = -1;        // conv + linear MACs per image at the training resolution
};

struct Plan {
  Manifest manifest;
  std::vector<PlannedRun> runs;  // expansion order
  int64_t expanded = 0;          // combinations before exclusion / constraints / merging
  int64_t excluded = 0, constrained = 0, merged = 0;
};

// Reads and checks the manifest's syntax, keys and types (not yet the run configs).
Manifest load_manifest(const std::string& path);
Manifest parse_manifest(const json& raw, const std::string& path);

// Expands and resolves every run, applies exclude rules and constraints; throws when nothing is left.
Plan expand(const Manifest& manifest);

// Fills params and macs of runs that lack them.
void measure_runs(std::vector<PlannedRun>& runs);

// "i/n" with 0 <= i < n.
std::pair<int64_t, int64_t> parse_shard(const std::string& text);

// Runs at positions k with k % n == i of the expansion order: a deterministic partition (every run
// in exactly one shard) that spreads each config's seeds and costly families over the shards.
std::vector<PlannedRun> shard_runs(const std::vector<PlannedRun>& runs, int64_t index, int64_t count);

}  // namespace espbench::sweep
