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

std::string with_commas(int64_t v);

}  // namespace espbench::cli
