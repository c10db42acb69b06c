#include "harness/plot/style.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace espbench::plot {

std::string palette_colour(size_t index) {
  static const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                                         "#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#661100"};
  return kPalette[index % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

std::string gp_string(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c == '\n' ? ' ' : c;
  }
  return q + "\"";
}

int integer_tic_step(int last) {
  for (int decade = 1;; decade *= 10)
    for (int m : {1, 2, 5})
      if ((last - 1) / (m * decade) <= 10) return m * decade;
}

std::string short_number(double v) {
  const double a = std::fabs(v);
  if (a >= 1e9) return fmt::format("{:g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

std::string log_tics(double lo, double hi, std::string (*format_tic)(double)) {
  std::vector<double> tics;
  for (const std::vector<double>& mantissas :
       {std::vector<double>{1, 2, 5}, std::vector<double>{1, 1.5, 2, 3, 5, 7},
        std::vector<double>{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}}) {
    tics.clear();
    for (int e = static_cast<int>(std::floor(std::log10(lo)));
         e <= static_cast<int>(std::ceil(std::log10(hi))); ++e)
      for (double m : mantissas) {
        const double t = m * std::pow(10.0, e);
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) tics.push_back(t);
      }
    if (tics.size() >= 3) break;
  }
  // An end left bare over more than a factor 1.6 gets one more tic, the nicest value near it (when
  // that is a factor 1.5 from its neighbour), so that points out there read against a labelled value.
  const std::vector<double> nice = {1, 1.5, 2, 3, 4, 5, 7};
  auto nice_near = [&](double v, bool below) {
    const int e = static_cast<int>(std::floor(std::log10(v)));
    double best = below ? 0 : 10 * std::pow(10.0, e);
    for (double m : nice) {
      const double t = m * std::pow(10.0, e);
      if (below && t <= v * (1 + 1e-9)) best = std::max(best, t);
      if (!below && t >= v * (1 - 1e-9)) best = std::min(best, t);
    }
    return best;
  };
  if (!tics.empty() && tics.back() * 1.6 < hi) {
    const double t = nice_near(hi, true);
    if (t > tics.back() * 1.5) tics.push_back(t);
  }
  if (!tics.empty() && tics.front() > lo * 1.6) {
    const double t = nice_near(lo, false);
    if (t * 1.5 < tics.front()) tics.insert(tics.begin(), t);
  }
  std::vector<std::string> parts;
  for (double t : tics) parts.push_back(fmt::format("{} {:.10g}", gp_string(format_tic(t)), t));
  return "(" + fmt::format("{}", fmt::join(parts, ", ")) + ")";
}

std::string seeds_phrase(const std::vector<int>& counts) {
  if (counts.empty()) return "no seeds";
  const int lo = *std::min_element(counts.begin(), counts.end());
  const int hi = *std::max_element(counts.begin(), counts.end());
  if (lo == hi) return hi == 1 ? "one seed" : fmt::format("{} seeds", hi);
  return fmt::format("{}-{} seeds", lo, hi);
}

}  // namespace espbench::plot
