#include "harness/plot/edf.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "harness/plot/gnuplot.h"
#include "harness/plot/style.h"

namespace espbench::plot {

namespace {

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("'") : std::string(1, c);
  return q + "\"";
}

}  // namespace

void edf_plot(const json& rows, const std::string& sweep, const std::string& dir, SweepPlots& out) {
  std::map<std::string, std::vector<double>> errors;  // family -> test errors (%)
  size_t runs = 0;
  for (const auto& r : rows) {
    if (r.value("status", "") != "done" || !r.contains("test_top1") || !r["test_top1"].is_number()) continue;
    const std::string family = r.contains("series") && r["series"].is_string()
                                   ? r["series"].get<std::string>()
                                   : r.value("model", "?");
    errors[family].push_back(100.0 - r["test_top1"].get<double>());
    ++runs;
  }
  if (runs < 2) {
    out.notes.push_back(fmt::format("edf: skipped, {} finished run(s) with a test top-1 (needs 2)", runs));
    return;
  }
  std::string data =
      "# x = test error % (100 - final test top-1), y = fraction of the family's runs with error <= x\n";
  std::vector<std::string> plots;
  size_t index = 0;
  for (auto& [family, e] : errors) {
    std::sort(e.begin(), e.end());
    const double n = static_cast<double>(e.size());
    data += fmt::format("# family {} ({} runs)\n{:.4f} 0\n", family, e.size(), e.front());
    for (size_t i = 0; i < e.size(); ++i) data += fmt::format("{:.4f} {:.6f}\n", e[i], (i + 1) / n);
    data += "\n\n";
    // The family's colour of the scatter plots: families by name (configs.h).
    plots.push_back(fmt::format("'edf.dat' index {} using 1:2 with steps lw 2 lc rgb '{}' title {}", index,
                                palette_colour(index), quoted(fmt::format("{} (n={})", family, e.size()))));
    ++index;
  }
  const std::string settings = fmt::format(
      "set title {}\nset xlabel 'test error (%) = 100 - final test top-1'\n"
      "set ylabel 'fraction of runs with error <= x'\nset yrange [0:1.05]\nset grid\nset key bottom right\n"
      "set offsets graph 0.05, graph 0.05, 0, 0\n",
      quoted(fmt::format("error EDF: {} ({} finished runs)", sweep, runs)));
  write_plot(dir, "edf", data, settings + "plot " + join(plots, ", \\\n     ") + "\n", out.files);
}

}  // namespace espbench::plot
