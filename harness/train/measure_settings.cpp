#include "harness/train/measure_settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "modules/error.h"
#include "modules/inference/fast_model.h"

namespace espbench::train {

namespace {

const OptionSchema& latency_schema() {
  static const OptionSchema schema{
      {"threads", OptionType::Int, 1, "intra-op threads while timing", {}, 1, 4096},
      {"batch", OptionType::Int, 1, "images per inference", {}, 1, 1 << 16},
      {"paths", OptionType::String, json::array({"plain", "fast"}),
       "plain, fast or fast=PARTS, first = headline"},
      {"samples", OptionType::Int, 100, "timed inferences per path", {}, 1, 1e6},
      {"warmup_s", OptionType::Float, 0.5, "untimed warm-up seconds per path", {}, 0.0, 60.0},
      {"max_cv",
       OptionType::Float,
       0.25,
       "coefficient of variation above which a figure is not valid",
       {},
       1e-6,
       {}},
      {"quiet", OptionType::Bool, true, "pause the machine's other espbench steps while timing"},
  };
  return schema;
}

[[noreturn]] void unknown_key(const std::string& where, const std::string& key,
                              const std::vector<std::string>& valid) {
  throw Error(
      fmt::format("{}.{}: unknown key{}; valid keys: {}", where, key, did_you_mean(key, valid), join(valid)));
}

std::vector<std::string> resolve_paths(const json& v, const std::string& where) {
  const std::string valid =
      "a non-empty list of \"plain\", \"fast\" or \"fast=PARTS\" (PARTS: a comma list of " +
      std::string(kFastPartNames) + ")";
  if (!v.is_array() || v.empty()) throw Error(fmt::format("{}: expected {}, got {}", where, valid, v.dump()));
  std::vector<std::string> paths;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", where, i);
    if (!v[i].is_string()) throw Error(fmt::format("{}: expected {}, got {}", at, valid, v[i].dump()));
    const std::string p = v[i].get<std::string>();
    if (p != "plain" && p != "fast" && p.rfind("fast=", 0) != 0)
      throw Error(fmt::format("{}: unknown path \"{}\"; expected {}", at, p, valid));
    if (p.rfind("fast=", 0) == 0) {
      const std::string parts = p.substr(5);
      if (parts.empty() || !parse_fast_parts(parts, at).any())
        throw Error(fmt::format("{}: \"{}\" names no part; expected {}", at, p, valid));
    }
    if (std::find(paths.begin(), paths.end(), p) != paths.end())
      throw Error(fmt::format("{}: \"{}\" is listed twice", at, p));
    paths.push_back(p);
  }
  return paths;
}

}  // namespace

std::string fast_argument(const std::string& path) {
  if (path == "plain") return "";
  if (path == "fast") return "default";
  return path.substr(path.find('=') + 1);
}

MeasureSettings resolve_measure(const json& config, const std::string& source) {
  MeasureSettings m;
  const json given = config.value("measure", json());
  if (given.is_null()) return m;
  const std::string where = source + ": measure";
  if (!given.is_object())
    throw Error(
        fmt::format("{}: expected a JSON object such as {{\"latency\": {{}}}}, got {}", where, given.dump()));
  for (const auto& [key, value] : given.items())
    if (key != "latency") unknown_key(where, key, {"latency"});
  const json lat = given.value("latency", json());
  if (lat.is_null()) return m;
  const std::string lwhere = where + ".latency";
  if (!lat.is_object())
    throw Error(fmt::format("{}: expected a JSON object (an empty one takes the defaults), got {}", lwhere,
                            lat.dump()));
  const OptionSchema& schema = latency_schema();
  LatencyRequest r;
  for (const auto& [key, value] : lat.items()) {
    auto it = std::find_if(schema.begin(), schema.end(), [&](const OptionSpec& s) { return s.name == key; });
    if (it == schema.end()) unknown_key(lwhere, key, option_names(schema));
    if (value.is_null()) continue;  // the default
    if (key == "paths") {
      r.paths = resolve_paths(value, lwhere + ".paths");
      continue;
    }
    const json v = resolve_options(lwhere + "." + key, OptionSchema{*it}, json{{key, value}})[key];
    if (key == "threads") r.threads = v.get<int64_t>();
    if (key == "batch") r.batch = v.get<int64_t>();
    if (key == "samples") r.samples = v.get<int64_t>();
    if (key == "warmup_s") r.warmup_s = v.get<double>();
    if (key == "max_cv") r.max_cv = v.get<double>();
    if (key == "quiet") r.quiet = v.get<bool>();
  }
  m.latency = r;
  return m;
}

json measure_json(const MeasureSettings& m) {
  json j = json::object();
  if (m.latency) {
    const LatencyRequest& r = *m.latency;
    j["latency"] = {{"threads", r.threads}, {"batch", r.batch},       {"paths", r.paths},
                    {"samples", r.samples}, {"warmup_s", r.warmup_s}, {"max_cv", r.max_cv},
                    {"quiet", r.quiet}};
  }
  return j;
}

}  // namespace espbench::train
