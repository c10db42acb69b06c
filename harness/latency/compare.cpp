#include "harness/latency/compare.h"

#include <fmt/format.h>

#include "harness/latency/prepared.h"
#include "harness/latency/runner.h"
#include "harness/latency/stats.h"
#include "harness/runtime/runtime.h"
#include "modules/error.h"
#include "modules/registry.h"

namespace espbench {

namespace {

// Splits on commas outside brackets and braces (list values such as r_lim=[13,11,9,7,5]).
std::vector<std::string> split_top_level(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char ch : s) {
    if (ch == '[' || ch == '{') ++depth;
    if (ch == ']' || ch == '}') --depth;
    if (ch == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

CompareSide parse_compare_side(const std::string& text, const std::string& default_fast) {
  CompareSide side;
  side.label = text;
  side.fast = default_fast;
  std::string rest = text;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string mode = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (mode == "plain")
      side.fast = "";
    else if (mode == "fast")
      side.fast = "default";
    else if (mode.rfind("fast=", 0) == 0)
      side.fast = mode.substr(5);
    else
      throw Error(
          fmt::format("compare: '{}': unknown mode '@{}'; valid: @plain, @fast, @fast=PARTS", text, mode));
  }
  const auto colon = rest.find(':');
  side.model = rest.substr(0, colon);
  if (side.model.empty())
    throw Error(fmt::format("compare: '{}' has no model name; expected NAME[:key=value,...][@fast]", text));
  if (colon != std::string::npos) {
    for (const auto& kv : split_top_level(rest.substr(colon + 1))) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        throw Error(
            fmt::format("compare: '{}': option '{}' is not key=value (e.g. espnetv2:scale=0.5)", text, kv));
      set_dotted(side.options, kv.substr(0, eq), parse_option_value(kv.substr(eq + 1)));
    }
  }
  parse_fast_parts(side.fast, fmt::format("@fast of '{}'", text));
  return side;
}

json compare_latency(const CompareSide& a, const CompareSide& b, const CompareOptions& o) {
  if (o.threads != -1 && o.threads < 1)
    throw Error(fmt::format("option --threads: thread count must be >= 1, got {}", o.threads));
  if (o.batch < 1) throw Error(fmt::format("option --batch: batch size must be >= 1, got {}", o.batch));
  if (o.rounds < 1) throw Error(fmt::format("option --rounds: must be >= 1, got {}", o.rounds));
  check_device(o.device, "--device");
  const int64_t threads = o.threads == -1 ? default_threads() : o.threads;
  set_threads(threads);
  const CompareSide* sides[] = {&a, &b};
  std::vector<Prepared> prepared;
  std::vector<TimedCase> cases;
  for (const auto* s : sides) {
    prepared.push_back(prepare(ModelSpec{s->model, s->options}, s->fast, o.batch, o.input, o.device,
                               fmt::format("@fast of '{}'", s->label)));
    cases.push_back({s->label, inference(prepared.back()), threads});
  }
  RunnerOptions ro;
  ro.samples = o.samples;
  ro.rounds = o.rounds;
  ro.warmup_s = o.warmup_s;
  const RoundSamples samples = run_interleaved(cases, ro);
  std::vector<double> ratios;
  for (int64_t r = 0; r < o.rounds; ++r)
    ratios.push_back(percentile(samples[0][static_cast<size_t>(r)], 0.5) /
                     percentile(samples[1][static_cast<size_t>(r)], 0.5));
  json out;
  out["threads"] = threads;
  out["batch"] = o.batch;
  out["rounds"] = o.rounds;
  out["samples_per_round"] = o.samples;
  out["device"] = o.device;
  json side_json = json::array();
  for (size_t i = 0; i < 2; ++i) {
    std::vector<double> all;
    for (const auto& r : samples[i]) all.insert(all.end(), r.begin(), r.end());
    const LatencyStats s = summarize(all);
    const auto& p = prepared[i];
    side_json.push_back(
        {{"spec", sides[i]->label},
         {"model", {{"name", sides[i]->model}, {"options", sides[i]->options}}},
         {"input", std::vector<int64_t>{o.batch, p.input_chw[0], p.input_chw[1], p.input_chw[2]}},
         {"p50_ms", s.p50_ms},
         {"p90_ms", s.p90_ms},
         {"mean_ms", s.mean_ms},
         {"cv", s.cv},
         {"samples", s.samples},
         {"macs_per_image", p.macs_per_image},
         {"gmac_per_s", static_cast<double>(p.macs_per_image * o.batch) / (s.p50_ms * 1e-3) / 1e9},
         {"inference", inference_record(p)}});
  }
  out["a"] = side_json[0];
  out["b"] = side_json[1];
  out["ratio_a_over_b"] = {{"median", percentile(ratios, 0.5)},
                           {"min", percentile(ratios, 0.0)},
                           {"max", percentile(ratios, 1.0)},
                           {"q25", percentile(ratios, 0.25)},
                           {"q75", percentile(ratios, 0.75)},
                           {"per_round", ratios},
                           {"definition", "per round: A's median latency / B's median latency"}};
  return out;
}

}  // namespace espbench
