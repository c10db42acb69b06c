// The trained model's inference latency, measured once after its last epoch when the run config
// asks for it (measure.latency, harness/train/measure_settings.h), on the code path of
// `espbench measure --latency` (harness/latency/latency.h): a copy of the trained network in eval
// mode, on the CPU, at the training resolution, timed on Google Benchmark's runner.
//
// The report's `latency` block:
//   {"when": "after the last epoch, trained weights", "settings": {threads, batch, paths, samples,
//    warmup_s, max_cv}, "input": [batch, C, H, W], "device": "cpu", "cpu_model", "cpu_cores",
//    "primary": the first path, "p50_ms": its p50 (absent when it failed), "seconds": the
//    measurement's wall time, "load_average_1m": the machine's load as the timing began (null where
//    unknown; a sweep's other workers count in it),
//    "paths": {PATH: measure_latency's object (p50_ms, p90_ms, p99_ms, mean_ms, min_ms, max_ms, cv,
//              samples, threads, batch, input, macs_per_image, gmac_per_s, inference, valid, ...)
//              plus "attempts": a path whose timing is not valid (cv above max_cv) is timed again, up
//              to 3 timings, and the one with the lowest cv is kept;
//              or {"error": why} for a path that could not be timed}}
// A path that fails (a fast part that cannot run, say) is recorded with its error; the run stays done.
#pragma once
#include <string>

#include "harness/data/dataset.h"
#include "harness/train/progress.h"
#include "harness/train/run_config.h"
#include "modules/network.h"

namespace espbench::train {

// The `latency` block of a finished run. Returns `previous` (the block a report of this run
// already holds, or null) when it was measured with the same settings, so that a finished run that
// is resumed is not measured again; null when the config asks for no latency. Prints one line.
json final_latency(const RunConfig& cfg, const Network& trained, const data::Dataset& train_set,
                   const json& previous, Progress& progress);

// True when `previous` (a report's latency block, or null) is the block `cfg` asks for: measured
// with the same settings, or none asked. final_latency() returns such a block unchanged.
bool latency_up_to_date(const RunConfig& cfg, const json& previous);

// The `latency` block of the report at `report_path` when that report belongs to `run_id`, else null.
json previous_latency(const std::string& report_path, const std::string& run_id);

}  // namespace espbench::train
