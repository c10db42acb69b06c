// `espbench bench-train`: training throughput (images/s, data loading included) of one model.
#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "harness/train/bench_train.h"
#include "modules/error.h"

namespace espbench::cli {

namespace {

struct BenchTrainFlags {
  ModelFlags model;
  RuntimeFlags runtime;
  LoopFlags loop;
  train::BenchTrainOptions bench;
  bool json = false;
};

void print_human(const json& r) {
  const json& m = r["model"];
  const json& d = r["data"];
  const json& ips = r["images_per_s"];
  fmt::print("{}  {}\n", m["name"].get<std::string>(), m["options"].dump());
  fmt::print("data       {} ({} training images, {}x{}x{}), batch {}, {} loader worker(s)\n",
             d["name"].get<std::string>(), d["train_size"].get<int64_t>(), d["channels"].get<int64_t>(),
             d["height"].get<int64_t>(), d["width"].get<int64_t>(), r["batch_size"].get<int64_t>(),
             r["workers"].get<int64_t>());
  fmt::print("threads    {}\n", r["threads"].get<int64_t>());
  if (m.contains("macs"))
    fmt::print("conv MACs  {} per image (ESPNetv2 paper 'FLOPs'), params {}\n",
               with_commas(m["macs"]["conv"]), with_commas(m["params"]));
  fmt::print(
      "images/s   median {:.1f}  (min {:.1f}, max {:.1f}; {} windows of {} steps after {} warm-up steps)\n",
      ips["median"].get<double>(), ips["min"].get<double>(), ips["max"].get<double>(), ips["windows"].size(),
      r["window_steps"].get<int64_t>(), r["warmup_steps"].get<int64_t>());
  fmt::print("step       {:.1f} ms median (forward, backward, SGD step, waiting for the loader)\n",
             r["step_ms_median"].get<double>());
  if (!r.contains("op_profile")) return;
  fmt::print("\n{:>9} {:>6} {:>6}  {}\n", "ms/step", "share", "calls",
             "op (outermost; backward = autograd node)");
  const double steps = static_cast<double>(r["steps"].get<int64_t>());
  int shown = 0;
  for (const json& row : r["op_profile"]) {
    if (++shown > 30) break;
    fmt::print("{:9.2f} {:5.1f}% {:6}  {} {}\n", row["total_ms"].get<double>() / steps,
               100 * row["share"].get<double>(), row["calls"].get<int64_t>(), row["name"].get<std::string>(),
               row["shape"].get<std::string>());
  }
}

}  // namespace

void add_bench_train(CLI::App& app) {
  auto f = std::make_shared<BenchTrainFlags>();
  auto* cmd = app.add_subcommand("bench-train", "training throughput in images/s, data loading included");
  add_model_flags(*cmd, f->model);
  add_loop_flags(*cmd, f->loop);
  cmd->add_option("--steps", f->bench.steps, "timed steps (default 60)");
  cmd->add_option("--warmup", f->bench.warmup_steps, "untimed warm-up steps (default 10)");
  cmd->add_option("--window", f->bench.window_steps, "steps per timing window (default 10)");
  cmd->add_flag("--json", f->json, "print one JSON object");
  cmd->add_flag("--profile", f->bench.profile,
                "also time every op of the timed steps and print the costliest (slows the steps)");
  add_runtime_flags(*cmd, f->runtime);
  cmd->callback([f, cmd] {
    json j = {{"model", {{"name", f->model.model}, {"options", options_from_sets(f->model.sets)}}},
              {"train", {{"schedule", "constant"}}}};  // the timed steps at the base lr
    apply_loop_flags(*cmd, f->loop, j);
    apply_runtime_flags(*cmd, f->runtime, j);
    train::RunConfig cfg = train::resolve_run_config(j, "command line");
    json r = train::bench_train(cfg, f->bench);
    if (f->json)
      std::cout << r.dump(2) << "\n";
    else
      print_human(r);
  });
}

}  // namespace espbench::cli
