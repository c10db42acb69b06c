// RunConfig = ModelSpec + data + training + runtime settings (README "Three values"). `espbench
// train` builds one from a JSON file and flags, a sweep manifest's `base` is one, and the resolved
// form is stored in every report; its hash is the run id.
//
//   json j = load_json_file("run.json");
//   RunConfig cfg = resolve_run_config(j, "run.json");   // throws espbench::Error naming file + key
//   std::string id = run_id(cfg);                          // e.g. "3f9c0a61d2e4b7a8"
//
// JSON shape (every key optional except model.name; defaults shown):
//   {"model":   {"name": "espnetv2", "options": {...registry options...}},
//    "data":    {"name": "fashion-mnist", "root": "", "limit_train": 0, ...},   // harness/data/dataset.h
//    "train":   {"epochs": 10, "batch_size": 128, "lr": null, "lr_base": 0.1,
//                "lr_base_batch_size": 512, "lr_base_scale": "linear", "momentum": 0.9, "nesterov": false,
//                "weight_decay": 4e-5, "wd_exclude_bn_bias": false, "label_smoothing": 0.0,
//                "schedule": "cyclic", "schedule_options": {}, "eval_batch_size": 256,
//                "workers": 1, "checkpoint": true, "batchnorm": "batch"},
//    "runtime": {"threads": <all cores>, "device": "cpu", "seed": 1882},
//    "comment": "free text, kept in the report, not part of the run id",
//    "init":    {"weights": "FILE", "allow_missing": false},  // optional: harness/weights/init.h
//    "measure": {"latency": {"threads": 1, ...}}}  // optional: harness/train/measure_settings.h
//
// Resolution:
//   * Unknown keys and bad values throw espbench::Error "SOURCE: PATH: message", e.g.
//     "run.json: train.epocs: unknown key (did you mean 'epochs'?); valid keys: ...".
//   * Defaults are filled everywhere: model options by the registry, data options by the data
//     layer, schedule options (incl. the milestones) by make_schedule.
//   * The data set is opened (so a missing or unknown set fails here, not hours later), and the
//     model options `in_channels` and `num_classes` are set from it when the user did not give them
//     and the model has those options (e.g. Fashion-MNIST -> in_channels 1, num_classes 10). Given
//     values are kept; a mismatch then fails when the model first runs.
//   * train.lr is the schedule's base lr (for "cyclic" the cycle minimum; the peak is
//     cycle_len * lr). When it is null (the default) it follows the paper's recipe at the run's
//     batch size: lr_base (0.1 at lr_base_batch_size 512, ESPNetv2's ImageNet setting) scaled by
//     lr_base_scale, linearly by default (Goyal et al., 2017): batch 128 -> 0.025, cycle peak
//     0.125. A given lr is used as it is. The report's `lr_rule` records which rule gave the lr.
//     nesterov requires momentum > 0.
//
// run_id: FNV-1a 64-bit of the canonical dump (sorted keys) of the resolved config without the
// settings that do not change results: runtime.threads, runtime.device, train.workers (the loader
// is bitwise identical for any worker count), train.checkpoint, data.root (where the files live),
// comment and measure (what is measured once trained); train.batchnorm is hashed only when not
// "batch". The same experiment has the same id wherever it runs; note that results are only
// bit-for-bit identical for the same thread count (see trainer.h).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "harness/data/dataset.h"
#include "harness/train/measure_settings.h"
#include "harness/weights/init.h"
#include "modules/options.h"
#include "modules/registry.h"

namespace espbench::train {

struct TrainSettings {
  int64_t epochs = 10;                     // >= 1
  int64_t batch_size = 128;                // >= 1
  double lr = 0.025;                       // schedule base lr, > 0 (resolved: given or scaled)
  bool lr_given = false;                   // train.lr was set; otherwise lr = scaled_lr(*this)
  double lr_base = 0.1;                    // the recipe's lr at lr_base_batch_size
  int64_t lr_base_batch_size = 512;        // ESPNetv2's ImageNet recipe: cycle 0.1 -> 0.5 at 512
  std::string lr_base_scale = "linear";    // linear, sqrt or none
  double momentum = 0.9;                   // SGD momentum in [0, 1)
  bool nesterov = false;                   // Nesterov momentum (official EdgeNets training code: true)
  double weight_decay = 4e-5;              // L2, >= 0
  bool wd_exclude_bn_bias = false;         // no decay on 1-D params (BN, PReLU, biases); official: false
  double label_smoothing = 0.0;            // cross-entropy label smoothing in [0, 1)
  std::string schedule = "cyclic";         // harness/train/schedule.h
  json schedule_options = json::object();  // resolved by make_schedule
  int64_t eval_batch_size = 256;           // >= 1
  int64_t workers = 1;                     // loader threads (0: build batches in the training thread)
  bool checkpoint = true;                  // write checkpoint_last.pt / checkpoint_best.pt every epoch
  // BatchNorm while training: "batch" normalises with batch statistics (per rank when
  // data-parallel); "frozen" keeps BN layers in eval mode (running statistics, left at their
  // initial or loaded values; weight and bias still train), which makes every example's gradient
  // independent of the others in its batch (exact data-parallel equivalence, fine-tuning).
  std::string batchnorm = "batch";
};

struct RuntimeSettings {
  int64_t threads = 1;         // intra-op threads (resolved default: all cores)
  std::string device = "cpu";  // cpu, cuda, cuda:N
  int64_t seed = 1882;         // torch::manual_seed and the loader's order/augmentation seed
};

struct RunConfig {
  ModelSpec model;      // options fully resolved
  data::DataSpec data;  // resolved
  TrainSettings train;
  RuntimeSettings runtime;
  std::string comment;
  weights::InitWeights init;  // "init": initial weights (harness/weights/init.h); empty: none
  MeasureSettings measure;    // "measure": what to measure once trained (measure_settings.h)
};

OptionSchema train_option_schema();
const OptionSchema& runtime_option_schema();

// Validates and fills `config` (see above). `source` names where it came from in error messages
// (a file name, or "command line").
RunConfig resolve_run_config(const json& config, const std::string& source);

// The resolved config as JSON (the shape above, every key present). resolve_run_config(to_json(c))
// gives `c` back.
json to_json(const RunConfig& config);

// 16 hex digits (see above).
std::string run_id(const RunConfig& config);

// The learning rate lr_base scaled to the batch size by lr_base_scale.
double scaled_lr(const TrainSettings& train);
// {"rule": "given" | "linear" | "sqrt" | "none", "lr": ..., "batch_size": ..., and for a scaled lr
// "lr_base", "lr_base_batch_size"}: what the report records.
json lr_rule(const TrainSettings& train);

// FNV-1a 64-bit hash of `text`.
uint64_t fnv1a64(const std::string& text);

// Reads a JSON file; errors name the file (and the parse position).
json load_json_file(const std::string& path);

// Opens a data set, keeping the most recently opened one so that resolving a config and then
// training on it (or resolving many sweep configs over one data set) reads the files once.
// Thread-safe. Note: an image folder's skipped-file count lives in the shared object.
std::shared_ptr<const data::DataSplits> open_data_shared(const data::DataSpec& spec);

}  // namespace espbench::train
