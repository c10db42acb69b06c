// The plots section of a sweep's page (html.h): every picture of <sweep>/plots/ inline.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "harness/report/atomic_file.h"
#include "harness/report/html.h"
#include "harness/report/html_detail.h"
#include "harness/report/latency_block.h"

namespace espbench::report::html {

namespace fs = std::filesystem;

namespace {

// Where a plot goes on the page: the frontier first, then latency, the rest, the curves, the EDF.
int rank(const std::string& stem) {
  if (stem == "acc_vs_macs") return 0;
  if (stem.rfind("acc_vs_latency", 0) == 0) return 1;
  if (stem == "latency_vs_macs") return 2;
  if (stem == "acc_vs_params") return 3;
  if (stem == "curves") return 4;
  if (stem == "edf") return 5;
  return 6;
}

// What a reader sees in the picture, in words.
std::string caption(const std::string& stem, const std::string& metric) {
  const std::string points =
      "Each point is a config: the mean over its finished seeds, with bars from the lowest to the highest "
      "seed; "
      "one colour per family, joined along its width; the numbers name the configs in the table beside the "
      "plot "
      "(and in the results table above)";
  if (stem == "acc_vs_macs")
    return fmt::format(
        "{} against MACs per image (conv + linear, log scale). {}. The dashed black line is the Pareto "
        "front: the configs no cheaper config matches.",
        metric, points);
  if (stem == "acc_vs_params")
    return fmt::format("{} against parameters (log scale). {}; dashed: the Pareto front.", metric, points);
  if (stem.rfind("acc_vs_latency_", 0) == 0)
    return fmt::format(
        "{} against the latency measured on each trained model after its last epoch ({}, p50, log "
        "scale). {}. Dashed: the Pareto front in latency, to set beside the one in MACs.",
        metric, describe_latency_path(stem.substr(15)), points);
  if (stem == "latency_vs_macs")
    return "Measured latency against MACs, both log scale, one marker per latency path. Were MACs a measure "
           "of speed, "
           "every config would lie on one rising line; a family above another at equal MACs is slower per "
           "MAC.";
  if (stem == "curves")
    return fmt::format(
        "{} (left) and training loss (right) per epoch: one colour per config, its line the mean over "
        "its seeds and the shaded band the lowest to the highest seed.",
        metric);
  if (stem == "edf")
    return "Error EDF: per family, the fraction of its finished runs (every seed and width counted) whose "
           "test error "
           "is at most x. A curve to the left and rising steeply is a family that is good and reliable.";
  return stem;
}

}  // namespace

std::string plots_section(const Sweep& s) {
  const fs::path plots = fs::path(s.dir) / "plots";
  std::vector<std::string> stems;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(plots, ec))
    if (e.path().extension() == ".svg") stems.push_back(e.path().stem().string());
  std::sort(stems.begin(), stems.end(), [](const std::string& a, const std::string& b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
  });
  std::string h = "<section id=\"plots\"><h2>Plots</h2>\n";
  if (stems.empty())
    return h + "<p class=\"notice\">No pictures in plots/: draw them with <code>espbench plot " + esc(s.dir) +
           "</code> (needs gnuplot).</p></section>\n";
  size_t k = 0;
  for (const auto& stem : stems) {
    const std::optional<std::string> svg = read_file((plots / (stem + ".svg")).string());
    const std::string inlined = svg ? inline_svg(*svg, fmt::format("p{}-", k++)) : "";
    std::vector<std::string> links;
    for (const char* ext : {".png", ".dat", ".gp"})
      if (fs::exists(plots / (stem + ext))) links.push_back(link("plots/" + stem + ext, stem + ext));
    h += fmt::format(
        "<figure id=\"plot-{}\">\n{}\n<figcaption><b>{}</b>: {} <span "
        "class=\"files\">{}</span></figcaption>\n</figure>\n",
        esc(stem),
        inlined.empty() ? "<p class=\"notice\">" + esc(stem) + ".svg could not be read.</p>" : inlined,
        esc(stem), esc(caption(stem, s.configs.metric_name)), join(links, " &middot; "));
  }
  return h + "</section>\n";
}

}  // namespace espbench::report::html
