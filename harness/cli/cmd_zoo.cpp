#include <fmt/format.h>

#include "harness/cli/commands.h"
#include "harness/complexity/zoo.h"

namespace espbench::cli {

void add_zoo(CLI::App& app) {
  struct Flags {
    std::string out;
    RuntimeFlags runtime;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "zoo",
      "measure every model at its published configurations (3x224x224 unless published at another size)");
  cmd->add_option("--out", f->out, "write one JSON per configuration plus zoo.csv/zoo.json here");
  add_runtime_flags(*cmd, f->runtime);
  cmd->callback([f] {
    ZooRequest req{f->out, apply_runtime(f->runtime)};
    json rows = measure_zoo(req);
    fmt::print("{:<15} {:<26} {:>11} {:>14} {:>12} {:>11} {:>9}\n", "model", "config", "params", "conv MACs",
               "linear MACs", "published", "diff");
    for (const auto& r : rows) {
      std::string pub =
          r.contains("published") ? fmt::format("{:.2f} M", r["published"]["macs_m"].get<double>()) : "";
      std::string diff =
          r.contains("macs_rel_diff") ? fmt::format("{:+.2f}%", 100 * r["macs_rel_diff"].get<double>()) : "";
      fmt::print("{:<15} {:<26} {:>11} {:>14} {:>12} {:>11} {:>9}\n", r["model"].get<std::string>(),
                 r["config"].get<std::string>(), with_commas(r["params"]), with_commas(r["macs"]["conv"]),
                 with_commas(r["macs"]["linear"]), pub, diff);
    }
    if (!f->out.empty()) fmt::print("wrote {}/zoo.json, zoo.csv and one JSON per configuration\n", f->out);
  });
}

}  // namespace espbench::cli
