// The sections of a sweep's page (html.h, html_detail.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "harness/report/atomic_file.h"
#include "harness/report/html.h"
#include "harness/report/html_detail.h"
#include "harness/report/latency_block.h"
#include "harness/report/tables.h"

namespace espbench::report::html {

namespace fs = std::filesystem;

std::string esc(const std::string& text) { return html_escape(text); }

std::string fixed(const json& v, int decimals) {
  return v.is_number() ? fmt::format("{:.{}f}", v.get<double>(), decimals) : "-";
}

std::string si(const json& v) { return v.is_number() ? si_number(v.get<double>()) : "-"; }

std::string link(const std::string& href, const std::string& text) {
  return fmt::format("<a href=\"{}\">{}</a>", esc(href), esc(text));
}

namespace {

std::string text_of(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

const json* first_report(const Sweep& s) {
  for (const auto& r : s.runs)
    if (r.report.is_object()) return &r.report;
  return nullptr;
}

// "fashion-mnist, 60,000 training images (all), 8 epochs, batch 128, cyclic schedule, seeds 1, 2, 3"
std::string budget(const Sweep& s, const json& config) {
  std::vector<std::string> parts;
  const json& d = config.value("data", json::object());
  const json& t = config.value("train", json::object());
  if (d.is_object() && d.contains("name")) {
    const int64_t limit = d.value("limit_train", int64_t{0});
    parts.push_back(
        esc(d["name"].get<std::string>()) +
        (limit > 0 ? fmt::format(", the first {} training images", limit) : ", all training images"));
  }
  if (t.is_object() && t.contains("epochs"))
    parts.push_back(fmt::format("{} epochs, batch {}, {} schedule", t["epochs"].dump(),
                                t.value("batch_size", json()).dump(),
                                esc(t.value("schedule", std::string("?")))));
  std::set<int64_t> seeds;
  for (const auto& r : s.rows)
    if (r["seed"].is_number_integer()) seeds.insert(r["seed"].get<int64_t>());
  if (!seeds.empty()) parts.push_back(fmt::format("seeds {}", fmt::join(seeds, ", ")));
  if (config.contains("measure") && config["measure"].contains("latency")) {
    const json& l = config["measure"]["latency"];
    parts.push_back(
        fmt::format("latency measured after the last epoch: {} ({} thread(s), batch {}, {} samples)",
                    esc(join(l.value("paths", std::vector<std::string>{}), ", ")), l.value("threads", 0),
                    l.value("batch", 0), l.value("samples", 0)));
  }
  return join(parts, "; ");
}

}  // namespace

std::string head(const Sweep& s) {
  std::string h = fmt::format("<h1>Sweep <code>{}</code></h1>\n", esc(s.name));
  const std::string description = !text_of(s.manifest, "description").empty()
                                      ? text_of(s.manifest, "description")
                                      : text_of(s.manifest, "comment");
  h += description.empty()
           ? "<p class=\"muted\">The sweep folder has no manifest.json with a description.</p>\n"
           : "<p class=\"description\">" + esc(description) + "</p>\n";
  h += "<table class=\"facts\">\n";
  const json* rep = first_report(s);
  if (rep && rep->contains("config"))
    h += "<tr><th>budget</th><td>" + budget(s, (*rep)["config"]) + "</td></tr>\n";
  if (rep && rep->contains("context") && (*rep)["context"].is_object()) {
    const json& c = (*rep)["context"];
    h += fmt::format("<tr><th>machine</th><td>{} ({} cores); LibTorch {}; espbench {} ({})</td></tr>\n",
                     esc(text_of(c, "cpu_model")), c.value("cpu_cores", json()).dump(),
                     esc(text_of(c, "libtorch_version")), esc(text_of(c, "espbench_version")),
                     esc(text_of(c, "git_commit").substr(0, 12)));
  }
  std::map<std::string, int> states;
  for (const auto& r : s.rows) ++states[r.value("status", "?")];
  std::vector<std::string> st;
  for (const auto& [k, v] : states) st.push_back(fmt::format("{} {}", v, esc(k)));
  h += fmt::format("<tr><th>runs</th><td>{} ({})</td></tr>\n", s.rows.size(), join(st, ", "));
  std::vector<std::string> files;
  for (const char* f : {"manifest.json", "collect.csv", "collect.json", "claims.json"})
    if (fs::exists(fs::path(s.dir) / f)) files.push_back(link(f, f));
  h += "<tr><th>files</th><td>" + (files.empty() ? std::string("-") : join(files, " &middot; ")) +
       "</td></tr>\n</table>\n";
  return h;
}

std::string notices(const Sweep& s) {
  if (s.notes.empty()) return "";
  std::string h = "<section id=\"notices\"><h2>What is missing</h2>\n<ul class=\"notices\">\n";
  for (const auto& n : s.notes) h += "<li>" + esc(n) + "</li>\n";
  return h + "</ul></section>\n";
}

}  // namespace espbench::report::html
