// `espbench plot`: pictures of a sweep redrawn from its report.json files alone (never retraining).
//
//   auto outs = plot_dir("sweeps/frontier");    // or an output root holding several sweeps
//
// For each sweep, in <sweep folder>/plots/, every plot is three files beside its pictures: NAME.dat
// (the numbers), NAME.gp (a gnuplot script a user can restyle) and NAME.svg + NAME.png, rendered
// with `gnuplot NAME.gp` and `gnuplot -e "fmt='png'" NAME.gp` run in that folder. A config (the runs
// that differ only in their seed) is one point or line, aggregated over its finished seeds (mean,
// with bars or a band from the lowest to the highest seed; axis titles say how many seeds), and has
// one number in every plot (configs.h), keyed in a table beside the scatter plots (scatter.h).
//   acc_vs_macs       test top-1 against MACs per image (conv + linear, at the training
//                     resolution), log x; one colour per family (collect's `series`: the label
//                     without the model's width) joining its configs in width order; numbered
//                     points whose labels never overlap; the Pareto front (no cheaper config is as
//                     accurate) dashed.
//   acc_vs_params     the same against parameters.
//   acc_vs_latency_P  the same against the measured latency (p50, ms) of latency path P ("plain",
//                     "fast", ...) from the reports' `latency` blocks (harness/train/final_latency.h),
//                     with its own Pareto front; one per path. Without any latency block: skipped
//                     with a note; blocks that cannot be read are left out and named in a note.
//   latency_vs_macs   measured latency against MACs, log-log, one point type per latency path.
//   curves            test top-1 and training loss per epoch, one colour per config: the mean over
//                     its seeds and a band from the lowest to the highest (curves.h).
//   edf               the error EDF (edf.h): per family, the fraction of its finished runs with test
//                     error (100 - test top-1, %) <= x; for sweeps with at least two finished runs.
// Segmentation sweeps plot test mIoU where classification sweeps plot test top-1. Only finished runs
// count in the scatter plots and the EDF; curves show running runs too. Plot files of these names
// that this run did not write (an earlier run's) are removed.
#pragma once
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::plot {

struct PlotOptions {
  bool render = true;  // run gnuplot (false: data and scripts only)
};

struct SweepPlots {
  std::string sweep;
  std::string dir;                 // the plots folder
  std::vector<std::string> files;  // everything written, pictures included
  std::vector<std::string> notes;  // plots skipped and why
};

std::vector<SweepPlots> plot_dir(const std::string& dir, const PlotOptions& options = {});

// The Pareto front of (cost, accuracy) points: indices of the points that no other point beats
// (lower or equal cost and higher accuracy, or lower cost and equal accuracy), by increasing cost.
std::vector<size_t> pareto_front(const std::vector<std::pair<double, double>>& cost_accuracy);

}  // namespace espbench::plot
