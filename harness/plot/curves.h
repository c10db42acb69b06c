// The training curves of a sweep: per config (the runs that differ only in their seed), the test
// accuracy and the training loss per epoch as the mean over its seeds, a band from the lowest to the
// highest seed, one colour per config (the config's number in configs.h order), integer epoch tics.
// Every run with a finished epoch counts, running ones included (their curve is shorter); at each
// epoch a config aggregates the seeds that have reached it.
//
// curves.dat, one block per config:
//   # config NUMBER LABEL (n runs: ID ...)
//   epoch(1-based) acc_mean acc_min acc_max n loss_mean loss_min loss_max
#pragma once
#include <string>
#include <vector>

#include "harness/plot/plot.h"
#include "harness/report/collect.h"

namespace espbench::plot {

// Writes DIR/curves.{dat,gp}, or a note in `out` when no run has a finished epoch.
void curves_plot(const json& rows, const std::vector<report::RunRecord>& runs, const std::string& sweep,
                 const std::string& dir, SweepPlots& out);

}  // namespace espbench::plot
