#include "harness/train/trainer.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "harness/complexity/measure.h"
#include "harness/dist/data_parallel.h"
#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "harness/runtime/op_profile.h"
#include "harness/runtime/runtime.h"
#include "harness/train/batchnorm_mode.h"
#include "harness/train/checkpoint.h"
#include "harness/train/schedule.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

namespace F = torch::nn::functional;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::unique_ptr<torch::optim::SGD> make_optimizer(Network& model, const TrainSettings& t) {
  auto opts =
      torch::optim::SGDOptions(t.lr).momentum(t.momentum).nesterov(t.nesterov).weight_decay(t.weight_decay);
  if (!t.wd_exclude_bn_bias) return std::make_unique<torch::optim::SGD>(model.parameters(), opts);
  // BatchNorm and PReLU weights and all biases are exactly the 1-D (or 0-D) parameters.
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : model.parameters()) (p.dim() <= 1 ? no_decay : decay).push_back(p);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!decay.empty()) groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(opts));
  if (!no_decay.empty()) {
    auto nd = opts;
    nd.weight_decay(0.0);
    groups.emplace_back(no_decay, std::make_unique<torch::optim::SGDOptions>(nd));
  }
  return std::make_unique<torch::optim::SGD>(std::move(groups), opts);
}

void set_lr(torch::optim::SGD& optimizer, double lr) {
  for (auto& g : optimizer.param_groups()) static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
}

struct StepResult {
  double loss = 0.0;
  int64_t correct = 0;
  int64_t examples = 0;  // all ranks' images when data-parallel
  bool finite = true;
};

// One SGD step; with a non-finite loss nothing is updated. Data-parallel (dp): loss, correct and
// examples are global and the gradients all-reduced before the step.
StepResult train_step(Network& model, torch::optim::SGD& optimizer, const torch::Tensor& images,
                      const torch::Tensor& labels, double label_smoothing, dist::DataParallel* dp = nullptr) {
  torch::Tensor logits = model.forward(images);
  torch::Tensor loss =
      F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().label_smoothing(label_smoothing));
  StepResult r;
  r.loss = loss.item<double>();
  r.examples = labels.size(0);
  if (!dp && !std::isfinite(r.loss)) {
    r.finite = false;
    return r;
  }
  optimizer.zero_grad();
  loss.backward();
  r.correct = logits.detach().argmax(1).eq(labels).sum().item<int64_t>();
  if (dp && !dp->reduce_step(model, r.loss, r.correct, r.examples)) {
    r.finite = false;
    return r;
  }
  optimizer.step();
  return r;
}

struct EvalResult {
  double loss = 0.0, top1 = 0.0, top5 = 0.0;
};

EvalResult evaluate(Network& model, data::Loader& loader, int64_t num_classes, const torch::Device& device,
                    dist::DataParallel* dp) {
  torch::NoGradGuard no_grad;
  model.eval();
  loader.start_epoch(0);
  data::Batch b;
  double loss_sum = 0.0;
  int64_t n = 0, top1 = 0, top5 = 0;
  const int64_t k = std::min<int64_t>(5, num_classes);
  while (loader.next(b)) {
    if (b.labels.size(0) == 0) continue;  // an empty data-parallel shard
    torch::Tensor labels = b.labels.to(device);
    torch::Tensor logits = model.forward(b.images.to(device));
    loss_sum +=
        F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
    torch::Tensor hit = std::get<1>(logits.topk(k, 1)).eq(labels.unsqueeze(1));
    top1 += hit.select(1, 0).sum().item<int64_t>();
    top5 += hit.any(1).sum().item<int64_t>();
    n += b.labels.size(0);
  }
  model.train();
  if (dp) {
    std::vector<double> sums{loss_sum, static_cast<double>(n), static_cast<double>(top1),
                             static_cast<double>(top5)};
    dp->sum(sums);
    loss_sum = sums[0], n = static_cast<int64_t>(sums[1]), top1 = static_cast<int64_t>(sums[2]);
    top5 = static_cast<int64_t>(sums[3]);
  }
  EvalResult r;
  if (n > 0) {
    r.loss = loss_sum / static_cast<double>(n);
    r.top1 = 100.0 * static_cast<double>(top1) / static_cast<double>(n);
    r.top5 = 100.0 * static_cast<double>(top5) / static_cast<double>(n);
  }
  return r;
}

int64_t count_params(const Network& model) {
  int64_t n = 0;
  for (const auto& p : model.parameters()) n += p.numel();
  return n;
}

data::LoaderOptions train_loader_options(const RunConfig& cfg, const data::Dataset& train) {
  data::LoaderOptions lo;
  lo.batch_size = cfg.train.batch_size;
  lo.shuffle = true;
  lo.augment = true;
  lo.workers = cfg.train.workers;
  lo.seed = static_cast<uint64_t>(cfg.runtime.seed);
  // BatchNorm cannot train on a batch of one image: drop such a final batch (and only that).
  lo.drop_last = train.size() > 1 && train.size() % cfg.train.batch_size == 1;
  return lo;
}

json measured(const ModelSpec& spec, int64_t c, int64_t h, int64_t w) {
  MeasureRequest req;
  req.input = {1, c, h, w};
  json r = measure_complexity(spec, req);
  return {{"input", r["input"]}, {"params", r["params"]}, {"macs", r["macs"]}, {"profiles", r["profiles"]}};
}

// Everything the report carries across sessions (also stored in the checkpoint's meta).
struct RunState {
  json records = json::array();
  double best_top1 = -1.0;
  int64_t best_epoch = -1;
  double wall_before_s = 0.0;  // wall time of earlier sessions
  std::string started_utc;
  json resumed_at = json::array();
};

}  // namespace

json model_summary(const RunConfig& config, int64_t channels, int64_t height, int64_t width) {
  const ResolvedModel m = resolve_model(config.model);
  json out = {{"name", config.model.name}, {"family", m.entry->family}, {"options", m.options}};
  try {
    out.update(measured(config.model, channels, height, width));
  } catch (const std::exception&) {
    // Left out: the model cannot be counted at this resolution (the run itself will say why).
  }
  const int64_t in_ch = m.options.value("in_channels", channels);
  if (in_ch == 3 && !(height == 224 && width == 224)) {
    try {
      out["at_224"] = measured(config.model, 3, 224, 224);
    } catch (const std::exception&) {
    }
  }
  return out;
}

json train_run(const RunConfig& cfg, const std::string& out_dir, const TrainOptions& opt) {
  set_threads(cfg.runtime.threads, "runtime.threads");
  const torch::Device device(check_device(cfg.runtime.device, "runtime.device"));
  const std::string id = run_id(cfg);
  const TrainSettings& t = cfg.train;
  auto splits = open_data_shared(cfg.data);
  const data::Dataset& train_set = *splits->train;

  // Counting builds its own copies of the model, so it runs before the seed is set.
  json model_json = model_summary(cfg, train_set.channels(), train_set.height(), train_set.width());
  const LRSchedule schedule = make_schedule(t.schedule, t.schedule_options, t.lr, t.epochs);

  torch::manual_seed(static_cast<uint64_t>(cfg.runtime.seed));
  NetworkPtr model = build_model(resolve_model(cfg.model));
  model->to(device);
  set_training_mode(*model, t.batchnorm);
  model_json["params"] = count_params(*model);
  auto optimizer = make_optimizer(*model, t);

  dist::DataParallel* dp = opt.data_parallel;
  const bool writer = !dp || dp->is_writer();  // rank 0 writes the report and checkpoints
  data::LoaderOptions to = train_loader_options(cfg, train_set);
  if (dp) dp->shard(to, train_set.size(), /*train=*/true);
  data::Loader train_loader(splits->train, to);
  data::LoaderOptions eo;
  eo.batch_size = t.eval_batch_size;
  eo.shuffle = false;
  eo.augment = false;
  eo.workers = t.workers;
  eo.seed = static_cast<uint64_t>(cfg.runtime.seed);
  if (dp) dp->shard(eo, splits->test->size(), /*train=*/false);
  data::Loader test_loader(splits->test, eo);
  const int64_t steps = train_loader.batches_per_epoch();
  if (steps < 1) throw Error(fmt::format("data: the training split of '{}' is empty", splits->name));

  const fs::path dir(out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("cannot create output folder '{}': {}", out_dir, ec.message()));
  const std::string last_path = (dir / "checkpoint_last.pt").string();
  const std::string best_path = (dir / "checkpoint_best.pt").string();
  const std::string report_path = (dir / "report.json").string();

  RunState st;
  st.started_utc = utc_now_iso();
  int64_t start_epoch = 0;
  ProgressOptions progress_options = opt.progress;
  if (!writer) progress_options.mode = ProgressOptions::Mode::Quiet;
  Progress progress(progress_options);
  if (fs::exists(last_path)) {
    json meta = read_checkpoint_meta(last_path);
    if (meta.value("run_id", "") != id)
      throw Error(
          fmt::format("'{}' belongs to run {} ({}), not to this config's run {}; use another output "
                      "folder, or delete the checkpoint to start afresh",
                      last_path, meta.value("run_id", "?"),
                      meta.contains("config") ? meta["config"]["model"].value("name", "?") : "?", id));
    load_checkpoint(last_path, *model, optimizer.get(), /*restore_rng=*/true);
    start_epoch = meta["epoch"].get<int64_t>() + 1;
    st.records = meta["records"];
    st.best_top1 = meta["best_test_top1"].get<double>();
    st.best_epoch = meta["best_epoch"].get<int64_t>();
    st.wall_before_s = meta["wall_time_s"].get<double>();
    st.started_utc = meta["started_utc"].get<std::string>();
    st.resumed_at = meta["resumed_at_epochs"];
    if (start_epoch < t.epochs) st.resumed_at.push_back(start_epoch);
    progress.note(
        fmt::format("resuming run {} from epoch {}/{} ({})", id, start_epoch + 1, t.epochs, last_path));
  }

  if (dp) dp->start(*model, start_epoch, static_cast<uint64_t>(cfg.runtime.seed));

  const auto session_start = Clock::now();
  json context = run_context(device.str());
  context["threads"] = cfg.runtime.threads;
  context["loader_workers"] = t.workers;
  context["world_size"] = dp ? dp->world_size() : 1;
  if (dp && dp->world_size() > 1) context["distributed"] = dp->describe();

  auto make_report = [&](const std::string& status, const std::string& error) {
    json r = {
        {"schema_version", kSchemaVersion},
        {"kind", "train"},
        {"run_id", id},
        {"status", status},
        {"context", context},
        {"config", to_json(cfg)},
        {"model", model_json},
        {"data", splits->info()},
        {"training",
         {{"steps_per_epoch", steps},
          {"examples_per_epoch", train_loader.examples_per_epoch()},
          {"drop_last", train_loader.options().drop_last},
          {"schedule", schedule.describe()},
          {"out_dir", out_dir}}},
        {"epochs", st.records},
        {"resumed_at_epochs", st.resumed_at},
        {"wall_time_s", st.wall_before_s + seconds_since(session_start)},
        {"started_utc", st.started_utc},
        {"updated_utc", utc_now_iso()},
    };
    if (!error.empty()) r["error"] = error;
    if (status != "running") r["finished_utc"] = r["updated_utc"];
    if (!st.records.empty()) {
      const json& lr = st.records.back();
      json fin = {{"epochs_completed", static_cast<int64_t>(st.records.size())},
                  {"train_loss", lr["train_loss"]},
                  {"test_top1", lr["test_top1"]},
                  {"best_test_top1", st.best_top1},
                  {"best_epoch", st.best_epoch}};
      if (lr.contains("test_top5")) fin["test_top5"] = lr["test_top5"];
      r["final"] = fin;
    }
    return r;
  };
  auto write_report = [&](const json& r) {
    if (writer) write_file_atomic(report_path, r.dump(2) + "\n");
  };

  write_report(make_report("running", ""));
  progress.start(start_epoch, t.epochs, steps);
  std::string failure;
  bool stopped = false;
  int64_t session_epochs = 0;
  const int64_t num_classes = train_set.num_classes();
  try {
    for (int64_t e = start_epoch; e < t.epochs && failure.empty() && !stopped; ++e) {
      const auto epoch_start = Clock::now();
      train_loader.start_epoch(e);
      progress.start_epoch(e);
      double loss_sum = 0.0, first_lr = 0.0;
      int64_t correct = 0, seen = 0, s = 0;
      data::Batch b;
      while (train_loader.next(b)) {
        if (opt.hooks.before_step) opt.hooks.before_step(e, s, b);
        const double lr = schedule.lr(e, s, steps);
        if (s == 0) first_lr = lr;
        set_lr(*optimizer, lr);
        StepResult r =
            train_step(*model, *optimizer, b.images.to(device), b.labels.to(device), t.label_smoothing, dp);
        if (!r.finite) {
          failure = fmt::format(
              "non-finite training loss ({}) at epoch {} step {} of {} (lr {}); the run "
              "diverged: lower train.lr or check the data",
              r.loss, e, s, steps, lr);
          break;
        }
        const int64_t n = r.examples;
        loss_sum += r.loss * static_cast<double>(n);
        correct += r.correct;
        seen += n;
        progress.step(s, r.loss, lr, n);
        ++s;
      }
      if (!failure.empty()) break;
      const double train_s = seconds_since(epoch_start);
      const EvalResult ev = evaluate(*model, test_loader, num_classes, device, dp);
      set_training_mode(*model, t.batchnorm);
      json record = {{"epoch", e},
                     {"lr", first_lr},
                     {"train_loss", loss_sum / static_cast<double>(seen)},
                     {"train_top1", 100.0 * static_cast<double>(correct) / static_cast<double>(seen)},
                     {"test_loss", ev.loss},
                     {"test_top1", ev.top1},
                     {"seconds", seconds_since(epoch_start)},
                     {"images_per_s", static_cast<double>(seen) / train_s}};
      if (num_classes >= 5) record["test_top5"] = ev.top5;
      st.records.push_back(record);
      const bool improved = ev.top1 > st.best_top1;
      if (improved) st.best_top1 = ev.top1, st.best_epoch = e;
      if (t.checkpoint && writer) {
        json meta = {{"run_id", id},
                     {"epoch", e},
                     {"records", st.records},
                     {"best_test_top1", st.best_top1},
                     {"best_epoch", st.best_epoch},
                     {"wall_time_s", st.wall_before_s + seconds_since(session_start)},
                     {"started_utc", st.started_utc},
                     {"resumed_at_epochs", st.resumed_at},
                     {"config", to_json(cfg)}};
        std::vector<std::string> paths{last_path};
        if (improved) paths.push_back(best_path);
        save_checkpoint(paths, *model, *optimizer, meta);
      }
      write_report(make_report("running", ""));
      progress.end_epoch(record);
      ++session_epochs;
      if (opt.hooks.after_epoch && !opt.hooks.after_epoch(record)) stopped = true;
      if (opt.stop_after_epochs > 0 && session_epochs >= opt.stop_after_epochs) stopped = true;
    }
  } catch (const std::exception& ex) {
    std::string what = ex.what();
    if (const auto* ce = dynamic_cast<const c10::Error*>(&ex)) what = ce->what_without_backtrace();
    write_report(make_report("failed", what.substr(0, what.find('\n'))));
    throw;
  }

  std::string status = "done";
  if (!failure.empty())
    status = "failed";
  else if (static_cast<int64_t>(st.records.size()) < t.epochs)
    status = "stopped";
  json report = make_report(status, failure);
  write_report(report);
  if (!failure.empty()) progress.note("run failed: " + failure);
  return report;
}

json bench_train(const RunConfig& cfg, const BenchTrainOptions& o) {
  if (o.steps < 1) throw Error(fmt::format("option --steps: must be >= 1, got {}", o.steps));
  if (o.warmup_steps < 0) throw Error(fmt::format("option --warmup: must be >= 0, got {}", o.warmup_steps));
  if (o.window_steps < 1 || o.window_steps > o.steps)
    throw Error(
        fmt::format("option --window: must be in [1, --steps = {}], got {}", o.steps, o.window_steps));
  set_threads(cfg.runtime.threads, "runtime.threads");
  const torch::Device device(check_device(cfg.runtime.device, "runtime.device"));
  auto splits = open_data_shared(cfg.data);
  const data::Dataset& train_set = *splits->train;
  if (train_set.size() < cfg.train.batch_size)
    throw Error(fmt::format("bench-train: the training split has {} images, fewer than the batch size {}",
                            train_set.size(), cfg.train.batch_size));
  json model_json = model_summary(cfg, train_set.channels(), train_set.height(), train_set.width());

  torch::manual_seed(static_cast<uint64_t>(cfg.runtime.seed));
  NetworkPtr model = build_model(resolve_model(cfg.model));
  model->to(device);
  model->train();
  model_json["params"] = count_params(*model);
  auto optimizer = make_optimizer(*model, cfg.train);
  data::LoaderOptions lo = train_loader_options(cfg, train_set);
  lo.drop_last = true;  // every timed step sees a full batch
  data::Loader loader(splits->train, lo);
  const LRSchedule schedule =
      make_schedule(cfg.train.schedule, cfg.train.schedule_options, cfg.train.lr, cfg.train.epochs);
  set_lr(*optimizer, schedule.lr(0, 0, loader.batches_per_epoch()));

  int64_t epoch = 0;
  loader.start_epoch(epoch);
  data::Batch b;
  auto one_step = [&]() {
    while (!loader.next(b)) loader.start_epoch(++epoch);
    StepResult r =
        train_step(*model, *optimizer, b.images.to(device), b.labels.to(device), cfg.train.label_smoothing);
    if (!r.finite) throw Error(fmt::format("bench-train: non-finite loss ({}); lower --lr", r.loss));
    return b.labels.size(0);
  };
  for (int64_t i = 0; i < o.warmup_steps; ++i) one_step();
  std::vector<double> windows;
  std::vector<double> step_ms;
  std::unique_ptr<OpProfile> profile;
  if (o.profile) profile = std::make_unique<OpProfile>();
  for (int64_t done = 0; done < o.steps;) {
    const int64_t n = std::min(o.window_steps, o.steps - done);
    int64_t images = 0;
    const auto t0 = Clock::now();
    for (int64_t i = 0; i < n; ++i) images += one_step();
    const double s = seconds_since(t0);
    windows.push_back(static_cast<double>(images) / s);
    step_ms.push_back(1000.0 * s / static_cast<double>(n));
    done += n;
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
  };
  json context = run_context(device.str());
  context["threads"] = cfg.runtime.threads;
  context["loader_workers"] = cfg.train.workers;
  json result = {
      {"schema_version", kSchemaVersion},
      {"kind", "bench_train"},
      {"model", model_json},
      {"data", splits->info()},
      {"batch_size", cfg.train.batch_size},
      {"threads", cfg.runtime.threads},
      {"workers", cfg.train.workers},
      {"steps", o.steps},
      {"warmup_steps", o.warmup_steps},
      {"window_steps", o.window_steps},
      {"images_per_s",
       {{"median", median(windows)},
        {"min", *std::min_element(windows.begin(), windows.end())},
        {"max", *std::max_element(windows.begin(), windows.end())},
        {"windows", windows}}},
      {"step_ms_median", median(step_ms)},
      {"context", context},
  };
  if (profile) result["op_profile"] = profile->stop();
  return result;
}

}  // namespace espbench::train
