// The error EDF of a sweep (after Radosavovic et al., "On Network Design Spaces for Visual
// Recognition"): for each family, the fraction of its finished runs whose test error
// (100 - final test top-1, %) is at most x, drawn as a step function.
#pragma once
#include <string>

#include "harness/plot/plot.h"

namespace espbench::plot {

// Writes DIR/edf.dat and DIR/edf.gp from collect's rows of one sweep: one line per family (the rows'
// `series`, as in the cost plots) over its runs with status "done" and a test top-1; every seed
// and width is one run. With fewer than two such runs, a note in `out` instead.
//
// edf.dat, one block per family (families by name), the step function's corners:
//   # family NAME (n runs)
//   e_1 0            the smallest error, before its step
//   e_1 1/n ... e_n 1   each error with the fraction of runs at or below it (sorted errors)
void edf_plot(const json& rows, const std::string& sweep, const std::string& dir, SweepPlots& out);

}  // namespace espbench::plot
