#include "harness/latency/latency.h"

#include <fmt/format.h>

#include <chrono>

#include "harness/latency/prepared.h"
#include "harness/latency/runner.h"
#include "harness/latency/stats.h"
#include "harness/runtime/op_profile.h"
#include "harness/runtime/runtime.h"
#include "modules/error.h"
#include "modules/registry.h"

namespace espbench {

namespace {

constexpr int64_t kMinValidSamples = 10;

json stats_json(const LatencyStats& s) {
  return {{"p50_ms", s.p50_ms}, {"p90_ms", s.p90_ms}, {"p99_ms", s.p99_ms}, {"mean_ms", s.mean_ms},
          {"min_ms", s.min_ms}, {"max_ms", s.max_ms}, {"cv", s.cv},         {"samples", s.samples}};
}

std::vector<double> flatten(const std::vector<std::vector<double>>& rounds) {
  std::vector<double> all;
  for (const auto& r : rounds) all.insert(all.end(), r.begin(), r.end());
  return all;
}

// Where one inference spends its time: `n` inferences on `threads` threads under the op profiler.
json profile_inference(const Prepared& p, int64_t threads, int64_t n) {
  set_threads(threads);
  const auto run = inference(p);
  run();
  OpProfile prof;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < n; ++i) run();
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  json ops = prof.stop();
  for (json& row : ops) row["ms_per_inference"] = row["total_ms"].get<double>() / static_cast<double>(n);
  return {{"inferences", n},
          {"wall_ms_per_inference", wall_ms / static_cast<double>(n)},
          {"note",
           "profiled runs are slower than the timed ones (a callback per op); shares are of the time "
           "inside profiled ops"},
          {"ops", ops}};
}

void check_positive(int64_t v, const char* option, const char* what) {
  if (v < 1) throw Error(fmt::format("option {}: {} must be >= 1, got {}", option, what, v));
}

}  // namespace

std::vector<int64_t> evaluation_input(const json& o) {
  const int64_t c = o.contains("in_channels") ? o.at("in_channels").get<int64_t>() : 3;
  const bool small = o.contains("small_input") && o.at("small_input").get<bool>();
  return {c, small ? 32 : 224, small ? 32 : 224};
}

void validate_latency_options(const LatencyOptions& o) {
  for (int64_t t : o.threads)
    if (t < 1)
      throw Error(fmt::format("option --threads: thread count must be >= 1, got {} (e.g. --threads 1,2)", t));
  check_positive(o.batch, "--batch", "batch size");
  check_positive(o.samples, "--samples", "sample count");
  if (!(o.max_cv > 0)) throw Error(fmt::format("option --max-cv: must be > 0, got {}", o.max_cv));
  parse_fast_parts(o.fast, "--fast");
  check_device(o.device, "--device");
}

json measure_latency(const ModelSpec& spec, const LatencyOptions& o, const Network* trained) {
  validate_latency_options(o);
  const std::vector<int64_t> threads =
      o.threads.empty() ? std::vector<int64_t>{default_threads()} : o.threads;
  Prepared p = prepare(spec, o.fast, o.batch, o.input, o.device, "--fast", trained);
  std::vector<TimedCase> cases;
  for (int64_t t : threads) cases.push_back({fmt::format("{}/threads{}", spec.name, t), inference(p), t});
  RunnerOptions ro;
  ro.samples = o.samples;
  ro.warmup_s = o.warmup_s;
  const RoundSamples samples = run_interleaved(cases, ro);
  json out = json::array();
  for (size_t i = 0; i < threads.size(); ++i) {
    const LatencyStats s = summarize(flatten(samples[i]));
    json r = stats_json(s);
    r["threads"] = threads[i];
    r["batch"] = o.batch;
    r["input"] = std::vector<int64_t>{o.batch, p.input_chw[0], p.input_chw[1], p.input_chw[2]};
    r["device"] = o.device;
    r["inference"] = inference_record(p);
    r["macs_per_image"] = p.macs_per_image;
    r["gmac_per_s"] = static_cast<double>(p.macs_per_image * o.batch) / (s.p50_ms * 1e-3) / 1e9;
    r["valid"] = s.samples >= kMinValidSamples && s.cv <= o.max_cv;
    r["valid_rule"] = fmt::format("samples >= {} and cv <= {}", kMinValidSamples, o.max_cv);
    r["timer"] = "Google Benchmark runner, manual per-inference wall-clock time, warm-up on";
    if (o.profile) r["op_profile"] = profile_inference(p, threads[i], o.samples);
    out.push_back(std::move(r));
  }
  return out.size() == 1 ? out[0] : out;
}

}  // namespace espbench
