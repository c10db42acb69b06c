#include <fmt/format.h>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/complexity/measure.h"
#include "harness/runtime/runtime.h"
#include "modules/registry.h"

namespace espbench::cli {

namespace {

struct MeasureFlags {
  ModelFlags model;
  RuntimeFlags runtime;
  std::string input = "3x224x224";
  bool json = false;
  bool breakdown = false;
  int64_t breakdown_depth = 2;
};

void print_human(const json& r) {
  const auto conv = r["macs"]["conv"].get<int64_t>(), linear = r["macs"]["linear"].get<int64_t>();
  fmt::print("{}  {}\n", r["model"]["name"].get<std::string>(), r["model"]["options"].dump());
  fmt::print("input            {}\n", fmt::join(r["input"].get<std::vector<int64_t>>(), "x"));
  fmt::print("params           {:>15}  ({} in modules that never run)\n", with_commas(r["params"]),
             with_commas(r["params_unused"]));
  fmt::print("conv MACs        {:>15}  (ESPNetv2 paper 'FLOPs': Conv2d only)\n", with_commas(conv));
  fmt::print("linear MACs      {:>15}\n", with_commas(linear));
  fmt::print("conv+linear MACs {:>15}  (torchvision / fvcore)\n", with_commas(conv + linear));
  fmt::print("elementwise ops  {:>15}  (BN, activations, adds, pooling; not in the MACs)\n",
             with_commas(r["elementwise_ops"]));
  if (r.contains("analytic"))
    fmt::print("analytic twin    {}\n", r["analytic"]["agrees"].get<bool>() ? "agrees exactly" : "DISAGREES");
  if (r.contains("breakdown")) {
    fmt::print("\n{:<40} {:>6} {:>14} {:>12} {:>12}\n", "module", "calls", "conv MACs", "linear MACs", "elementwise");
    for (const auto& row : r["breakdown"])
      fmt::print("{:<40} {:>6} {:>14} {:>12} {:>12}\n", row["module"].get<std::string>(),
                 row["calls"].get<int64_t>(), with_commas(row["macs"]["conv"]), with_commas(row["macs"]["linear"]),
                 with_commas(row["elementwise_ops"]));
  }
}

}  // namespace

void add_measure(CLI::App& app) {
  auto f = std::make_shared<MeasureFlags>();
  auto* cmd = app.add_subcommand("measure", "exact parameters, multiply-accumulates and element-wise ops of a model");
  add_model_flags(*cmd, f->model);
  cmd->add_option("--input", f->input, "input CxHxW (default 3x224x224)");
  cmd->add_flag("--json", f->json, "print one JSON object");
  cmd->add_flag("--breakdown", f->breakdown, "per-module breakdown");
  cmd->add_option("--breakdown-depth", f->breakdown_depth, "merge modules deeper than this path depth (0: none)")
      ->check(CLI::NonNegativeNumber);
  add_runtime_flags(*cmd, f->runtime);
  cmd->callback([f] {
    MeasureRequest req;
    req.input = parse_input_shape(f->input, "--input");
    req.device = apply_runtime(f->runtime);
    req.breakdown = f->breakdown;
    req.breakdown_depth = f->breakdown_depth;
    json r = measure_complexity(ModelSpec{f->model.model, options_from_sets(f->model.sets)}, req);
    if (f->json) std::cout << r.dump(2) << "\n";
    else print_human(r);
  });
}

}  // namespace espbench::cli
