// Printing evaluated claims (claims.h) as a console or Markdown table plus notes.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/report/claims.h"
#include "harness/report/tables.h"

namespace espbench::report {

namespace {

// One claim's numbers share a format chosen from the larger of its two means: SI-scaled from 1,000
// up (MACs, params), 3 decimals below 10 (losses, milliseconds), else 2 (percentages).
struct NumFormat {
  double scale = 1;
  std::string unit;
  int decimals = 2;
};

NumFormat format_for(const json& c) {
  double m = 0;
  for (const char* side : {"better", "than"})
    if (c[side]["mean"].is_number()) m = std::max(m, std::fabs(c[side]["mean"].get<double>()));
  for (const auto& [scale, unit] : {std::pair<double, const char*>{1e9, "G"}, {1e6, "M"}, {1e3, "k"}})
    if (m >= scale) return {scale, unit, 2};
  return {1, "", m < 10 ? 3 : 2};
}

// `sign` forces a leading + on positive values.
std::string num(double v, const NumFormat& f, bool sign = false) {
  const std::string s = fmt::format("{:.{}f}{}", std::fabs(v) / f.scale, f.decimals, f.unit);
  return (v < 0 ? "-" : sign && v > 0 ? "+" : "") + s;
}

std::string side_cell(const json& side, const NumFormat& f, bool markdown) {
  const std::string label = side["label"].get<std::string>();
  if (side["n"].get<int64_t>() == 0) return label + ": no finished run";
  std::string s = label + ": " + num(side["mean"].get<double>(), f);
  if (!side["std"].is_null()) s += (markdown ? " &plusmn; " : " +- ") + num(side["std"].get<double>(), f);
  return s + fmt::format(" (n={})", side["n"].get<int64_t>());
}

std::string diff_cell(const json& c, const NumFormat& f) {
  if (c["diff"].is_null()) return "-";
  std::string s = num(c["diff"].get<double>(), f, true);
  if (!c["ci_low"].is_null())
    s += fmt::format(" [{}, {}]", num(c["ci_low"].get<double>(), f, true),
                     num(c["ci_high"].get<double>(), f, true));
  return s;
}

std::string p_cell(const json& p) {
  if (p.is_null()) return "-";
  const double v = p.get<double>();
  return v < 0.001 ? "< 0.001" : fmt::format("{:.3f}", v);
}

// What a reader needs beside the numbers: why a verdict is inconclusive, runs left out.
std::vector<std::string> notes_of(const json& c) {
  std::vector<std::string> notes;
  const std::string reason = c.value("reason", "");
  if (!reason.empty() && reason != "the interval contains the margin") notes.push_back(reason);
  for (const char* side : {"better", "than"}) {
    const json& s = c[side];
    if (const int64_t k = s["not_done"].get<int64_t>(); k > 0)
      notes.push_back(
          fmt::format("{} of {} '{}' runs not done, left out", k, s["runs"].get<int64_t>(), side));
    if (const int64_t k = s["missing_metric"].get<int64_t>(); k > 0)
      notes.push_back(
          fmt::format("{} done '{}' run(s) without {}, left out", k, side, c["metric"].get<std::string>()));
  }
  return notes;
}

std::string render(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& cells,
                   bool markdown) {
  // Markdown: the claim's words left, its numbers right; text: every column left-aligned.
  return render_columns(
      head, cells, markdown, [&](size_t i) { return i < 5 || i + 1 == head.size(); },
      [](size_t) { return true; });
}

}  // namespace

std::string format_claims(const json& doc, bool markdown) {
  const json& claims = doc["claims"];
  if (claims.empty()) return "";
  const std::vector<std::string> head = {
      "sweep", "claim", "metric", "better", "than", "improvement [95% CI]", "margin", "p", "verdict"};
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> notes;
  for (const auto& c : claims) {
    const std::string metric =
        c["metric"].get<std::string>() + (c["lower_is_better"].get<bool>() ? " (lower is better)" : "");
    const NumFormat f = format_for(c);
    const double margin = c["margin"].get<double>();
    cells.push_back({c["sweep"].get<std::string>(), c["name"].get<std::string>(), metric,
                     side_cell(c["better"], f, markdown), side_cell(c["than"], f, markdown), diff_cell(c, f),
                     margin == 0 ? "0" : num(margin, f), p_cell(c["p"]), c["verdict"].get<std::string>()});
    for (const auto& n : notes_of(c)) notes.push_back(fmt::format("{}: {}", c["name"].get<std::string>(), n));
  }
  std::string s = markdown ? "" : "claims\n";
  s += render(head, cells, markdown);
  s += markdown ? "\n" : "";
  s += "Welch's t-test over the seeds: improvement = mean(better) - mean(than) (reversed where lower is "
       "better), 95% interval with Welch-Satterthwaite df, one-sided p for improvement > margin; supported "
       "when the interval lies above the margin, refuted when below it, else inconclusive.\n";
  for (const auto& n : notes) s += (markdown ? "- " : "  ") + n + "\n";
  return s;
}

}  // namespace espbench::report
