// What every plot shares: the colour palette, gnuplot string quoting, axis tics and the words that
// say how many seeds a figure aggregates.
#pragma once
#include <string>
#include <vector>

namespace espbench::plot {

// The i-th colour of a 12-colour palette that stays readable on white and for the common forms of
// colour blindness (Okabe-Ito's first six, then Tol's muted set), as "#rrggbb"; wraps around.
std::string palette_colour(size_t index);

// A gnuplot double-quoted string literal (backslashes and quotes escaped).
std::string gp_string(const std::string& s);

// The step of integer tics over [1, last]: 1, 2 or 5 times a power of ten, at most ~10 tics.
int integer_tic_step(int last);

// Tics for a log axis over [lo, hi] (lo > 0): 1-2-5 per decade, or finer when that gives fewer than
// three; each labelled with `format_tic`. Returns a gnuplot tic list: ("1M" 1e6, "2M" 2e6, ...).
std::string log_tics(double lo, double hi, std::string (*format_tic)(double));

// 1234567 -> "1.2M", 0.35 -> "0.35", 2.5 -> "2.5" (for tic labels).
std::string short_number(double v);

// "one seed" / "3 seeds" / "1-3 seeds" from the per-config seed counts.
std::string seeds_phrase(const std::vector<int>& counts);

}  // namespace espbench::plot
