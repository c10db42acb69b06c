#include "harness/train/bench_train.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "harness/report/context.h"
#include "harness/runtime/op_profile.h"
#include "harness/runtime/runtime.h"
#include "harness/train/loaders.h"
#include "harness/train/model_summary.h"
#include "harness/train/optimizer.h"
#include "harness/train/schedule.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

using Clock = std::chrono::steady_clock;

void check_options(const BenchTrainOptions& o) {
  if (o.steps < 1) throw Error(fmt::format("option --steps: must be >= 1, got {}", o.steps));
  if (o.warmup_steps < 0) throw Error(fmt::format("option --warmup: must be >= 0, got {}", o.warmup_steps));
  if (o.window_steps < 1 || o.window_steps > o.steps)
    throw Error(
        fmt::format("option --window: must be in [1, --steps = {}], got {}", o.steps, o.window_steps));
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

struct Windows {
  std::vector<double> images_per_s, step_ms;
};

// `o.steps` calls of `one_step` (which returns the images it trained on) in windows of
// `o.window_steps`.
Windows time_windows(const BenchTrainOptions& o, const std::function<int64_t()>& one_step) {
  Windows w;
  for (int64_t done = 0; done < o.steps;) {
    const int64_t n = std::min(o.window_steps, o.steps - done);
    int64_t images = 0;
    const auto t0 = Clock::now();
    for (int64_t i = 0; i < n; ++i) images += one_step();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    w.images_per_s.push_back(static_cast<double>(images) / s);
    w.step_ms.push_back(1000.0 * s / static_cast<double>(n));
    done += n;
  }
  return w;
}

json bench_report(const RunConfig& cfg, const BenchTrainOptions& o, const json& model_json,
                  const data::DataSplits& splits, const Windows& w, const torch::Device& device) {
  json context = run_context(device.str());
  context["threads"] = cfg.runtime.threads;
  context["loader_workers"] = cfg.train.workers;
  const std::vector<double>& ips = w.images_per_s;
  return {
      {"schema_version", kSchemaVersion},
      {"kind", "bench_train"},
      {"model", model_json},
      {"data", splits.info()},
      {"batch_size", cfg.train.batch_size},
      {"threads", cfg.runtime.threads},
      {"workers", cfg.train.workers},
      {"steps", o.steps},
      {"warmup_steps", o.warmup_steps},
      {"window_steps", o.window_steps},
      {"images_per_s",
       {{"median", median(ips)},
        {"min", *std::min_element(ips.begin(), ips.end())},
        {"max", *std::max_element(ips.begin(), ips.end())},
        {"windows", ips}}},
      {"step_ms_median", median(w.step_ms)},
      {"context", context},
  };
}

}  // namespace

json bench_train(const RunConfig& cfg, const BenchTrainOptions& o) {
  check_options(o);
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
  auto one_step = [&]() -> int64_t {
    while (!loader.next(b)) loader.start_epoch(++epoch);
    StepResult r = train_step(*model, *optimizer, b.images.to(device), b.labels.to(device),
                              cfg.train.label_smoothing, nullptr, task_for(train_set));
    if (!r.finite) throw Error(fmt::format("bench-train: non-finite loss ({}); lower --lr", r.loss));
    return b.labels.size(0);
  };
  for (int64_t i = 0; i < o.warmup_steps; ++i) one_step();
  std::unique_ptr<OpProfile> profile;
  if (o.profile) profile = std::make_unique<OpProfile>();
  const Windows windows = time_windows(o, one_step);
  json result = bench_report(cfg, o, model_json, *splits, windows, device);
  if (profile) result["op_profile"] = profile->stop();
  return result;
}

}  // namespace espbench::train
