#include "harness/train/trainer.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "harness/dist/data_parallel.h"
#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "harness/runtime/quiet.h"
#include "harness/runtime/runtime.h"
#include "harness/train/batchnorm_mode.h"
#include "harness/train/checkpoint.h"
#include "harness/train/evaluate.h"
#include "harness/train/final_latency.h"
#include "harness/train/loaders.h"
#include "harness/train/model_summary.h"
#include "harness/train/optimizer.h"
#include "harness/train/schedule.h"
#include "harness/train/task.h"
#include "harness/weights/init.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Everything the report carries across sessions (also stored in the checkpoint's meta).
struct RunState {
  json records = json::array();
  double best_top1 = -1.0;  // the task's primary figure: test top-1, or mIoU (task.h)
  int64_t best_epoch = -1;
  double wall_before_s = 0.0;  // wall time of earlier sessions
  std::string started_utc;
  json resumed_at = json::array();
  json latency;  // the report's latency block, measured once after the last epoch (final_latency.h)
};

// What the training steps of one epoch add up to.
struct EpochTotals {
  double loss_sum = 0.0, first_lr = 0.0;
  int64_t correct = 0, counted = 0, seen = 0;  // counted: images, or labelled pixels
  std::string failure;                         // set when the loss was not finite; the epoch ends there
};

// One session of a run: the constructor sets everything up (and throws config and data errors
// before anything is written), run() trains the epochs left.
class Session {
 public:
  Session(const RunConfig& cfg, const std::string& out_dir, const TrainOptions& opt);
  json run();

 private:
  void setup_model();
  void open_loaders();
  void prepare_out_dir();
  void resume();
  json report(const std::string& status, const std::string& error) const;
  void write_report(const json& r) const;
  EpochTotals train_epoch(int64_t e);
  json finish_epoch(int64_t e, const EpochTotals& totals, Clock::time_point epoch_start);
  void save(int64_t e, bool improved);

  const RunConfig& cfg_;
  const TrainSettings& t_;
  const std::string& out_dir_;
  const TrainOptions& opt_;
  dist::DataParallel* dp_;
  bool writer_;  // rank 0 writes the report and checkpoints
  torch::Device device_;
  std::string id_;
  std::shared_ptr<const data::DataSplits> splits_;
  const Task& task_;
  json model_json_;
  LRSchedule schedule_;
  NetworkPtr model_;
  std::unique_ptr<torch::optim::SGD> optimizer_;
  std::unique_ptr<data::Loader> train_loader_, test_loader_;
  // Steps pause while another process on the machine times a model (quiet.h). Not for a
  // data-parallel run: its ranks wait on each other inside a step.
  std::unique_ptr<runtime::QuietLocks> quiet_;
  int64_t steps_ = 0;
  std::string last_path_, best_path_, report_path_;
  RunState st_;
  int64_t start_epoch_ = 0;
  std::unique_ptr<Progress> progress_;
  Clock::time_point session_start_;
  json context_;
};

torch::Device runtime_device(const RunConfig& cfg) {
  set_threads(cfg.runtime.threads, "runtime.threads");
  return torch::Device(check_device(cfg.runtime.device, "runtime.device"));
}

Session::Session(const RunConfig& cfg, const std::string& out_dir, const TrainOptions& opt)
    : cfg_(cfg),
      t_(cfg.train),
      out_dir_(out_dir),
      opt_(opt),
      dp_(opt.data_parallel),
      writer_(!dp_ || dp_->is_writer()),
      device_(runtime_device(cfg)),
      id_(run_id(cfg)),
      splits_(open_data_shared(cfg.data)),
      task_(task_for(*splits_->train)) {
  setup_model();
  open_loaders();
  prepare_out_dir();
  st_.started_utc = utc_now_iso();
  ProgressOptions progress_options = opt_.progress;
  if (!writer_) progress_options.mode = ProgressOptions::Mode::Quiet;
  progress_ = std::make_unique<Progress>(progress_options);
  if (fs::exists(last_path_)) resume();
  if (dp_) dp_->start(*model_, start_epoch_, static_cast<uint64_t>(cfg_.runtime.seed));
  if (!dp_) quiet_ = std::make_unique<runtime::QuietLocks>();
  session_start_ = Clock::now();
  context_ = run_context(device_.str());
  context_["threads"] = cfg_.runtime.threads;
  context_["loader_workers"] = t_.workers;
  context_["world_size"] = dp_ ? dp_->world_size() : 1;
  if (dp_ && dp_->world_size() > 1) context_["distributed"] = dp_->describe();
}

void Session::setup_model() {
  const data::Dataset& train_set = *splits_->train;
  // Counting builds its own copies of the model, so it runs before the seed is set.
  model_json_ = model_summary(cfg_, train_set.channels(), train_set.height(), train_set.width());
  schedule_ = make_schedule(t_.schedule, t_.schedule_options, t_.lr, t_.epochs);
  torch::manual_seed(static_cast<uint64_t>(cfg_.runtime.seed));
  model_ = build_model(resolve_model(cfg_.model));
  if (!cfg_.init.empty()) model_json_["init"] = weights::apply_init(*model_, cfg_.init).to_json();
  model_->to(device_);
  set_training_mode(*model_, t_.batchnorm);
  model_json_["params"] = count_params(*model_);
  optimizer_ = make_optimizer(*model_, t_);
}

void Session::open_loaders() {
  data::LoaderOptions to = train_loader_options(cfg_, *splits_->train);
  if (dp_) dp_->shard(to, splits_->train->size(), /*train=*/true);
  train_loader_ = std::make_unique<data::Loader>(splits_->train, to);
  data::LoaderOptions eo = eval_loader_options(cfg_);
  if (dp_) dp_->shard(eo, splits_->test->size(), /*train=*/false);
  test_loader_ = std::make_unique<data::Loader>(splits_->test, eo);
  steps_ = train_loader_->batches_per_epoch();
  if (steps_ < 1) throw Error(fmt::format("data: the training split of '{}' is empty", splits_->name));
}

void Session::prepare_out_dir() {
  const fs::path dir(out_dir_);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("cannot create output folder '{}': {}", out_dir_, ec.message()));
  last_path_ = (dir / "checkpoint_last.pt").string();
  best_path_ = (dir / "checkpoint_best.pt").string();
  report_path_ = (dir / "report.json").string();
}

// Continues from checkpoint_last.pt: model, optimizer, CPU generator and the run's state.
void Session::resume() {
  json meta = read_checkpoint_meta(last_path_);
  if (meta.value("run_id", "") != id_)
    throw Error(
        fmt::format("'{}' belongs to run {} ({}), not to this config's run {}; use another output "
                    "folder, or delete the checkpoint to start afresh",
                    last_path_, meta.value("run_id", "?"),
                    meta.contains("config") ? meta["config"]["model"].value("name", "?") : "?", id_));
  load_checkpoint(last_path_, *model_, optimizer_.get(), /*restore_rng=*/true);
  start_epoch_ = meta["epoch"].get<int64_t>() + 1;
  st_.records = meta["records"];
  st_.best_top1 = meta["best_test_top1"].get<double>();
  st_.best_epoch = meta["best_epoch"].get<int64_t>();
  st_.wall_before_s = meta["wall_time_s"].get<double>();
  st_.started_utc = meta["started_utc"].get<std::string>();
  st_.resumed_at = meta["resumed_at_epochs"];
  st_.latency = previous_latency(report_path_, id_);
  if (start_epoch_ < t_.epochs) st_.resumed_at.push_back(start_epoch_);
  progress_->note(
      fmt::format("resuming run {} from epoch {}/{} ({})", id_, start_epoch_ + 1, t_.epochs, last_path_));
}

json Session::report(const std::string& status, const std::string& error) const {
  json r = {
      {"schema_version", kSchemaVersion},
      {"kind", "train"},
      {"run_id", id_},
      {"status", status},
      {"context", context_},
      {"config", to_json(cfg_)},
      {"model", model_json_},
      {"data", splits_->info()},
      {"training",
       {{"steps_per_epoch", steps_},
        {"examples_per_epoch", train_loader_->examples_per_epoch()},
        {"drop_last", train_loader_->options().drop_last},
        {"schedule", schedule_.describe()},
        {"lr_rule", lr_rule(t_)},
        {"out_dir", out_dir_}}},
      {"epochs", st_.records},
      {"resumed_at_epochs", st_.resumed_at},
      {"wall_time_s", st_.wall_before_s + seconds_since(session_start_)},
      {"started_utc", st_.started_utc},
      {"updated_utc", utc_now_iso()},
  };
  if (!error.empty()) r["error"] = error;
  if (!st_.latency.is_null()) r["latency"] = st_.latency;
  if (status != "running") r["finished_utc"] = r["updated_utc"];
  if (!st_.records.empty()) {
    const json& lr = st_.records.back();
    json fin = {{"epochs_completed", static_cast<int64_t>(st_.records.size())},
                {"train_loss", lr["train_loss"]},
                {"best_epoch", st_.best_epoch}};
    fin.update(task_.final_fields(lr, st_.best_top1));
    r["final"] = fin;
  }
  return r;
}

void Session::write_report(const json& r) const {
  if (writer_) write_file_atomic(report_path_, r.dump(2) + "\n");
}

EpochTotals Session::train_epoch(int64_t e) {
  train_loader_->start_epoch(e);
  progress_->start_epoch(e);
  EpochTotals sum;
  int64_t s = 0;
  data::Batch b;
  while (train_loader_->next(b)) {
    if (opt_.hooks.before_step) opt_.hooks.before_step(e, s, b);
    const double lr = schedule_.lr(e, s, steps_);
    if (s == 0) sum.first_lr = lr;
    set_lr(*optimizer_, lr);
    std::optional<runtime::QuietStep> quiet(quiet_.get());
    StepResult r = train_step(*model_, *optimizer_, b.images.to(device_), b.labels.to(device_),
                              t_.label_smoothing, dp_, task_);
    quiet.reset();
    if (!r.finite) {
      sum.failure = fmt::format(
          "non-finite training loss ({}) at epoch {} step {} of {} (lr {}); the run "
          "diverged: lower train.lr or check the data",
          r.loss, e, s, steps_, lr);
      break;
    }
    const int64_t n = r.examples;
    sum.loss_sum += r.loss * static_cast<double>(n);
    sum.correct += r.correct;
    sum.counted += r.counted;
    sum.seen += n;
    progress_->step(s, r.loss, lr, n);
    ++s;
  }
  return sum;
}

// Evaluates, records the epoch and keeps the best accuracy; returns the epoch's record.
json Session::finish_epoch(int64_t e, const EpochTotals& sum, Clock::time_point epoch_start) {
  const double train_s = seconds_since(epoch_start);
  const int64_t num_classes = splits_->train->num_classes();
  const EvalResult ev = evaluate(*model_, *test_loader_, num_classes, device_, dp_, quiet_.get());
  set_training_mode(*model_, t_.batchnorm);
  json record = {{"epoch", e},
                 {"lr", sum.first_lr},
                 {"train_loss", sum.loss_sum / static_cast<double>(sum.seen)},
                 {task_.train_accuracy_key(), 100.0 * static_cast<double>(sum.correct) /
                                                  static_cast<double>(std::max<int64_t>(sum.counted, 1))},
                 {"seconds", seconds_since(epoch_start)},
                 {"images_per_s", static_cast<double>(sum.seen) / train_s}};
  record.update(ev.record);
  st_.records.push_back(record);
  const bool improved = ev.primary > st_.best_top1;
  if (improved) st_.best_top1 = ev.primary, st_.best_epoch = e;
  if (t_.checkpoint && writer_) save(e, improved);
  write_report(report("running", ""));
  progress_->end_epoch(record);
  return record;
}

// checkpoint_last.pt, and checkpoint_best.pt when the test accuracy improved.
void Session::save(int64_t e, bool improved) {
  json meta = {{"run_id", id_},
               {"epoch", e},
               {"records", st_.records},
               {"best_test_top1", st_.best_top1},
               {"best_epoch", st_.best_epoch},
               {"wall_time_s", st_.wall_before_s + seconds_since(session_start_)},
               {"started_utc", st_.started_utc},
               {"resumed_at_epochs", st_.resumed_at},
               {"config", to_json(cfg_)}};
  std::vector<std::string> paths{last_path_};
  if (improved) paths.push_back(best_path_);
  save_checkpoint(paths, *model_, *optimizer_, meta);
}

json Session::run() {
  write_report(report("running", ""));
  progress_->start(start_epoch_, t_.epochs, steps_);
  std::string failure;
  bool stopped = false;
  int64_t session_epochs = 0;
  try {
    for (int64_t e = start_epoch_; e < t_.epochs && failure.empty() && !stopped; ++e) {
      const auto epoch_start = Clock::now();
      const EpochTotals sum = train_epoch(e);
      failure = sum.failure;
      if (!failure.empty()) break;
      const json record = finish_epoch(e, sum, epoch_start);
      ++session_epochs;
      if (opt_.hooks.after_epoch && !opt_.hooks.after_epoch(record)) stopped = true;
      if (opt_.stop_after_epochs > 0 && session_epochs >= opt_.stop_after_epochs) stopped = true;
    }
  } catch (const std::exception& ex) {
    std::string what = ex.what();
    if (const auto* ce = dynamic_cast<const c10::Error*>(&ex)) what = ce->what_without_backtrace();
    write_report(report("failed", what.substr(0, what.find('\n'))));
    throw;
  }

  std::string status = "done";
  if (!failure.empty())
    status = "failed";
  else if (static_cast<int64_t>(st_.records.size()) < t_.epochs)
    status = "stopped";
  if (status == "done" && writer_)
    st_.latency = final_latency(cfg_, *model_, *splits_->train, st_.latency, *progress_);
  json final_report = report(status, failure);
  write_report(final_report);
  if (!failure.empty()) progress_->note("run failed: " + failure);
  return final_report;
}

}  // namespace

json train_run(const RunConfig& cfg, const std::string& out_dir, const TrainOptions& opt) {
  Session session(cfg, out_dir, opt);
  return session.run();
}

}  // namespace espbench::train
