// One scatter plot of a sweep's configs (accuracy against a cost, latency against MACs): each
// config's mean with min-max bars over its seeds, one colour per family (its configs joined along
// their width), every point numbered with labels placed so that none overlaps another
// (label_place.h) and keyed in a table beside the plot, and optionally the Pareto front.
//
// Layout: a fixed canvas (gnuplot.h kCanvasWidth x kCanvasHeight), the plot box on its left
// 62%, the legend and the numbered table on the right. Ranges are set explicitly (log axes padded
// by a few percent) so that labels can be placed in screen coordinates; restyling the .gp keeps
// them right as long as the ranges and margins stay.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/plot/configs.h"

namespace espbench::plot {

struct ScatterLayer {
  std::string name;    // in the legend when a plot has several layers (a latency path)
  int point_type = 7;  // gnuplot point type
  std::function<std::optional<Spread>(const ConfigPoint&)> x, y;
};

struct ScatterSpec {
  std::string name;  // file stem
  std::string title, xlabel, ylabel;
  bool log_y = false;
  bool pareto = false;  // draw the Pareto front: lower x and higher y are better (one layer)
  std::string (*x_tic)(double) = nullptr;  // log x tic labels (nullptr: short_number)
  std::string (*y_tic)(double) = nullptr;  // log y tic labels (nullptr: short_number)
  std::vector<ScatterLayer> layers;
};

// Writes DIR/NAME.dat and DIR/NAME.gp and appends them (and the pictures) to `files`. Returns false,
// writing nothing, when no config has both coordinates in any layer.
bool scatter_plot(const ScatterSpec& spec, const SweepConfigs& configs, const std::string& dir,
                  std::vector<std::string>& files);

}  // namespace espbench::plot
