// Writing gnuplot scripts that render themselves to SVG or PNG, and running gnuplot on them.
#pragma once
#include <string>
#include <vector>

namespace espbench::plot {

// Every picture's size in pixels (SVG and PNG alike); plots that place labels rely on it.
constexpr double kCanvasWidth = 1100, kCanvasHeight = 700;

// Writes DIR/NAME.dat and DIR/NAME.gp (atomically). The script starts with the terminal choice:
// SVG by default, PNG with `gnuplot -e "fmt='png'" NAME.gp` (pngcairo when this gnuplot has it,
// else png); `body` follows (settings and plot commands reading 'NAME.dat'). Appends both paths
// (and the picture paths) to `files`.
void write_plot(const std::string& dir, const std::string& name, const std::string& data,
                const std::string& body, std::vector<std::string>& files);

// Renders every NAME.gp among `files` in DIR to SVG and PNG. Throws espbench::Error naming the
// script (and DIR/gnuplot.log holding gnuplot's messages) when gnuplot is missing or fails.
void render_all(const std::string& dir, const std::vector<std::string>& files);

}  // namespace espbench::plot
