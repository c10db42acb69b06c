// `espbench train`: a RunConfig from --config and flags (flags win), then train_run().
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/cli/dist_flags.h"
#include "harness/dist/data_parallel.h"
#include "harness/train/schedule.h"
#include "harness/train/trainer.h"
#include "modules/error.h"

namespace espbench::cli {

namespace {

struct TrainFlags {
  std::string model;
  std::vector<std::string> sets;
  std::string config;
  LoopFlags loop;
  int64_t epochs = 0, limit_train = 0, limit_test = 0;
  std::string schedule;
  RuntimeFlags runtime;
  bool quiet = false;
  int64_t stop_after = 0;
  std::string out;
  DistCliFlags dist;
  std::string weights;  // init.weights (harness/weights/init.h)
  bool allow_missing = false;
};

// Flags given on the command line override the config file's values.
json config_from_flags(const CLI::App& cmd, const TrainFlags& f, std::string& source) {
  json j = f.config.empty() ? json::object() : train::load_json_file(f.config);
  if (!j.is_object()) throw Error(fmt::format("{}: a run config must be a JSON object", f.config));
  bool overridden = false;
  auto given = [&](const char* name) {
    const bool g = cmd.get_option(name)->count() > 0;
    overridden = overridden || g;
    return g;
  };
  if (!f.model.empty()) {
    if (!j.contains("model") || !j["model"].is_object()) j["model"] = json::object();
    j["model"]["name"] = f.model;
    overridden = true;
  }
  if (!f.sets.empty()) {
    json sets = options_from_sets(f.sets);
    if (!j.contains("model") || !j["model"].is_object()) j["model"] = json::object();
    if (!j["model"].contains("options") || !j["model"]["options"].is_object())
      j["model"]["options"] = json::object();
    j["model"]["options"].merge_patch(sets);
    overridden = true;
  }
  if (apply_loop_flags(cmd, f.loop, j)) overridden = true;
  if (given("--limit-train")) set_dotted(j, "data.limit_train", f.limit_train);
  if (given("--limit-test")) set_dotted(j, "data.limit_test", f.limit_test);
  if (given("--epochs")) set_dotted(j, "train.epochs", f.epochs);
  if (given("--lr-schedule")) set_dotted(j, "train.schedule", f.schedule);
  if (apply_runtime_flags(cmd, f.runtime, j)) overridden = true;
  if (!f.weights.empty()) set_dotted(j, "init.weights", f.weights);
  if (f.allow_missing) set_dotted(j, "init.allow_missing", true);
  overridden = overridden || !f.weights.empty() || f.allow_missing;
  if (f.config.empty())
    source = "command line";
  else
    source = overridden ? f.config + " (with command-line overrides)" : f.config;
  if (!j.contains("model") || !j["model"].is_object() || !j["model"].contains("name"))
    throw Error(
        fmt::format("{}: no model given: name one (e.g. `espbench train espnetv2 --out DIR`) or set "
                    "model.name in --config",
                    source));
  return j;
}

void print_summary(const json& r) {
  const json& cfg = r["config"];
  const int64_t done = r.contains("final") ? r["final"]["epochs_completed"].get<int64_t>() : 0;
  std::string line =
      fmt::format("run {} {}: {} on {}, {}/{} epochs in {}", r["run_id"].get<std::string>(),
                  r["status"].get<std::string>(), cfg["model"]["name"].get<std::string>(),
                  r["data"]["name"].get<std::string>(), done, cfg["train"]["epochs"].get<int64_t>(),
                  train::Progress::format_duration(r["wall_time_s"].get<double>()));
  if (r.contains("final") && r["final"].contains("test_miou")) {
    const json& fin = r["final"];
    line += fmt::format(": test mIoU {:.2f}%, pixel accuracy {:.2f}% (best mIoU {:.2f}% at epoch {})",
                        fin["test_miou"].get<double>(), fin["test_pixel_acc"].get<double>(),
                        fin["best_test_miou"].get<double>(), fin["best_epoch"].get<int64_t>() + 1);
  } else if (r.contains("final")) {
    const json& fin = r["final"];
    line += fmt::format(": test top-1 {:.2f}%", fin["test_top1"].get<double>());
    if (fin.contains("test_top5")) line += fmt::format(", top-5 {:.2f}%", fin["test_top5"].get<double>());
    line += fmt::format(" (best top-1 {:.2f}% at epoch {})", fin["best_test_top1"].get<double>(),
                        fin["best_epoch"].get<int64_t>() + 1);
  }
  line += fmt::format("; report {}/report.json", r["training"]["out_dir"].get<std::string>());
  std::cout << line << std::endl;
}

}  // namespace

void add_train(CLI::App& app) {
  auto f = std::make_shared<TrainFlags>();
  auto* cmd = app.add_subcommand("train",
                                 "train and evaluate a model (SGD, the paper's cyclic LR); resumes from "
                                 "--out when it holds a checkpoint");
  cmd->add_option("model", f->model, "registered model name (see `espbench list`; optional with --config)");
  cmd->add_option("--set", f->sets, "model option key=value (repeatable; dotted keys nest)");
  cmd->add_option("--config", f->config, "run config JSON (model, data, train, runtime); flags override it");
  add_loop_flags(*cmd, f->loop);
  cmd->add_option("--epochs", f->epochs, "training epochs (default 10)");
  cmd->add_option("--lr-schedule", f->schedule,
                  "lr schedule: " + join(train::schedule_names()) + " (default cyclic)");
  cmd->add_option("--limit-train", f->limit_train, "use only the first N training images (0: all)");
  cmd->add_option("--limit-test", f->limit_test, "use only the first N test images (0: all)");
  add_runtime_flags(*cmd, f->runtime);
  cmd->add_flag("--quiet", f->quiet, "no progress output (the summary line is still printed)");
  cmd->add_option("--stop-after", f->stop_after,
                  "end this session after N epochs (resume later with the same command)");
  cmd->add_option("--out", f->out, "output folder: report.json and checkpoints")
      ->required()
      ->envname("ESPBENCH_OUT");
  add_dist_flags(*cmd, f->dist);
  cmd->add_option("--weights", f->weights,
                  "start from these weights (.pth or espbench checkpoint; names mapped, shapes checked)");
  cmd->add_flag("--allow-missing", f->allow_missing,
                "with --weights: load the keys that match, report the rest");
  cmd->callback([f, cmd] {
    std::string source;
    json j = config_from_flags(*cmd, *f, source);
    if (f->stop_after < 0)
      throw Error(fmt::format("option --stop-after: must be >= 0, got {}", f->stop_after));
    train::RunConfig cfg = train::resolve_run_config(j, source);
    train::TrainOptions opt;
    if (f->quiet) opt.progress.mode = train::ProgressOptions::Mode::Quiet;
    opt.stop_after_epochs = f->stop_after;
    auto dp = connect_data_parallel(f->dist, cfg.runtime.device);
    opt.data_parallel = dp.get();
    json report = train::train_run(cfg, f->out, opt);
    if (dp && !dp->is_writer()) return;  // rank 0 prints the summary
    if (report["status"] == "failed")
      throw Error(fmt::format("training failed: {} (report: {}/report.json)",
                              report["error"].get<std::string>(), f->out));
    print_summary(report);
  });
}

}  // namespace espbench::cli
