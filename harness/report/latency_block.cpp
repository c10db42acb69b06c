#include "harness/report/latency_block.h"

#include <fmt/format.h>

#include <algorithm>

namespace espbench::report {

namespace {

json number_or_null(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_number() ? o[key] : json();
}

// One path's object; false (and a problem) when it carries no usable p50_ms.
bool read_path(const std::string& name, const json& o, LatencyPath& out, std::vector<std::string>& problems) {
  const std::string where = name == "measured" ? "latency" : "latency.paths." + name;
  if (!o.is_object()) {
    problems.push_back(fmt::format("{}: not an object ({})", where, o.dump().substr(0, 40)));
    return false;
  }
  if (o.contains("error")) {
    problems.push_back(
        fmt::format("{}: not measured: {}", where,
                    o["error"].is_string() ? o["error"].get<std::string>() : o["error"].dump()));
    return false;
  }
  if (!o.contains("p50_ms") || !o["p50_ms"].is_number() || !(o["p50_ms"].get<double>() > 0)) {
    problems.push_back(
        fmt::format("{}: {}", where, o.contains("p50_ms") ? "p50_ms is not a positive number" : "no p50_ms"));
    return false;
  }
  out.name = name;
  out.p50_ms = o["p50_ms"].get<double>();
  out.p90_ms = number_or_null(o, "p90_ms");
  out.cv = number_or_null(o, "cv");
  out.samples = number_or_null(o, "samples");
  out.valid = o.contains("valid") && o["valid"].is_boolean() ? o["valid"] : json();
  if (o.contains("inference") && o["inference"].is_object() && o["inference"].contains("fast_applied") &&
      o["inference"]["fast_applied"].is_array())
    for (const auto& p : o["inference"]["fast_applied"])
      if (p.is_string()) out.fast_applied.push_back(p.get<std::string>());
  return true;
}

// The path names in their order: settings.paths (primary first), then any others by name.
std::vector<std::string> path_order(const json& l, const json& paths) {
  std::vector<std::string> order;
  if (l.contains("settings") && l["settings"].is_object() && l["settings"].contains("paths") &&
      l["settings"]["paths"].is_array())
    for (const auto& p : l["settings"]["paths"])
      if (p.is_string()) order.push_back(p.get<std::string>());
  for (const auto& [k, v] : paths.items())
    if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
  return order;
}

}  // namespace

LatencyBlock read_latency_block(const json& report) {
  LatencyBlock b;
  if (!report.is_object() || !report.contains("latency")) return b;
  b.present = true;
  const json& l = report["latency"];
  LatencyPath p;
  if (l.is_number()) {
    p.name = "measured";
    p.p50_ms = l.get<double>();
    if (p.p50_ms > 0)
      b.paths.push_back(p);
    else
      b.problems.push_back("latency: not a positive number");
    return b;
  }
  if (!l.is_object()) {
    b.problems.push_back(
        fmt::format("latency: expected an object with paths, got {}", l.dump().substr(0, 40)));
    return b;
  }
  b.threads = l.contains("settings") && l["settings"].is_object() ? number_or_null(l["settings"], "threads")
                                                                  : number_or_null(l, "threads");
  b.batch = l.contains("settings") && l["settings"].is_object() ? number_or_null(l["settings"], "batch")
                                                                : number_or_null(l, "batch");
  b.input = l.contains("input") && l["input"].is_array() ? l["input"] : json();
  b.cpu_model = l.contains("cpu_model") && l["cpu_model"].is_string() ? l["cpu_model"] : json();
  if (!l.contains("paths")) {  // a `measure --latency --json` object
    if (l.contains("p50_ms") || l.contains("error")) {
      if (read_path("measured", l, p, b.problems)) b.paths.push_back(p);
    } else {
      b.problems.push_back("latency: no paths and no p50_ms");
    }
    return b;
  }
  const json& paths = l["paths"];
  if (!paths.is_object() || paths.empty()) {
    b.problems.push_back("latency.paths: expected an object of path -> timing, got " +
                         paths.dump().substr(0, 40));
    return b;
  }
  for (const auto& name : path_order(l, paths)) {
    if (!paths.contains(name)) {
      b.problems.push_back(fmt::format("latency.paths.{}: missing (settings.paths lists it)", name));
      continue;
    }
    LatencyPath one;
    if (read_path(name, paths[name], one, b.problems)) b.paths.push_back(one);
  }
  return b;
}

std::string describe_latency_path(const std::string& name) {
  if (name == "plain") return "plain LibTorch";
  if (name == "fast") return "--fast";
  if (name.rfind("fast=", 0) == 0) return "--fast=" + name.substr(5);
  return name;
}

}  // namespace espbench::report
