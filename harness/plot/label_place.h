// Placing point labels so that no two overlap: pure geometry in pixels (y up), tested on its own.
//
//   std::vector<Placement> at = place_labels(labels, obstacles, plot_area);
//
// Each label is tried right of, left of, above and below its point, then on rings of growing radius
// around it; a candidate must lie inside `area`, overlap no label placed before it and no hard
// obstacle (point markers), and preferably no soft one (error bars). When no ring up to the search
// radius has room, soft obstacles are given up, then any free spot of the area (scanned on a fine
// grid) nearest the point is taken. A label away from its point gets a leader line. Labels never
// overlap one another while the area has room for them all.
#pragma once
#include <vector>

namespace espbench::plot {

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // x0 <= x1, y0 <= y1
  bool overlaps(const Box& o, double gap = 0) const {
    return x0 < o.x1 + gap && o.x0 < x1 + gap && y0 < o.y1 + gap && o.y0 < y1 + gap;
  }
  bool inside(const Box& o) const { return x0 >= o.x0 && x1 <= o.x1 && y0 >= o.y0 && y1 <= o.y1; }
};

struct Obstacle {
  Box box;
  bool hard = true;  // false: avoided while there is room (error bars)
};

struct LabelRequest {
  double x = 0, y = 0;  // the point
  double w = 0, h = 0;  // the label's size
};

struct Placement {
  Box box;              // where the label goes
  bool leader = false;  // drawn away from its point: join them with a line
};

std::vector<Placement> place_labels(const std::vector<LabelRequest>& labels,
                                    const std::vector<Obstacle>& obstacles, const Box& area);

// The point of `b` nearest to (x, y): where a leader line from the point meets the label.
void nearest_on_box(const Box& b, double x, double y, double& bx, double& by);

}  // namespace espbench::plot
