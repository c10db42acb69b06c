// `espbench report DIR --html`: one self-contained page per sweep, <sweep folder>/report.html,
// from the sweep's files alone.
//
//   auto pages = write_html_reports("results/frontier");   // or an output root: one page per sweep
//
// The page holds, in this order: the sweep's description (manifest.json), its budget and the
// machine its reports name; notices (runs without a report, latency blocks that could not be read,
// plots not drawn); the claims with their verdicts, intervals and p-values (claims.h); the results
// table over seeds (sortable by clicking a column head), with the config numbers of the plots and
// the measured latency per path; every plot of <sweep>/plots/ as inline SVG with a caption saying
// what it shows and links to its PNG, data and script; and every run with links to its
// config.json and report.json (relative to the page, so the folder can be moved or served).
// Everything is inline (CSS, SVG and a small sorting script); nothing is fetched from elsewhere, and
// every text from the reports is escaped.
//
// With `draw_plots`, the plots are redrawn first, as `espbench plot` would (harness/plot/plot.h);
// when gnuplot is missing or fails, the page says so and shows the pictures already in plots/.
#pragma once
#include <string>
#include <vector>

namespace espbench::report {

struct HtmlOptions {
  bool draw_plots = true;
};

struct HtmlPage {
  std::string sweep;
  std::string path;                // the page written
  std::vector<std::string> notes;  // what the page reports as missing (also on the page)
};

// Throws espbench::Error (one line) when DIR holds no runs.
std::vector<HtmlPage> write_html_reports(const std::string& dir, const HtmlOptions& options = {});

// Text for HTML content and attribute values: & < > " ' escaped.
std::string html_escape(const std::string& text);

// An SVG file's text ready to inline in a page: the XML prologue dropped, every id (and every
// reference to one) prefixed with `prefix` so that several pictures on one page keep their own.
std::string inline_svg(const std::string& svg, const std::string& prefix);

}  // namespace espbench::report
