// One small file per subcommand: each adds itself to the app, parses, then calls the library.
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::cli {

void add_list(CLI::App& app);
void add_measure(CLI::App& app);
void add_zoo(CLI::App& app);
void add_train(CLI::App& app);
void add_bench_train(CLI::App& app);
void add_launch(CLI::App& app);
void add_sweep(CLI::App& app);
void add_collect(CLI::App& app);
void add_report(CLI::App& app);
void add_plot(CLI::App& app);
void add_compare(CLI::App& app);
void add_infer(CLI::App& app);
void add_schedule(CLI::App& app);

// Shared flag helpers.
struct ModelFlags {
  std::string model;
  std::vector<std::string> sets;  // key=value
};
void add_model_flags(CLI::App& cmd, ModelFlags& f);
json options_from_sets(const std::vector<std::string>& sets);

struct RuntimeFlags {
  int64_t threads = -1;  // unset: all cores
  std::string device = "cpu";
};
void add_runtime_flags(CLI::App& cmd, RuntimeFlags& f);
// Applies threads (default: all cores) and validates the device; returns the device string.
std::string apply_runtime(const RuntimeFlags& f);

// The data and SGD flags `train` and `bench-train` share; a flag overrides the run config only
// when given (the config's defaults: fashion-mnist, batch 128, 1 loader worker, the scaled lr, seed 1882).
struct LoopFlags {
  std::string data, data_root;
  std::vector<std::string> data_options;  // --data-option key=value
  int64_t batch_size = 0, workers = 0, seed = 0;
  double lr = 0.0;
};
void add_loop_flags(CLI::App& cmd, LoopFlags& f);
// Writes the given ones into the run config `j` (data.name, data.root, data.KEY, train.batch_size,
// train.workers, train.lr, runtime.seed); returns whether any was given.
bool apply_loop_flags(const CLI::App& cmd, const LoopFlags& f, json& j);
// --threads when given (>= 1, else an error naming the option) and --device into `j`.
bool apply_runtime_flags(const CLI::App& cmd, const RuntimeFlags& f, json& j);

std::string with_commas(int64_t v);

}  // namespace espbench::cli
