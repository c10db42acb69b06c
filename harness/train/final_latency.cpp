#include "harness/train/final_latency.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <optional>

#include "harness/latency/latency.h"
#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "harness/runtime/quiet.h"
#include "harness/runtime/runtime.h"
#include "modules/registry.h"

namespace espbench::train {

namespace {

// One path's measure_latency object, or {"error": why}.
json time_path(const RunConfig& cfg, const Network& trained, const LatencyRequest& r, const std::string& path,
               const std::vector<int64_t>& input) {
  LatencyOptions o;
  o.threads = {r.threads};
  o.batch = r.batch;
  o.input = input;
  o.fast = fast_argument(path);
  o.samples = r.samples;
  o.warmup_s = r.warmup_s;
  o.max_cv = r.max_cv;
  o.device = "cpu";
  try {
    return measure_latency(cfg.model, o, &trained);
  } catch (const std::exception& e) {
    std::string what = e.what();
    if (const auto* ce = dynamic_cast<const c10::Error*>(&e)) what = ce->what_without_backtrace();
    return {{"error", what.substr(0, what.find('\n'))}};
  }
}

// A path whose samples spread too far (valid false: another process or a slow phase of the machine)
// is timed again, up to kAttempts timings in all; the one with the lowest cv is kept, with "attempts".
constexpr int kAttempts = 3;

json time_path_retried(const RunConfig& cfg, const Network& trained, const LatencyRequest& r,
                       const std::string& path, const std::vector<int64_t>& input) {
  json best;
  int attempts = 0;
  while (attempts < kAttempts) {
    json t = time_path(cfg, trained, r, path, input);
    ++attempts;
    if (t.contains("error")) return t;
    if (best.is_null() || t["cv"].get<double>() < best["cv"].get<double>()) best = std::move(t);
    if (best["valid"].get<bool>()) break;
  }
  best["attempts"] = attempts;
  return best;
}

// The 1-minute load average (/proc/loadavg), or null where the system has none.
json load_average_1m() {
  const std::optional<std::string> text = read_file("/proc/loadavg");
  if (!text) return json();
  try {
    return std::stod(*text);
  } catch (const std::exception&) {
    return json();
  }
}

std::string summary_line(const json& block) {
  std::vector<std::string> parts;
  for (const auto& path : block["settings"]["paths"]) {
    const json& p = block["paths"][path.get<std::string>()];
    parts.push_back(
        p.contains("p50_ms")
            ? fmt::format(
                  "{} p50 {:.3f} ms (cv {:.2f}{}{})", path.get<std::string>(), p["p50_ms"].get<double>(),
                  p["cv"].get<double>(), p["valid"].get<bool>() ? "" : ", not valid",
                  p.value("attempts", 1) > 1 ? fmt::format(", best of {} timings", p["attempts"].get<int>())
                                             : "")
            : fmt::format("{} failed: {}", path.get<std::string>(), p["error"].get<std::string>()));
  }
  std::string quiet;
  if (block.contains("quiet"))
    quiet = block["quiet"]["paused_others"].get<bool>()
                ? fmt::format("; the machine's other steps paused (waited {:.1f} s)",
                              block["quiet"]["waited_s"].get<double>())
                : "; others not paused: " + block["quiet"].value("error", std::string("?"));
  return fmt::format("latency after the last epoch ({} thread(s), batch {}, input {}): {}; {:.1f} s{}",
                     block["settings"]["threads"].get<int64_t>(), block["settings"]["batch"].get<int64_t>(),
                     fmt::join(block["input"].get<std::vector<int64_t>>(), "x"), join(parts, ", "),
                     block["seconds"].get<double>(), quiet);
}

}  // namespace

bool latency_up_to_date(const RunConfig& cfg, const json& previous) {
  if (!cfg.measure.latency) return true;
  return previous.is_object() && previous.value("settings", json()) == measure_json(cfg.measure)["latency"] &&
         previous.contains("paths");
}

json final_latency(const RunConfig& cfg, const Network& trained, const data::Dataset& train_set,
                   const json& previous, Progress& progress) {
  if (!cfg.measure.latency) return json();
  if (latency_up_to_date(cfg, previous)) return previous;
  const json settings = measure_json(cfg.measure)["latency"];
  const LatencyRequest& r = *cfg.measure.latency;
  const std::vector<int64_t> input = {1, train_set.channels(), train_set.height(), train_set.width()};
  const json ctx = run_context("cpu");
  json block = {{"when", "after the last epoch, trained weights"},
                {"settings", settings},
                {"input", {r.batch, input[1], input[2], input[3]}},
                {"device", "cpu"},
                {"cpu_model", ctx["cpu_model"]},
                {"cpu_cores", ctx["cpu_cores"]},
                {"primary", r.paths.front()},
                {"paths", json::object()}};
  std::optional<runtime::QuietWindow> window;
  if (r.quiet) window.emplace();
  const auto start = std::chrono::steady_clock::now();
  block["load_average_1m"] = load_average_1m();
  for (const auto& path : r.paths) block["paths"][path] = time_path_retried(cfg, trained, r, path, input);
  block["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (window) block["quiet"] = window->record();
  window.reset();
  const json& primary = block["paths"][r.paths.front()];
  if (primary.contains("p50_ms")) block["p50_ms"] = primary["p50_ms"];
  set_threads(cfg.runtime.threads, "runtime.threads");  // the runner set the latency's thread count
  progress.note(summary_line(block));
  return block;
}

json previous_latency(const std::string& report_path, const std::string& run_id) {
  const std::optional<std::string> text = read_file(report_path);
  if (!text) return json();
  const json r = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!r.is_object() || r.value("run_id", "") != run_id || !r.contains("latency")) return json();
  return r["latency"];
}

}  // namespace espbench::train
