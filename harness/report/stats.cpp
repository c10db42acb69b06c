#include "harness/report/stats.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace espbench::report {

namespace {

// The continued fraction of I_x(a, b) (the factor after x^a (1-x)^b / (a B(a, b))), evaluated with
// the modified Lentz method; converges fast for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-15;
  // f = 1 / (1 + d1 / (1 + d2 / (1 + ...))), with d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)) and
  // d_{2m} = m (b-m) x / ((a+2m-1)(a+2m)).
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    const double even = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    const double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    for (double coef : {even, odd}) {
      d = 1.0 + coef * d;
      if (std::fabs(d) < tiny) d = tiny;
      c = 1.0 + coef / c;
      if (std::fabs(c) < tiny) c = tiny;
      d = 1.0 / d;
      f *= c * d;
    }
    if (std::fabs(c * d - 1.0) < eps) break;
  }
  return f;
}

}  // namespace

double incomplete_beta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
    throw std::invalid_argument("incomplete_beta: needs a, b > 0 and 0 <= x <= 1");
  if (x == 0 || x == 1) return x;
  const double log_front =
      a * std::log(x) + b * std::log1p(-x) + std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b);
  // The fraction converges fast on one side of the mean; the other side by I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_fraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * beta_fraction(b, a, 1.0 - x) / b;
}

double student_t_cdf(double t, double df) {
  if (!(df > 0)) throw std::invalid_argument("student_t_cdf: needs df > 0");
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  // P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
  const double tail = 0.5 * incomplete_beta(0.5 * df, 0.5, df / (df + t * t));
  return t > 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0) || !(p < 1) || !(df > 0))
    throw std::invalid_argument("student_t_quantile: needs 0 < p < 1 and df > 0");
  if (p == 0.5) return 0.0;
  // Solve I_x(df/2, 1/2) = 2 * min(p, 1-p) for x by bisection (I_x increases with x), then
  // |t| = sqrt(df (1 - x) / x).
  const double target = 2.0 * std::fmin(p, 1.0 - p);
  double lo = 0.0, hi = 1.0;
  for (int i = 0; i < 2000; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (incomplete_beta(0.5 * df, 0.5, mid) < target ? lo : hi) = mid;
  }
  const double x = 0.5 * (lo + hi);
  const double t = std::sqrt(df * (1.0 - x) / x);
  return p > 0.5 ? t : -t;
}

WelchTest welch_test(const std::vector<double>& x, const std::vector<double>& y, double margin,
                     double confidence) {
  if (x.size() < 2 || y.size() < 2) throw std::invalid_argument("welch_test: needs >= 2 values per sample");
  if (!(confidence > 0) || !(confidence < 1)) throw std::invalid_argument("welch_test: 0 < confidence < 1");
  auto mean_var = [](const std::vector<double>& v) {
    double m = 0;
    for (double e : v) m += e;
    m /= static_cast<double>(v.size());
    double ss = 0;
    for (double e : v) ss += (e - m) * (e - m);
    return std::make_pair(m, ss / static_cast<double>(v.size() - 1));
  };
  const auto [mx, vx] = mean_var(x);
  const auto [my, vy] = mean_var(y);
  const double nx = static_cast<double>(x.size()), ny = static_cast<double>(y.size());
  const double qx = vx / nx, qy = vy / ny;
  WelchTest w;
  w.diff = mx - my;
  w.se = std::sqrt(qx + qy);
  if (w.se == 0) {
    w.zero_variance = true;
    w.ci_low = w.ci_high = w.diff;
    w.p = w.diff > margin ? 0.0 : 1.0;
    return w;
  }
  w.df = (qx + qy) * (qx + qy) / (qx * qx / (nx - 1.0) + qy * qy / (ny - 1.0));
  const double half = student_t_quantile(0.5 + 0.5 * confidence, w.df) * w.se;
  w.ci_low = w.diff - half;
  w.ci_high = w.diff + half;
  w.t = (w.diff - margin) / w.se;
  w.p = student_t_cdf(-w.t, w.df);  // P(T > t), without the cancellation of 1 - cdf(t)
  return w;
}

}  // namespace espbench::report
