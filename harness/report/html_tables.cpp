// The claims, results and runs tables of a sweep's page (html.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "harness/report/html_detail.h"
#include "harness/report/latency_block.h"

namespace espbench::report::html {

namespace fs = std::filesystem;

namespace {

// A claim's numbers: SI-scaled from 1,000 up (MACs, params), 3 decimals below 10, else 2.
std::string claim_num(const json& v, double scale_of, bool sign = false) {
  if (!v.is_number()) return "-";
  const double x = v.get<double>(), m = std::fabs(scale_of);
  std::string s;
  if (m >= 1e9)
    s = fmt::format("{:.2f}G", std::fabs(x) / 1e9);
  else if (m >= 1e6)
    s = fmt::format("{:.2f}M", std::fabs(x) / 1e6);
  else if (m >= 1e3)
    s = fmt::format("{:.2f}k", std::fabs(x) / 1e3);
  else
    s = fmt::format("{:.{}f}", std::fabs(x), m < 10 ? 3 : 2);
  return (x < 0 ? "-" : sign && x > 0 ? "+" : "") + s;
}

std::string side(const json& c, const char* name, double scale) {
  const json& sd = c[name];
  std::string s = esc(sd.value("label", std::string("?"))) + ": ";
  if (sd.value("n", 0) == 0) return s + "no finished run";
  s += claim_num(sd["mean"], scale);
  if (sd["std"].is_number()) s += " &plusmn; " + claim_num(sd["std"], scale);
  return s + fmt::format(" (n={})", sd.value("n", 0));
}

// The sortable cell: data-v holds the value the sorting script compares.
std::string td(const std::string& html, const json& sort_value, bool number = true) {
  const std::string v = sort_value.is_number()   ? fmt::format("{:.10g}", sort_value.get<double>())
                        : sort_value.is_string() ? esc(sort_value.get<std::string>())
                                                 : "";
  return fmt::format("<td{} data-v=\"{}\">{}</td>", number ? " class=\"num\"" : "", v, html);
}

std::string pm(const json& g) {
  if (!g.is_object() || !g["mean"].is_number()) return "-";
  if (g["n"].get<int64_t>() < 2) return fmt::format("{:.2f}", g["mean"].get<double>());
  return fmt::format("{:.2f} &plusmn; {:.2f}", g["mean"].get<double>(), g["std"].get<double>());
}

const plot::ConfigPoint* point_of(const Sweep& s, const std::string& label) {
  for (const auto& p : s.configs.points)
    if (p.label == label) return &p;
  return nullptr;
}

std::string latency_cell(const plot::ConfigPoint* p, const std::string& path) {
  if (!p || !p->latency.count(path)) return td("-", json());
  const plot::Spread& l = p->latency.at(path);
  return td(
      l.n > 1 ? fmt::format("{:.3f} <span class=\"range\">({:.3f}&ndash;{:.3f})</span>", l.mean, l.min, l.max)
              : fmt::format("{:.3f}", l.mean),
      l.mean);
}

}  // namespace

std::string claims_section(const Sweep& s) {
  std::string h = "<section id=\"claims\"><h2>Claims</h2>\n";
  if (!s.claims_error.empty())
    return h + "<p class=\"notice\">The claims could not be judged: " + esc(s.claims_error) +
           "</p></section>\n";
  if (!s.claims.is_object() || s.claims["claims"].empty())
    return h + "<p class=\"muted\">The sweep's manifest states no claims.</p></section>\n";
  h += "<table class=\"claims\">\n<thead><tr><th>claim</th><th>metric</th><th>better</th><th>than</th>"
       "<th>improvement [95% CI]</th><th>margin</th><th>p</th><th>verdict</th></tr></thead>\n<tbody>\n";
  for (const auto& c : s.claims["claims"]) {
    const double scale =
        std::max(c["better"]["mean"].is_number() ? std::fabs(c["better"]["mean"].get<double>()) : 0.0,
                 c["than"]["mean"].is_number() ? std::fabs(c["than"]["mean"].get<double>()) : 0.0);
    std::string diff = claim_num(c["diff"], scale, true);
    if (c["ci_low"].is_number())
      diff += " [" + claim_num(c["ci_low"], scale, true) + ", " + claim_num(c["ci_high"], scale, true) + "]";
    const std::string verdict = c.value("verdict", std::string("?"));
    const std::string p = !c["p"].is_number()            ? "-"
                          : c["p"].get<double>() < 0.001 ? "&lt; 0.001"
                                                         : fmt::format("{:.3f}", c["p"].get<double>());
    const std::string reason = c.value("reason", json()).is_string() ? c["reason"].get<std::string>() : "";
    h += fmt::format(
        "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td><span class=\"verdict {}\">{}</span>{}</td></tr>\n",
        esc(c.value("name", std::string("?"))), esc(c.value("metric", std::string("?"))),
        c.value("lower_is_better", false) ? " (lower is better)" : "", side(c, "better", scale),
        side(c, "than", scale), diff, claim_num(c["margin"], scale), p, esc(verdict), esc(verdict),
        reason.empty() ? "" : "<div class=\"reason\">" + esc(reason) + "</div>");
  }
  h += "</tbody></table>\n<p class=\"muted\">" + esc(s.claims.value("method", std::string())) +
       "</p></section>\n";
  return h;
}

std::string results_section(const Sweep& s) {
  const std::string metric = s.configs.metric_key, mname = s.configs.metric_name;
  const bool top5 = std::any_of(s.groups.begin(), s.groups.end(),
                                [](const json& g) { return g["test_top5"]["n"].get<int64_t>() > 0; });
  std::string h =
      "<section id=\"results\"><h2>Results over seeds</h2>\n<p class=\"muted\">Mean &plusmn; sample standard "
      "deviation over each config's runs; no. is the config's number in the plots. Click a column head to "
      "sort.</p>\n"
      "<table class=\"results "
      "sortable\">\n<thead><tr><th>no.</th><th>config</th><th>seeds</th><th>params</th>"
      "<th>MACs</th>";
  h += fmt::format("<th>{} %</th><th>best {} %</th>{}", esc(mname), esc(mname),
                   top5 ? "<th>top-5 %</th>" : "");
  for (const auto& path : s.configs.latency_paths)
    h += "<th>latency ms<br><span class=\"muted\">" + esc(describe_latency_path(path)) + ", p50</span></th>";
  h += "<th>wall s</th><th>runs</th></tr></thead>\n<tbody>\n";
  for (const auto& g : s.groups) {
    const std::string label = g.value("label", std::string("?"));
    const plot::ConfigPoint* p = point_of(s, label);
    std::vector<std::string> states;
    for (const auto& [k, v] : g["states"].items())
      states.push_back(fmt::format("{} {}", v.get<int64_t>(), k));
    const json best = metric == "test_miou" ? g.value("best_test_miou", json()) : g["best_test_top1"];
    h += "<tr>" + td(p ? std::to_string(p->number) : "-", p ? json(p->number) : json()) +
         td(esc(label), label, false) + td(std::to_string(g["runs"].get<int64_t>()), g["runs"]) +
         td(si(g["params"]), g["params"]) + td(si(g["macs"]), g["macs"]) +
         td(pm(g.value(metric, json())), g.value(metric, json()).value("mean", json())) +
         td(pm(best), best.is_object() ? best["mean"] : json());
    if (top5) h += td(pm(g["test_top5"]), g["test_top5"]["mean"]);
    for (const auto& path : s.configs.latency_paths) h += latency_cell(p, path);
    h += td(fixed(g["wall_time_s"]["mean"], 0), g["wall_time_s"]["mean"]) +
         td(esc(join(states, ", ")), join(states, ", "), false) + "</tr>\n";
  }
  return h + "</tbody></table></section>\n";
}

std::string runs_section(const Sweep& s) {
  std::string h =
      "<section id=\"runs\"><h2>Runs</h2>\n<table class=\"runs sortable\">\n<thead><tr><th>run id</th>"
      "<th>config</th><th>seed</th><th>status</th><th>" +
      esc(s.configs.metric_name) + " %</th>";
  for (const auto& path : s.configs.latency_paths)
    h += "<th>" + esc(describe_latency_path(path)) + " ms</th>";
  h += "<th>files</th><th>notes</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < s.runs.size() && i < s.rows.size(); ++i) {
    const json& r = s.rows[i];
    const fs::path dir(s.runs[i].dir);
    const std::string id = dir.filename().string();
    std::vector<std::string> files, notes;
    for (const char* f : {"config.json", "report.json", "status.json", "log"})
      if (fs::exists(dir / f)) files.push_back(link(id + "/" + f, f));
    const LatencyBlock b = read_latency_block(s.runs[i].report);
    for (const auto& why : b.problems) notes.push_back(esc(why));
    if (!s.runs[i].report.is_object())
      notes.push_back(s.runs[i].unreadable ? "report.json does not parse" : "no report.json yet");
    if (r.value("error", json()).is_string() && !r["error"].get<std::string>().empty())
      notes.push_back(esc(r["error"].get<std::string>()));
    h += "<tr>" + td("<code>" + esc(id) + "</code>", id, false) +
         td(esc(r.value("label", std::string("?"))), r.value("label", json()), false) +
         td(r["seed"].is_null() ? "-" : r["seed"].dump(), r["seed"]) +
         td(esc(r.value("status", std::string("?"))), r.value("status", json()), false) +
         td(fixed(r.value(s.configs.metric_key, json()), 2), r.value(s.configs.metric_key, json()));
    for (const auto& path : s.configs.latency_paths) {
      auto it =
          std::find_if(b.paths.begin(), b.paths.end(), [&](const LatencyPath& p) { return p.name == path; });
      h += it == b.paths.end()
               ? td("-", json())
               : td(fmt::format("{:.3f}{}", it->p50_ms, it->valid == false ? " (noisy)" : ""), it->p50_ms);
    }
    h += td(join(files, " "), "", false) + td(join(notes, "; "), "", false) + "</tr>\n";
  }
  return h + "</tbody></table></section>\n";
}

}  // namespace espbench::report::html
