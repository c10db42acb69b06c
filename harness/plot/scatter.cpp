#include "harness/plot/scatter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/plot/gnuplot.h"
#include "harness/plot/label_place.h"
#include "harness/plot/plot.h"
#include "harness/plot/style.h"

namespace espbench::plot {

namespace {

// The plot box in screen fractions; the legend and the table use the space right of it.
constexpr double kLeft = 0.08, kRight = 0.62, kBottom = 0.11, kTop = 0.91;
constexpr double kLabelH = 13, kCharW = 6.5;  // a number label's size in pixels (font ',9')

struct Pt {
  size_t layer = 0, family = 0;
  int number = 0;
  Spread x, y;
  double dodge = 1;  // drawn at x * dodge: configs at one cost (EESP and EESP-A) side by side
};

struct Range {
  double lo = 0, hi = 1;
  bool log = false;
  double frac(double v) const {
    return log ? (std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo)) : (v - lo) / (hi - lo);
  }
};

Range range_of(const std::vector<double>& lo, const std::vector<double>& hi, bool log, double min_span) {
  Range r;
  r.log = log;
  const double a = *std::min_element(lo.begin(), lo.end()), b = *std::max_element(hi.begin(), hi.end());
  if (log) {
    const double f = std::max(std::pow(b / a, 0.07), 1.12);
    r.lo = a / f, r.hi = b * f;
  } else {
    const double pad = std::max(0.08 * (b - a), min_span / 2);
    r.lo = a - pad, r.hi = b + pad;
  }
  return r;
}

double px_x(const Range& r, double v) { return (kLeft + r.frac(v) * (kRight - kLeft)) * kCanvasWidth; }
// Points of one layer closer than a few pixels in x are spread 9 pixels apart, centred on their x.
void dodge(std::vector<Pt>& pts, const Range& xr) {
  constexpr double kClose = 5, kStep = 9;
  const double px_per_log = (kRight - kLeft) * kCanvasWidth / (std::log(xr.hi) - std::log(xr.lo));
  std::vector<size_t> order(pts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::make_pair(pts[a].layer, pts[a].x.mean) < std::make_pair(pts[b].layer, pts[b].x.mean);
  });
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && pts[order[end]].layer == pts[order[start]].layer &&
           (std::log(pts[order[end]].x.mean) - std::log(pts[order[end - 1]].x.mean)) * px_per_log < kClose)
      ++end;
    std::sort(order.begin() + static_cast<long>(start), order.begin() + static_cast<long>(end),
              [&](size_t a, size_t b) { return pts[a].number < pts[b].number; });
    for (size_t k = start; k < end; ++k) {
      const double offset =
          (static_cast<double>(k - start) - static_cast<double>(end - start - 1) / 2) * kStep;
      pts[order[k]].dodge = std::exp(offset / px_per_log);
    }
    start = end;
  }
}

double px_y(const Range& r, double v) { return (kBottom + r.frac(v) * (kTop - kBottom)) * kCanvasHeight; }

std::vector<Pt> points_of(const ScatterSpec& spec, const SweepConfigs& c) {
  std::vector<Pt> pts;
  for (size_t l = 0; l < spec.layers.size(); ++l)
    for (const auto& p : c.points) {
      const auto x = spec.layers[l].x(p), y = spec.layers[l].y(p);
      if (!x || !y || x->min <= 0 || (spec.log_y && y->min <= 0)) continue;
      const size_t fam = std::find(c.families.begin(), c.families.end(), p.family) - c.families.begin();
      pts.push_back({l, fam, p.number, *x, *y});
    }
  return pts;
}

// The data blocks (one per layer and family, in number order) and their plot commands.
std::string data_and_lines(const ScatterSpec& spec, const SweepConfigs& c, const std::vector<Pt>& pts,
                           std::vector<std::string>& plots, size_t& index) {
  std::string data = fmt::format(
      "# {}: x xlow xhigh y ylow yhigh config-number dodge; mean, min, max over seeds; drawn at x * "
      "dodge (configs at one x side by side)\n",
      spec.name);
  for (size_t l = 0; l < spec.layers.size(); ++l)
    for (size_t f = 0; f < c.families.size(); ++f) {
      std::string block;
      for (const auto& p : pts)
        if (p.layer == l && p.family == f)
          block += fmt::format("{:.10g} {:.10g} {:.10g} {:.6f} {:.6f} {:.6f} {} {:.6f}\n", p.x.mean, p.x.min,
                               p.x.max, p.y.mean, p.y.min, p.y.max, p.number, p.dodge);
      if (block.empty()) continue;
      data += fmt::format("# layer {} family {}\n{}\n\n",
                          spec.layers[l].name.empty() ? "-" : spec.layers[l].name, c.families[f], block);
      plots.push_back(fmt::format(
          "'{}.dat' index {} using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt {} ps 0.9 "
          "lc rgb '{}' dt {} notitle",
          spec.name, index++, spec.layers[l].point_type, palette_colour(f), 1 + f / 12));
    }
  return data;
}

std::vector<size_t> front_of(const std::vector<Pt>& pts) {
  std::vector<std::pair<double, double>> ca;
  for (const auto& p : pts) ca.emplace_back(p.x.mean, p.y.mean);
  return pareto_front(ca);
}

std::string pareto_block(const ScatterSpec& spec, const std::vector<Pt>& pts,
                         const std::vector<size_t>& front, std::vector<std::string>& plots, size_t index) {
  std::string data = "# Pareto front: no other config is cheaper and at least as accurate\n";
  for (size_t i : front)
    data +=
        fmt::format("{:.10g} {:.6f} {} {:.6f}\n", pts[i].x.mean, pts[i].y.mean, pts[i].number, pts[i].dodge);
  plots.push_back(fmt::format(
      "'{}.dat' index {} using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle", spec.name, index));
  plots.push_back(
      fmt::format("'{}.dat' index {} using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle",
                  spec.name, index));
  return data + "\n\n";
}

// The legend: families (colour), layers (point type) when several, the front.
std::vector<std::string> legend(const ScatterSpec& spec, const SweepConfigs& c, const std::vector<Pt>& pts) {
  std::vector<std::string> entries;
  for (size_t f = 0; f < c.families.size(); ++f)
    if (std::any_of(pts.begin(), pts.end(), [&](const Pt& p) { return p.family == f; }))
      entries.push_back(fmt::format("NaN with linespoints lw 1.5 pt 7 lc rgb '{}' dt {} title {}",
                                    palette_colour(f), 1 + f / 12, gp_string(c.families[f])));
  if (spec.layers.size() > 1)
    for (const auto& l : spec.layers)
      entries.push_back(fmt::format("NaN with points pt {} ps 1.1 lc rgb '#444444' title {}", l.point_type,
                                    gp_string(l.name)));
  if (spec.pareto)
    entries.push_back("NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'");
  return entries;
}

// Number labels beside their points, placed so that none overlaps another nor a marker (the front's
// rings included); leaders where moved.
std::string number_labels(const std::vector<Pt>& pts, const std::vector<size_t>& front, const Range& xr,
                          const Range& yr) {
  std::vector<LabelRequest> req;
  std::vector<Obstacle> obstacles;
  for (const auto& p : pts) {
    const double x = px_x(xr, p.x.mean * p.dodge), y = px_y(yr, p.y.mean);
    req.push_back({x, y, kCharW * static_cast<double>(std::to_string(p.number).size()) + 4, kLabelH});
    obstacles.push_back({{x - 5, y - 5, x + 5, y + 5}, true});
    obstacles.push_back({{x - 3, px_y(yr, p.y.min), x + 3, px_y(yr, p.y.max)}, false});
    obstacles.push_back({{px_x(xr, p.x.min * p.dodge), y - 3, px_x(xr, p.x.max * p.dodge), y + 3}, false});
  }
  for (size_t i : front) {
    const double x = px_x(xr, pts[i].x.mean * pts[i].dodge), y = px_y(yr, pts[i].y.mean);
    obstacles.push_back({{x - 11, y - 11, x + 11, y + 11}, true});
  }
  const Box area{kLeft * kCanvasWidth + 2, kBottom * kCanvasHeight + 2, kRight * kCanvasWidth - 2,
                 kTop * kCanvasHeight - 2};
  const std::vector<Placement> at = place_labels(req, obstacles, area);
  std::string s = "# config numbers, placed by espbench so that none overlaps another (screen coordinates)\n";
  for (size_t i = 0; i < pts.size(); ++i) {
    const Box& b = at[i].box;
    s += fmt::format("set label {} at screen {:.5f},{:.5f} center font ',9' tc rgb '{}' front\n",
                     gp_string(std::to_string(pts[i].number)), (b.x0 + b.x1) / 2 / kCanvasWidth,
                     (b.y0 + b.y1) / 2 / kCanvasHeight, palette_colour(pts[i].family));
    if (!at[i].leader) continue;
    double bx = 0, by = 0;
    nearest_on_box(b, req[i].x, req[i].y, bx, by);
    s += fmt::format(
        "set arrow from screen {:.5f},{:.5f} to screen {:.5f},{:.5f} nohead lw 0.8 lc rgb '#888888' back\n",
        req[i].x / kCanvasWidth, req[i].y / kCanvasHeight, bx / kCanvasWidth, by / kCanvasHeight);
  }
  return s;
}

// The numbered table right of the plot, under the legend: "N  label (n=k)" in the family's colour.
std::string number_table(const SweepConfigs& c, const std::vector<Pt>& pts, size_t legend_entries) {
  std::vector<const ConfigPoint*> shown;
  for (const auto& p : c.points)
    if (std::any_of(pts.begin(), pts.end(), [&](const Pt& q) { return q.number == p.number; }))
      shown.push_back(&p);
  std::vector<int> counts;
  for (const auto* p : shown) counts.push_back(p->metric.n);
  const bool same_n = std::all_of(counts.begin(), counts.end(), [&](int n) { return n == counts.front(); });
  const double top = kTop * kCanvasHeight - static_cast<double>(legend_entries) * 17 - 22;
  const double row = std::min(14.0, (top - 0.02 * kCanvasHeight) / static_cast<double>(shown.size() + 1));
  const double x = (kRight + 0.03) / 1.0;
  std::string s = fmt::format("set label 'no.  config' at screen {:.5f},{:.5f} left font ',9' front\n", x,
                              top / kCanvasHeight);
  for (size_t i = 0; i < shown.size(); ++i) {
    const ConfigPoint& p = *shown[i];
    std::string text = p.label.size() > 52 ? p.label.substr(0, 49) + "..." : p.label;
    if (!same_n) text += fmt::format(" (n={})", p.metric.n);
    const size_t fam = std::find(c.families.begin(), c.families.end(), p.family) - c.families.begin();
    s += fmt::format("set label {} at screen {:.5f},{:.5f} left font ',{}' tc rgb '{}' front\n",
                     gp_string(fmt::format("{:>3}  {}", p.number, text)), x,
                     (top - row * static_cast<double>(i + 1)) / kCanvasHeight, row >= 12 ? 9 : 7,
                     palette_colour(fam));
  }
  return s;
}

std::string axes(const ScatterSpec& spec, const Range& xr, const Range& yr) {
  std::string s = fmt::format(
      "set title {}\nset xlabel {}\nset ylabel {}\nset lmargin at screen {}\nset rmargin at screen {}\n"
      "set bmargin at screen {}\nset tmargin at screen {}\nset grid lc rgb '#dddddd'\n",
      gp_string(spec.title), gp_string(spec.xlabel), gp_string(spec.ylabel), kLeft, kRight, kBottom, kTop);
  s += fmt::format("set logscale x\nset xrange [{:.10g}:{:.10g}]\nset xtics {}\nunset mxtics\n", xr.lo, xr.hi,
                   log_tics(xr.lo, xr.hi, spec.x_tic ? spec.x_tic : short_number));
  if (spec.log_y)
    s += fmt::format("set logscale y\nset yrange [{:.10g}:{:.10g}]\nset ytics {}\nunset mytics\n", yr.lo,
                     yr.hi, log_tics(yr.lo, yr.hi, spec.y_tic ? spec.y_tic : short_number));
  else
    s += fmt::format("set yrange [{:.10g}:{:.10g}]\n", yr.lo, yr.hi);
  return s + fmt::format("set key at screen {},{} left top Left reverse samplen 2 spacing 1.2 font ',10'\n",
                         kRight + 0.03, kTop);
}

}  // namespace

bool scatter_plot(const ScatterSpec& spec, const SweepConfigs& c, const std::string& dir,
                  std::vector<std::string>& files) {
  std::vector<Pt> pts = points_of(spec, c);
  if (pts.empty()) return false;
  std::vector<double> xlo, xhi, ylo, yhi;
  for (const auto& p : pts)
    xlo.push_back(p.x.min), xhi.push_back(p.x.max), ylo.push_back(p.y.min), yhi.push_back(p.y.max);
  const Range xr = range_of(xlo, xhi, true, 0), yr = range_of(ylo, yhi, spec.log_y, 1.0);
  dodge(pts, xr);
  std::vector<std::string> plots;
  size_t index = 0;
  std::string data = data_and_lines(spec, c, pts, plots, index);
  const std::vector<size_t> front =
      spec.pareto && spec.layers.size() == 1 ? front_of(pts) : std::vector<size_t>{};
  if (!front.empty()) data += pareto_block(spec, pts, front, plots, index);
  const std::vector<std::string> keys = legend(spec, c, pts);
  plots.insert(plots.end(), keys.begin(), keys.end());
  const std::string body = axes(spec, xr, yr) + number_labels(pts, front, xr, yr) +
                           number_table(c, pts, keys.size()) + "plot " + join(plots, ", \\\n     ") + "\n";
  write_plot(dir, spec.name, data, body, files);
  return true;
}

}  // namespace espbench::plot
