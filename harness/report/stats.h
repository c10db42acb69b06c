// Statistics for comparing two sets of runs over their seeds: Student's t distribution (through the
// regularized incomplete beta function) and Welch's two-sample t-test.
//
//   WelchTest w = welch_test({81.2, 80.1, 82.0}, {78.9, 77.7, 79.8}, /*margin=*/0.0);
//   w.ci_low, w.ci_high   // 95% interval of mean(x) - mean(y)
//   w.p                   // one-sided p-value for H1: mean(x) - mean(y) > margin
//
// The interval uses the Welch-Satterthwaite degrees of freedom, so the two samples may have unequal
// variances and sizes. By construction ci_low > margin exactly when p < (1 - confidence) / 2.
#pragma once
#include <vector>

namespace espbench::report {

// I_x(a, b), the regularized incomplete beta function, for a, b > 0 and 0 <= x <= 1 (continued
// fraction, relative accuracy about 1e-14).
double incomplete_beta(double a, double b, double x);

// P(T <= t) for Student's t with df > 0 degrees of freedom (df need not be an integer).
double student_t_cdf(double t, double df);

// The t with P(T <= t) = p, 0 < p < 1, e.g. student_t_quantile(0.975, 2) = 4.3027.
double student_t_quantile(double p, double df);

struct WelchTest {
  double diff = 0;    // mean(x) - mean(y)
  double se = 0;      // standard error of diff: sqrt(var(x)/n_x + var(y)/n_y), sample variances
  double df = 0;      // Welch-Satterthwaite degrees of freedom; 0 when se == 0 (undefined)
  double t = 0;       // (diff - margin) / se; 0 when se == 0
  double ci_low = 0;  // diff -+ t_{(1+confidence)/2, df} * se; both equal diff when se == 0
  double ci_high = 0;
  double p = 1;  // one-sided p-value for H1: diff > margin (se == 0: 0 if diff > margin, else 1)
  bool zero_variance = false;  // both samples constant: the interval is the point diff
};

// Both samples need at least two values (throws std::invalid_argument otherwise).
WelchTest welch_test(const std::vector<double>& x, const std::vector<double>& y, double margin,
                     double confidence = 0.95);

}  // namespace espbench::report
