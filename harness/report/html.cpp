#include "harness/report/html.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "harness/plot/plot.h"
#include "harness/report/atomic_file.h"
#include "harness/report/claims.h"
#include "harness/report/context.h"
#include "harness/report/html_detail.h"
#include "harness/report/tables.h"
#include "modules/error.h"

namespace espbench::report {

namespace {

namespace fs = std::filesystem;

const char* const kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1180px;
       padding: 0 1em; color: #1b1b1b; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: .3em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.8em; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }
.description { max-width: 70em; } .muted { color: #666; font-size: .92em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .3em .55em; vertical-align: top; }
th { background: #f3f4f6; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.facts th { width: 7em; } table.sortable th { cursor: pointer; } table.sortable th:hover { background: #e5e7eb; }
tbody tr:nth-child(even) { background: #fafafa; } .range { color: #666; font-size: .9em; }
.verdict { font-weight: 600; padding: .05em .45em; border-radius: .3em; white-space: nowrap; }
.verdict.supported { background: #d1fadf; color: #05603a; } .verdict.refuted { background: #fee4e2; color: #912018; }
.verdict.inconclusive { background: #fef0c7; color: #93370d; } .reason { color: #666; font-size: .88em; }
.notice, ul.notices li { color: #93370d; } figure { margin: 1.2em 0 2em 0; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; } figcaption { font-size: .92em; max-width: 75em; }
.files { color: #666; }
)";

// Sorts a table by the data-v of the clicked column: numbers numerically, text alphabetically.
const char* const kScript = R"(
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = th.getAttribute('data-order') !== 'up';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-order'); });
      th.setAttribute('data-order', up ? 'up' : 'down');
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
        var nx = parseFloat(x), ny = parseFloat(y), r;
        if (x === '' && y !== '') return 1; if (y === '' && x !== '') return -1;
        r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return up ? r : -r;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
)";

json read_manifest(const fs::path& dir) {
  const std::optional<std::string> text = read_file((dir / "manifest.json").string());
  if (!text) return json();
  const json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json();
}

void collect_notes(html::Sweep& s, const std::vector<std::string>& plot_notes) {
  size_t without = 0, unreadable = 0;
  for (const auto& r : s.runs) {
    if (r.unreadable)
      ++unreadable;
    else if (!r.report.is_object())
      ++without;
  }
  if (without)
    s.notes.push_back(
        fmt::format("{} run(s) have no report.json yet (see their status in the runs table)", without));
  if (unreadable)
    s.notes.push_back(fmt::format("{} run(s) have a report.json that does not parse", unreadable));
  if (s.configs.points.empty())
    s.notes.push_back("no run has finished: the results table and the plots have nothing to show yet");
  for (const auto& p : s.configs.latency_problems) s.notes.push_back("latency left out: " + p);
  if (s.configs.latency_paths.empty() && s.configs.latency_problems.empty())
    s.notes.push_back(
        "no report carries a latency block: the runs' config asked for none (measure.latency), so there is "
        "no accuracy-vs-latency plot");
  for (const auto& n : plot_notes)
    if (n.find("latency") == std::string::npos) s.notes.push_back("plots: " + n);
}

html::Sweep load_sweep(const std::string& name, const std::vector<RunRecord>& runs) {
  html::Sweep s;
  s.name = name;
  s.dir = fs::path(runs.front().dir).parent_path().string();
  s.runs = runs;
  s.rows = make_rows(runs);
  s.groups = group_rows(s.rows);
  s.manifest = read_manifest(s.dir);
  s.configs = plot::sweep_configs(s.rows, runs);
  try {
    s.claims = evaluate_sweeps(runs, s.rows);
  } catch (const Error& e) {
    s.claims_error = e.what();
  }
  return s;
}

std::string page(const html::Sweep& s) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>espbench sweep "
      "{}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n{}{}{}{}{}{}"
      "<footer class=\"muted\"><p>Written by <code>espbench report {} --html</code> on {} from the runs' "
      "report.json "
      "files; every figure above comes from them.</p></footer>\n<script>{}</script>\n</body>\n</html>\n",
      html::esc(s.name), kStyle, html::head(s), html::notices(s), html::claims_section(s),
      html::results_section(s), html::plots_section(s), html::runs_section(s), html::esc(s.dir),
      utc_now_iso(), kScript);
}

}  // namespace

std::vector<HtmlPage> write_html_reports(const std::string& dir, const HtmlOptions& options) {
  const std::vector<RunRecord> runs = find_runs(dir);
  std::map<std::string, std::vector<std::string>> plot_notes;
  std::string plot_error;
  if (options.draw_plots) {
    try {
      for (const auto& p : plot::plot_dir(dir)) plot_notes[p.sweep] = p.notes;
    } catch (const Error& e) {
      plot_error = e.what();
    }
  }
  std::map<std::string, std::vector<RunRecord>> by_sweep;
  std::vector<std::string> order;
  for (const auto& r : runs) {
    if (!by_sweep.count(r.sweep)) order.push_back(r.sweep);
    by_sweep[r.sweep].push_back(r);
  }
  std::vector<HtmlPage> pages;
  for (const auto& name : order) {
    html::Sweep s = load_sweep(name, by_sweep[name]);
    if (!plot_error.empty())
      s.notes.push_back("plots not redrawn (" + plot_error + "); the page shows those already in plots/");
    collect_notes(s, plot_notes[name]);
    HtmlPage p{name, (fs::path(s.dir) / "report.html").string(), s.notes};
    write_file_atomic(p.path, page(s));
    pages.push_back(p);
  }
  return pages;
}

}  // namespace espbench::report
