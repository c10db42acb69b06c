#include "harness/plot/label_place.h"

#include <algorithm>
#include <cmath>

namespace espbench::plot {

namespace {

constexpr double kGap = 2;       // pixels kept between two labels
constexpr double kNear = 4;      // distance of an adjacent label from its point's marker
constexpr double kRingStep = 9;  // pixels between rings
constexpr int kRings = 14;       // search radius: kRings * kRingStep
constexpr double kGridStep = 3;  // the last resort's scan

Box centred(double cx, double cy, double w, double h) {
  return {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
}

struct Checker {
  const std::vector<Obstacle>& obstacles;
  const Box& area;
  const std::vector<Placement>& placed;
  bool free(const Box& b, bool avoid_soft, bool avoid_hard = true) const {
    if (!b.inside(area)) return false;
    for (const auto& p : placed)
      if (b.overlaps(p.box, kGap)) return false;
    for (const auto& o : obstacles)
      if ((o.hard ? avoid_hard : avoid_soft) && b.overlaps(o.box)) return false;
    return true;
  }
};

// Candidates in order of preference: the four sides, the corners, then rings of 16 directions.
std::vector<Box> candidates(const LabelRequest& l) {
  const double dx = l.w / 2 + kNear + 4, dy = l.h / 2 + kNear + 4;
  std::vector<Box> c;
  for (const auto& [ox, oy] : std::vector<std::pair<double, double>>{
           {dx, 0}, {-dx, 0}, {0, dy}, {0, -dy}, {dx, dy}, {-dx, dy}, {dx, -dy}, {-dx, -dy}})
    c.push_back(centred(l.x + ox, l.y + oy, l.w, l.h));
  for (int r = 1; r <= kRings; ++r)
    for (int k = 0; k < 16; ++k) {
      const double a = k * M_PI / 8;
      c.push_back(centred(l.x + std::cos(a) * (dx + r * kRingStep), l.y + std::sin(a) * (dy + r * kRingStep),
                          l.w, l.h));
    }
  return c;
}

// The free box nearest the point on a grid over the whole area (nullptr-like: w < 0 when none).
bool grid_search(const LabelRequest& l, const Checker& check, bool avoid_hard, Box& out) {
  double best = 1e300;
  bool found = false;
  for (double cy = check.area.y0 + l.h / 2; cy <= check.area.y1 - l.h / 2; cy += kGridStep)
    for (double cx = check.area.x0 + l.w / 2; cx <= check.area.x1 - l.w / 2; cx += kGridStep) {
      const double d = std::hypot(cx - l.x, cy - l.y);
      if (d >= best) continue;
      const Box b = centred(cx, cy, l.w, l.h);
      if (check.free(b, false, avoid_hard)) best = d, out = b, found = true;
    }
  return found;
}

}  // namespace

void nearest_on_box(const Box& b, double x, double y, double& bx, double& by) {
  bx = std::clamp(x, b.x0, b.x1);
  by = std::clamp(y, b.y0, b.y1);
}

std::vector<Placement> place_labels(const std::vector<LabelRequest>& labels,
                                    const std::vector<Obstacle>& obstacles, const Box& area) {
  std::vector<Placement> placed;
  const Checker check{obstacles, area, placed};
  for (const auto& l : labels) {
    const std::vector<Box> cands = candidates(l);
    Placement p;
    bool done = false;
    for (bool avoid_soft : {true, false}) {
      for (size_t i = 0; i < cands.size() && !done; ++i)
        if (check.free(cands[i], avoid_soft)) p.box = cands[i], p.leader = i >= 8, done = true;
      if (done) break;
    }
    if (!done) done = grid_search(l, check, true, p.box) || grid_search(l, check, false, p.box);
    if (!done) p.box = centred(l.x, l.y, l.w, l.h);  // the area is full: nothing better exists
    if (done && !p.leader) {
      double bx = 0, by = 0;
      nearest_on_box(p.box, l.x, l.y, bx, by);
      p.leader = std::hypot(bx - l.x, by - l.y) > 3 * kNear + 4;
    }
    placed.push_back(p);
  }
  return placed;
}

}  // namespace espbench::plot
