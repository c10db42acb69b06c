#include "harness/report/tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace espbench::report {

namespace {

const std::vector<std::string> kMetrics = {"test_top1",      "best_test_top1", "test_top5",  "test_miou",
                                           "best_test_miou", "latency_ms",     "wall_time_s"};

std::string si(const json& v) { return v.is_number() ? si_number(v.get<double>()) : "-"; }

std::string pm(const json& s, int digits, bool markdown) {
  if (!s.is_object() || s["mean"].is_null()) return "-";
  const double mean = s["mean"].get<double>(), sd = s["std"].get<double>();
  if (s["n"].get<int64_t>() < 2) return fmt::format("{:.{}f}", mean, digits);
  return fmt::format("{:.{}f} {} {:.{}f}", mean, digits, markdown ? "&plusmn;" : "+-", sd, digits);
}

std::string duration(const json& s) {
  if (!s.is_object() || s["mean"].is_null()) return "-";
  const double v = s["mean"].get<double>();
  if (v < 60) return fmt::format("{:.0f}s", v);
  if (v < 3600) return fmt::format("{:.0f}m{:02.0f}s", std::floor(v / 60), std::fmod(v, 60));
  return fmt::format("{:.0f}h{:02.0f}m", std::floor(v / 3600), std::floor(std::fmod(v, 3600) / 60));
}

std::string states_text(const json& states) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : states.items()) parts.push_back(fmt::format("{} {}", v.get<int64_t>(), k));
  return join(parts, ", ");
}

}  // namespace

std::string si_number(double d) {
  if (d >= 1e9) return fmt::format("{:.2f}G", d / 1e9);
  if (d >= 1e6) return fmt::format("{:.2f}M", d / 1e6);
  if (d >= 1e3) return fmt::format("{:.1f}k", d / 1e3);
  return fmt::format("{:g}", d);
}

json summarize(const std::vector<json>& values) {
  std::vector<double> v;
  for (const auto& x : values)
    if (x.is_number()) v.push_back(x.get<double>());
  if (v.empty()) return {{"mean", nullptr}, {"std", nullptr}, {"n", 0}};
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return {{"mean", mean}, {"std", sd}, {"n", static_cast<int64_t>(v.size())}};
}

json group_rows(const json& rows) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const json*>> members;
  for (const auto& row : rows) {
    const std::string g = row.value("group", row.value("run_id", "?"));
    if (!members.count(g)) order.push_back(g);
    members[g].push_back(&row);
  }
  // Sweep by sweep, configs by label (the rows come in run-id order, which means nothing).
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    const json &ra = *members[a].front(), &rb = *members[b].front();
    return std::make_pair(ra.value("sweep", ""), ra.value("label", "")) <
           std::make_pair(rb.value("sweep", ""), rb.value("label", ""));
  });
  json groups = json::array();
  for (const auto& g : order) {
    const auto& rs = members[g];
    const json& first = *rs.front();
    json out = {{"sweep", first["sweep"]},  {"label", first["label"]},
                {"model", first["model"]},  {"family", first["family"]},
                {"runs", rs.size()},        {"seeds", json::array()},
                {"states", json::object()}, {"run_ids", json::array()},
                {"params", nullptr},        {"macs", nullptr}};
    for (const json* r : rs) {
      out["seeds"].push_back((*r)["seed"]);
      out["run_ids"].push_back((*r)["run_id"]);
      const std::string st = (*r).value("status", "?");
      out["states"][st] = out["states"].value(st, 0) + 1;
      if (out["params"].is_null() && (*r)["params"].is_number()) out["params"] = (*r)["params"];
      if (out["macs"].is_null() && (*r)["macs"].is_number()) out["macs"] = (*r)["macs"];
    }
    for (const auto& m : kMetrics) {
      std::vector<json> v;
      for (const json* r : rs) v.push_back(r->value(m, json()));
      out[m] = summarize(v);
    }
    groups.push_back(out);
  }
  return groups;
}

std::string format_table(const json& groups, bool markdown) {
  auto any = [&](const char* metric) {
    return std::any_of(groups.begin(), groups.end(), [&](const json& g) {
      return g.contains(metric) && g[metric]["n"].get<int64_t>() > 0;
    });
  };
  const bool latency = any("latency_ms"), miou = any("test_miou");  // miou: segmentation runs
  std::vector<std::string> head = {"sweep", "config",       "seeds",        "params",
                                   "MACs",  "test top-1 %", "best top-1 %", "top-5 %"};
  if (miou) head.insert(head.end(), {"mIoU %", "best mIoU %"});
  if (latency) head.push_back("latency ms");
  head.insert(head.end(), {"wall", "runs"});
  std::vector<std::vector<std::string>> cells;
  for (const auto& g : groups) {
    std::vector<std::string> row = {g["sweep"].get<std::string>(),
                                    g["label"].get<std::string>(),
                                    std::to_string(g["runs"].get<int64_t>()),
                                    si(g["params"]),
                                    si(g["macs"]),
                                    pm(g["test_top1"], 2, markdown),
                                    pm(g["best_test_top1"], 2, markdown),
                                    pm(g["test_top5"], 2, markdown)};
    if (miou) row.insert(row.end(), {pm(g["test_miou"], 2, markdown), pm(g["best_test_miou"], 2, markdown)});
    if (latency) row.push_back(pm(g["latency_ms"], 3, markdown));
    row.push_back(duration(g["wall_time_s"]));
    row.push_back(states_text(g["states"]));
    cells.push_back(row);
  }
  auto label = [&](size_t i) { return i < 2 || i + 1 == head.size(); };
  return render_columns(
      head, cells, markdown, [](size_t i) { return i < 2; }, label);
}

std::string render_columns(const std::vector<std::string>& head,
                           const std::vector<std::vector<std::string>>& cells, bool markdown,
                           const std::function<bool(size_t)>& left_markdown,
                           const std::function<bool(size_t)>& left_text) {
  std::string s;
  if (markdown) {
    s += "| " + join(head, " | ") + " |\n|";
    for (size_t i = 0; i < head.size(); ++i) s += left_markdown(i) ? "---|" : "---:|";
    s += "\n";
    for (const auto& row : cells) s += "| " + join(row, " | ") + " |\n";
    return s;
  }
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) {
    width[i] = head[i].size();
    for (const auto& row : cells) width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string l;
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - row[i].size(), ' ');
      l += (i ? "  " : "") + (left_text(i) ? row[i] + pad : pad + row[i]);
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    return l + "\n";
  };
  s += line(head);
  for (const auto& row : cells) s += line(row);
  return s;
}

}  // namespace espbench::report
