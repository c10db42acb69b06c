// Training and evaluation of one RunConfig, with checkpoints, exact resume and a JSON report.
//
//   RunConfig cfg = resolve_run_config(j, "run.json");
//   json report = train_run(cfg, "runs/espnetv2_s1");   // also written to runs/.../report.json
//
// Recipe (the paper's, docs/training.md): SGD with momentum (optionally Nesterov) and L2 weight
// decay (on all parameters, as the official code, or with wd_exclude_bn_bias on >= 2-D parameters only, i.e.
// not on BatchNorm/PReLU weights and biases), cross-entropy with optional label smoothing, the learning rate
// set before every step from the schedule (schedule.h). The training split is shuffled and augmented by the
// loader; a final partial batch is kept, except when it would hold one image (BatchNorm cannot train on one).
// After every epoch the model is evaluated in eval mode under NoGradGuard on the whole test split: top-1 and
// (with >= 5 classes) top-5 accuracy in percent.
//
// Files in out_dir:
//   report.json          rewritten (atomically) at the start, after every epoch (status "running")
//                        and at the end ("done", "failed", or "stopped" when a hook or
//                        TrainOptions::stop_after_epochs ended the session early).
//                        Schema: harness/report/report.schema.json.
//   checkpoint_last.pt   after every epoch (train.checkpoint), see checkpoint.h
//   checkpoint_best.pt   whenever test top-1 improved
//
// Resume: when out_dir holds checkpoint_last.pt the run continues from the epoch after it with the
// saved model, optimizer state, CPU generator, epoch records, best accuracy and wall time; the
// schedule is a pure function of the position, the loader's order and augmentation of (seed,
// epoch), so nothing else is needed. A checkpoint of another run id is refused. A run killed at any
// point (even SIGKILL) loses at most the epoch in progress.
//
// Reproducibility: on the CPU, the same binary, config and thread count give bit-for-bit identical
// parameters and epoch records (all but seconds/images_per_s), whether the run is uninterrupted or
// stopped and resumed any number of times, and for any number of loader workers. A different
// thread count may change the order of floating-point reductions (results then differ in the last
// bits and drift apart); on CUDA nothing is promised (no CUDA generator state is saved).
//
// A non-finite training loss ends the run at once with status "failed" and the reason (epoch, step,
// lr) in the report's "error"; train_run returns that report rather than throwing. Config and data
// errors throw espbench::Error before anything is written; an exception during training is
// recorded as "failed" in the report and rethrown.
//
// The loop's parts: optimizer.h (the SGD setup and one step), evaluate.h, loaders.h (the two
// splits' loader settings), model_summary.h (the report's model block); bench_train.h times the
// same steps without a run.
#pragma once
#include <functional>
#include <string>

#include "harness/data/loader.h"
#include "harness/train/progress.h"
#include "harness/train/run_config.h"

namespace espbench::dist {
class DataParallel;
}

namespace espbench::train {

struct TrainHooks {
  // Before every training step; may modify the batch (tests use it to inject faults).
  std::function<void(int64_t epoch, int64_t step, data::Batch& batch)> before_step;
  // After every epoch, once its record is in the checkpoint and the report; return false to end
  // the session there (status "stopped"; the run resumes from the next epoch).
  std::function<bool(const json& record)> after_epoch;
};

struct TrainOptions {
  ProgressOptions progress;       // mode Quiet for silence
  int64_t stop_after_epochs = 0;  // > 0: end this session (status "stopped") after that many epochs
  TrainHooks hooks;
  // Data-parallel training across processes (harness/dist/data_parallel.h), or null. Every rank
  // calls train_run with the same config and out_dir (on a shared file system); only rank 0 writes
  // the report and checkpoints, and only rank 0 shows progress.
  dist::DataParallel* data_parallel = nullptr;
};

// Trains (or resumes) `config` in `out_dir` and returns the final report (also in report.json).
json train_run(const RunConfig& config, const std::string& out_dir, const TrainOptions& options = {});

}  // namespace espbench::train
