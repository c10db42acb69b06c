#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "harness/cli/commands.h"
#include "harness/complexity/measure.h"
#include "harness/latency/latency.h"
#include "harness/runtime/quiet.h"
#include "harness/runtime/runtime.h"
#include "harness/weights/state_dict.h"
#include "modules/error.h"
#include "modules/registry.h"

namespace espbench::cli {

namespace {

struct MeasureFlags {
  ModelFlags model;
  std::string input = "3x224x224";
  bool json = false;
  bool breakdown = false;
  int64_t breakdown_depth = 2;
  // --latency (harness/latency/latency.h); --threads takes a list here, e.g. 1,2.
  bool latency = false;
  std::string threads;
  std::string device = "cpu";
  int64_t batch = 1;
  std::string fast;
  int64_t samples = 50;
  double warmup_s = 0.5;
  double max_cv = 0.25;
  bool profile = false;
  bool no_quiet = false;  // latency: time without pausing this machine's espbench training
  std::string weights;    // checked against the model, then measured (harness/weights/state_dict.h)
  bool allow_missing = false;
};

std::vector<int64_t> parse_thread_list(const std::string& text) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    try {
      size_t used = 0;
      out.push_back(std::stoll(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      throw Error(fmt::format(
          "option --threads: '{}' is not a thread count or a comma list of them (e.g. 1,2)", text));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void print_latency(const json& lat) {
  fmt::print("\n{:>7} {:>5} {:>9} {:>9} {:>9} {:>9} {:>6} {:>7} {:>8}  {}\n", "threads", "batch", "p50 ms",
             "p90 ms", "p99 ms", "mean ms", "cv", "samples", "GMAC/s", "fast parts applied");
  for (const auto& r : lat.is_array() ? lat : json::array({lat})) {
    std::vector<std::string> parts = r["inference"]["fast_applied"].get<std::vector<std::string>>();
    fmt::print(
        "{:>7} {:>5} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>6.3f} {:>7} {:>8.2f}  {}{}\n",
        r["threads"].get<int64_t>(), r["batch"].get<int64_t>(), r["p50_ms"].get<double>(),
        r["p90_ms"].get<double>(), r["p99_ms"].get<double>(), r["mean_ms"].get<double>(),
        r["cv"].get<double>(), r["samples"].get<int64_t>(), r["gmac_per_s"].get<double>(),
        parts.empty() ? "none (plain)" : fmt::format("{}", fmt::join(parts, ",")),
        r["valid"].get<bool>() ? "" : "  NOT VALID (" + r["valid_rule"].get<std::string>() + " fails)");
    for (const auto& [part, why] : r["inference"]["fast_skipped"].items())
      fmt::print("        skipped {}: {}\n", part, why.get<std::string>());
  }
}

void print_op_profile(const json& lat) {
  for (const auto& r : lat.is_array() ? lat : json::array({lat})) {
    const json& p = r["op_profile"];
    double in_ops = 0;
    for (const auto& row : p["ops"]) in_ops += row["ms_per_inference"].get<double>();
    fmt::print(
        "\nwhere the time goes, {} thread(s): {:.3f} ms per profiled inference, {:.3f} ms in the ops below "
        "(outermost ops; espbench:: are our kernels)\n",
        r["threads"].get<int64_t>(), p["wall_ms_per_inference"].get<double>(), in_ops);
    fmt::print("{:>9} {:>6} {:>6}  {}\n", "ms/inf", "share", "calls", "op [first input's shape]");
    int shown = 0;
    for (const auto& row : p["ops"]) {
      if (++shown > 25) break;
      fmt::print("{:9.3f} {:5.1f}% {:6}  {} {}\n", row["ms_per_inference"].get<double>(),
                 100 * row["share"].get<double>(),
                 row["calls"].get<int64_t>() / p["inferences"].get<int64_t>(), row["name"].get<std::string>(),
                 row["shape"].get<std::string>());
    }
  }
}

void print_human(const json& r) {
  const auto conv = r["macs"]["conv"].get<int64_t>(), linear = r["macs"]["linear"].get<int64_t>();
  fmt::print("{}  {}\n", r["model"]["name"].get<std::string>(), r["model"]["options"].dump());
  fmt::print("input            {}\n", fmt::join(r["input"].get<std::vector<int64_t>>(), "x"));
  fmt::print("params           {:>15}  ({} in modules that never run)\n", with_commas(r["params"]),
             with_commas(r["params_unused"]));
  fmt::print("conv MACs        {:>15}  (ESPNetv2 paper 'FLOPs': Conv2d only)\n", with_commas(conv));
  const auto dead = r["macs"]["padding_only"].get<int64_t>();
  fmt::print("  padding-only   {:>15}  ({:.1f}% of conv MACs: taps that read only zero padding)\n",
             with_commas(dead),
             conv > 0 ? 100.0 * static_cast<double>(dead) / static_cast<double>(conv) : 0.0);
  fmt::print("linear MACs      {:>15}\n", with_commas(linear));
  fmt::print("conv+linear MACs {:>15}  (torchvision / fvcore)\n", with_commas(conv + linear));
  fmt::print("elementwise ops  {:>15}  (BN, activations, adds, pooling; not in the MACs)\n",
             with_commas(r["elementwise_ops"]));
  if (r.contains("analytic"))
    fmt::print("analytic twin    {}\n", r["analytic"]["agrees"].get<bool>() ? "agrees exactly" : "DISAGREES");
  if (r.contains("breakdown")) {
    fmt::print("\n{:<40} {:>6} {:>14} {:>14} {:>12} {:>12}\n", "module", "calls", "conv MACs", "padding-only",
               "linear MACs", "elementwise");
    for (const auto& row : r["breakdown"])
      fmt::print("{:<40} {:>6} {:>14} {:>14} {:>12} {:>12}\n", row["module"].get<std::string>(),
                 row["calls"].get<int64_t>(), with_commas(row["macs"]["conv"]),
                 with_commas(row["macs"]["padding_only"]), with_commas(row["macs"]["linear"]),
                 with_commas(row["elementwise_ops"]));
  }
}

}  // namespace

void add_measure(CLI::App& app) {
  auto f = std::make_shared<MeasureFlags>();
  auto* cmd =
      app.add_subcommand("measure", "exact parameters, multiply-accumulates and element-wise ops of a model");
  add_model_flags(*cmd, f->model);
  cmd->add_option("--input", f->input, "input CxHxW (default 3x224x224)");
  cmd->add_flag("--json", f->json, "print one JSON object");
  cmd->add_flag("--breakdown", f->breakdown, "per-module breakdown");
  cmd->add_option("--breakdown-depth", f->breakdown_depth,
                  "merge modules deeper than this path depth (0: none)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", f->threads,
                  "intra-op threads, or a comma list with --latency (default: all cores)")
      ->envname("ESPBENCH_THREADS");
  cmd->add_option("--device", f->device, "cpu, cuda or cuda:N")->envname("ESPBENCH_DEVICE");
  cmd->add_flag("--latency", f->latency, "also time inference (eval mode, batch 1, Google Benchmark runner)");
  cmd->add_option("--batch", f->batch, "latency: images per inference (default 1)");
  cmd->add_flag("--fast{default}", f->fast,
                "latency: inference transform; --fast = default parts, --fast=PARTS a comma list of "
                "fold_bn, eesp_kernel, fuse, channels_last, gemm (or all)");
  cmd->add_option("--weights", f->weights,
                  "first check that this weight file (.pth or checkpoint) fits the model");
  cmd->add_flag("--allow-missing", f->allow_missing,
                "with --weights: accept a file that fits part of the model");
  cmd->add_flag("--profile", f->profile,
                "latency: also time every op of --samples more inferences and print where the time goes");
  cmd->add_flag(
      "--no-quiet", f->no_quiet,
      "latency: time without pausing this machine's espbench training and evaluation (docs/latency.md)");
  cmd->add_option("--samples", f->samples, "latency: timed inferences per thread count (default 50)")
      ->envname("ESPBENCH_LATENCY_SAMPLES");
  cmd->add_option("--warmup", f->warmup_s, "latency: warm-up seconds (default 0.5)");
  cmd->add_option("--max-cv", f->max_cv,
                  "latency: noise above which a measurement is marked not valid (0.25)");
  cmd->callback([f] {
    const bool latency_only = f->batch != 1 || !f->fast.empty() || f->profile || f->no_quiet;
    if (latency_only && !f->latency)
      throw Error(
          "options --batch, --fast, --profile and --no-quiet only apply with --latency (e.g. measure "
          "espnetv2 --latency --fast)");
    const std::vector<int64_t> threads =
        f->threads.empty() ? std::vector<int64_t>{} : parse_thread_list(f->threads);
    LatencyOptions lo;
    lo.threads = threads;
    lo.batch = f->batch;
    lo.fast = f->fast;
    lo.samples = f->samples;
    lo.warmup_s = f->warmup_s;
    lo.max_cv = f->max_cv;
    lo.device = f->device;
    lo.profile = f->profile;
    if (f->latency) validate_latency_options(lo);
    if (!f->latency && threads.size() > 1)
      throw Error(fmt::format("option --threads: a list ('{}') needs --latency", f->threads));
    for (int64_t t : threads) set_threads(t, "--threads");
    if (threads.empty())
      set_threads(default_threads());
    else
      set_threads(threads.front());
    MeasureRequest req;
    req.input = parse_input_shape(f->input, "--input");
    req.device = check_device(f->device, "--device");
    req.breakdown = f->breakdown;
    req.breakdown_depth = f->breakdown_depth;
    const ModelSpec spec{f->model.model, options_from_sets(f->model.sets)};
    json loaded;  // the weights are checked first: a file that does not fit fails before measuring
    if (!f->weights.empty()) {
      const weights::LoadReport w = weights::check_weights(spec, f->weights, {f->allow_missing});
      if (!f->json) std::cerr << w.summary() << "\n";
      loaded = w.to_json();
    }
    json r = measure_complexity(spec, req);
    if (!loaded.is_null()) r["weights"] = loaded;
    std::string quiet_line;
    if (f->latency) {
      lo.input = req.input;
      std::optional<runtime::QuietWindow> window;
      if (!f->no_quiet) window.emplace();
      r["latency"] = measure_latency(spec, lo);
      if (window) {
        r["latency_quiet"] = window->record();
        quiet_line = window->summary();
      }
    }
    if (f->json) {
      std::cout << r.dump(2) << "\n";
    } else {
      print_human(r);
      if (f->latency) print_latency(r["latency"]);
      if (!quiet_line.empty()) fmt::print("{}\n", quiet_line);
      if (f->latency && f->profile) print_op_profile(r["latency"]);
    }
  });
}

}  // namespace espbench::cli
