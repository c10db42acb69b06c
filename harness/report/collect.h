// `espbench collect`: one table of every run under a folder, from the runs' files alone.
//
//   std::vector<RunRecord> runs = find_runs("sweeps/blocks");   // or "sweeps" (several sweeps)
//   json rows = make_rows(runs);                                 // one object per run
//   write_collect("sweeps/blocks", rows);                        // collect.json + collect.csv
//
// Folder shapes: DIR is a sweep folder when it holds run folders (subfolders with report.json or
// status.json), else each subfolder of DIR that does is a sweep; a run folder is named by its run id.
// Readers ignore unknown fields and tolerate what a running sweep leaves: a run without a report yet
// (status.json only) or with an unparsable one becomes a row without metrics.
//
// Row keys: sweep, run_id, status (the report's; else status.json's; "unreadable" when the report
// does not parse), model, family, label, group, seed, epochs (planned), epochs_done, params, macs
// (conv + linear MACs per image at the training resolution), macs_conv, macs_linear, test_top1
// (last epoch), best_test_top1, test_top5, test_miou, best_test_miou, test_pixel_acc (segmentation
// runs), latency_ms (when the report has a `latency` block),
// images_per_s (mean over epochs), wall_time_s, error, dir. Metrics a run lacks are null.
//
// label names what distinguishes a run's config within its sweep: the model (when the sweep has
// several) and every config value that varies, e.g. "block=esp" or "mobilenet_v2 width=0.5".
// Model options count as varying only among runs of the same model, schedule options among runs of
// the same schedule. A setting that has one value per model in a sweep of several models (each
// family's own lr_base) is implied by the model and left out. When a width (the option a model
// entry names as its `width_option`: espnetv2 `scale`, the baselines' `width`) varies, every run
// shows its width. Two more keys, in the JSON rows only: series (the label without the width: one
// line of a cost plot) and width (its value, null when the model has none). Neither the seed nor
// what is measured once trained (`measure`, which run ids leave out as well) is ever in the label;
// `group` is the same for runs that differ only in their seed (report.h averages over it).
#pragma once
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::report {

struct RunRecord {
  std::string sweep;  // the sweep folder's name
  std::string dir;    // the run folder
  json report;        // null when absent
  json status;        // {} when absent
  bool unreadable = false;
};

// Throws espbench::Error when DIR holds no run at all.
std::vector<RunRecord> find_runs(const std::string& dir);

json make_rows(const std::vector<RunRecord>& runs);

// A config value as labels show it: strings bare, floats in %g (1.0 -> "1"), anything else as JSON.
std::string label_value(const json& v);

// The latency in milliseconds a report carries, or null: `latency` as a number, or its first numeric
// field among p50_ms (the headline path's p50 of a trainer's block, harness/train/final_latency.h),
// median_ms, latency_ms, mean_ms, ms.
json latency_ms_of(const json& report);

std::string rows_csv(const json& rows);

// DIR/collect.json {"schema_version", "kind": "collect", "root", "generated_utc", "rows"} and
// DIR/collect.csv, both written atomically.
void write_collect(const std::string& dir, const json& rows);

}  // namespace espbench::report
