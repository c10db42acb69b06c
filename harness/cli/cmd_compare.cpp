#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "harness/cli/commands.h"
#include "harness/latency/compare.h"
#include "harness/report/context.h"
#include "harness/runtime/quiet.h"
#include "harness/runtime/runtime.h"

namespace espbench::cli {

namespace {

struct CompareFlags {
  std::string a, b;
  int64_t threads = -1;
  std::string device = "cpu";
  int64_t batch = 1;
  std::string input;
  std::string fast;
  int64_t rounds = 10;
  int64_t samples = 20;
  double warmup_s = 0.5;
  bool json = false;
  bool no_quiet = false;
};

void print_human(const json& r) {
  const auto& q = r["ratio_a_over_b"];
  fmt::print("{} threads, batch {}, {} rounds x {} inferences per side, interleaved A B A B ...\n",
             r["threads"].get<int64_t>(), r["batch"].get<int64_t>(), r["rounds"].get<int64_t>(),
             r["samples_per_round"].get<int64_t>());
  for (const char* side : {"a", "b"}) {
    const auto& s = r[side];
    auto parts = s["inference"]["fast_applied"].get<std::vector<std::string>>();
    fmt::print("{}: {:<40} p50 {:8.3f} ms  p90 {:8.3f} ms  cv {:5.3f}  {:6.2f} GMAC/s  fast: {}\n",
               side == std::string("a") ? "A" : "B", s["spec"].get<std::string>(), s["p50_ms"].get<double>(),
               s["p90_ms"].get<double>(), s["cv"].get<double>(), s["gmac_per_s"].get<double>(),
               parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ",")));
  }
  fmt::print("A/B latency ratio: median {:.3f}  (min {:.3f}, max {:.3f}, IQR {:.3f}-{:.3f} over rounds)\n",
             q["median"].get<double>(), q["min"].get<double>(), q["max"].get<double>(),
             q["q25"].get<double>(), q["q75"].get<double>());
}

}  // namespace

void add_compare(CLI::App& app) {
  auto f = std::make_shared<CompareFlags>();
  auto* cmd = app.add_subcommand(
      "compare", "interleaved latency of two models (or one model plain vs --fast): ratio with its spread");
  cmd->add_option("a", f->a,
                  "side A: NAME[:key=value,...][@fast[=PARTS]|@plain], e.g. espnetv2:scale=0.5@fast")
      ->required();
  cmd->add_option("b", f->b, "side B, same syntax, e.g. mobilenet_v2@fast")->required();
  cmd->add_option("--threads", f->threads, "intra-op threads (default: all cores)")
      ->envname("ESPBENCH_THREADS");
  cmd->add_option("--device", f->device, "cpu, cuda or cuda:N")->envname("ESPBENCH_DEVICE");
  cmd->add_option("--batch", f->batch, "images per inference (default 1)");
  cmd->add_option("--input", f->input,
                  "input CxHxW (default: each model's evaluation resolution, 3x224x224)");
  cmd->add_flag("--fast{default}", f->fast, "apply --fast (or --fast=PARTS) to sides without @fast/@plain");
  cmd->add_option("--rounds", f->rounds, "A/B rounds (default 10)");
  cmd->add_option("--samples", f->samples, "inferences per side per round (default 20)");
  cmd->add_option("--warmup", f->warmup_s, "warm-up seconds per side (default 0.5)");
  cmd->add_flag("--json", f->json, "print one JSON object");
  cmd->add_flag("--no-quiet", f->no_quiet,
                "time without pausing this machine's espbench training and evaluation (docs/latency.md)");
  cmd->callback([f] {
    CompareOptions o;
    o.threads = f->threads;
    o.device = f->device;
    o.batch = f->batch;
    if (!f->input.empty()) o.input = parse_input_shape(f->input, "--input");
    o.rounds = f->rounds;
    o.samples = f->samples;
    o.warmup_s = f->warmup_s;
    const CompareSide a = parse_compare_side(f->a, f->fast), b = parse_compare_side(f->b, f->fast);
    std::optional<runtime::QuietWindow> window;
    if (!f->no_quiet) window.emplace();
    json r = compare_latency(a, b, o);
    if (window) r["quiet"] = window->record();
    r["context"] = run_context(f->device);
    if (f->json) {
      std::cout << r.dump(2) << "\n";
    } else {
      print_human(r);
      if (window) fmt::print("{}\n", window->summary());
    }
  });
}

}  // namespace espbench::cli
