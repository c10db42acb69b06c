// `espbench plot`: pictures of a sweep redrawn from its report.json files alone (never retraining).
//
//   auto outs = plot_dir("sweeps/frontier");    // or an output root holding several sweeps
//
// For each sweep, in <sweep folder>/plots/, every plot is three files beside its pictures: NAME.dat
// (the numbers), NAME.gp (a gnuplot script a user can restyle) and NAME.svg + NAME.png, rendered
// with `gnuplot NAME.gp` and `gnuplot -e "fmt='png'" NAME.gp` run in that folder.
//   acc_vs_macs     test top-1 (mean +- std over seeds) against MACs per image (conv + linear, at
//                   the training resolution), log x; one line per family (collect's `series`: the
//                   model and everything in its label but its width, the option its model entry
//                   names as width_option) joining its points in width order (cost order for a
//                   model without a width); every point labelled; the Pareto front (no cheaper config is as
//                   accurate) dashed.
//   acc_vs_params   the same against parameters.
//   acc_vs_latency  the same against measured latency (ms), only when reports carry `latency`
//                   (collect.h latency_ms_of); otherwise skipped with a note.
//   curves          test top-1 and training loss per epoch, one line per run (label and seed).
//   edf             the error EDF (edf.h): per family, the fraction of its finished runs with test
//                   error (100 - test top-1, %) <= x; for sweeps with at least two finished runs.
// Runs without a finished epoch are left out of the pictures (and named in a note when none has one).
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
