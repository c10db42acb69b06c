#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "harness/train/schedule.h"
#include "modules/error.h"

using namespace espbench;
using namespace espbench::train;

namespace {

// The official code's per-epoch learning rates over 300 epochs (tests/fixtures), as "epoch:lr" tokens.
std::vector<std::pair<int64_t, double>> read_clr_reference() {
  std::ifstream in(ESPBENCH_SOURCE_DIR "/tests/fixtures/clr_schedule_epochs.txt");
  REQUIRE(in.good());
  std::vector<std::pair<int64_t, double>> out;
  std::string token;
  while (in >> token) {
    auto colon = token.find(':');
    REQUIRE(colon != std::string::npos);
    out.emplace_back(std::stoll(token.substr(0, colon)), std::strtod(token.c_str() + colon + 1, nullptr));
  }
  return out;
}

}  // namespace

TEST_CASE("cyclic schedule reproduces the official 300-epoch list exactly", "[schedule]") {
  auto reference = read_clr_reference();
  REQUIRE(reference.size() == 300);
  LRSchedule s = make_schedule("cyclic", json::object(), 0.1, 300);
  REQUIRE(s.milestones() == std::vector<int64_t>{51, 101, 131, 161, 191, 221, 251, 281});
  for (const auto& [epoch, lr] : reference) {
    INFO("epoch " << epoch);
    REQUIRE(s.lr(epoch) == lr);  // bitwise: same 5-decimal rounding as Python's round()
    // Constant within the epoch.
    REQUIRE(s.lr(epoch, 37, 100) == lr);
  }
  // Where the rounding of eta*T - c*eta matters (0.003125 rounds down here but up at epoch 252).
  REQUIRE(s.lr(195) == 0.00312);
  REQUIRE(s.lr(252) == 0.00313);
}

TEST_CASE("a compressed cyclic schedule is the official curve at the same fraction of training",
          "[schedule]") {
  const auto reference = read_clr_reference();
  // Official value at reference epoch P.
  auto official = [&](int64_t p) { return reference.at(static_cast<size_t>(p)).second; };
  for (const int64_t epochs : {1, 2, 6, 30, 90}) {
    for (const int64_t spe : {1, 7, 79, 469}) {
      INFO(epochs << " epochs x " << spe << " steps");
      const LRSchedule s = make_schedule("cyclic", json::object(), 0.1, epochs);
      const int64_t total = epochs * spe;
      // Every step of short runs, sampled steps of long ones.
      const int64_t stride = std::max<int64_t>(1, total / 997);
      for (int64_t t = 0; t < total; t += stride) {
        INFO("step " << t);
        REQUIRE(s.lr_at(t, total) == official(300 * t / total));
        REQUIRE(s.lr(t / spe, t % spe, spe) == s.lr_at(t, total));
      }
    }
  }
  SECTION("6 epochs: the per-epoch means of the compressed paper schedule") {
    const LRSchedule s = make_schedule("cyclic", json::object(), 0.1, 6);
    const int64_t spe = 3000;  // 500 steps per reference epoch: the means are the reference's
    const std::vector<double> expected{0.300, 0.150, 0.061, 0.021, 0.0066, 0.0019};
    for (int64_t e = 0; e < 6; ++e) {
      double sum = 0;
      for (int64_t i = 0; i < spe; ++i) sum += s.lr(e, i, spe);
      INFO("epoch " << e);
      REQUIRE(sum / spe == Approx(expected[e]).epsilon(0.03));
    }
    // The run ends where the paper's ends, not at a cycle peak.
    REQUIRE(s.lr(5, spe - 1, spe) == 0.00078);
  }
  SECTION("a 300-epoch run changes the rate once per epoch, a 3-epoch run every step of 100") {
    const LRSchedule s = make_schedule("cyclic", json::object(), 0.1, 3);
    REQUIRE(s.lr(0, 0, 100) == 0.1);  // reference epoch 0: warm-up at eta
    REQUIRE(s.lr(0, 1, 100) == 0.5);  // reference epoch 1: the first peak
    REQUIRE(s.lr(0, 2, 100) == 0.4);
    REQUIRE(s.lr(0, 50, 100) == 0.1);
    REQUIRE(s.lr(0, 51, 100) == 0.25);  // reference epoch 51: the first halving restarts the cycle
    REQUIRE(s.lr(2, 99, 100) == 0.00078);
  }
  SECTION("options: cycle length, gamma, explicit milestones, reference length, no rounding") {
    LRSchedule s = make_schedule("cyclic",
                                 {{"cycle_len", 3},
                                  {"gamma", 0.1},
                                  {"milestones", {4}},
                                  {"round_decimals", -1},
                                  {"reference_epochs", 10}},
                                 0.2, 10);
    REQUIRE(s.lr(0) == Approx(0.2));
    REQUIRE(s.lr(1) == Approx(0.6));
    REQUIRE(s.lr(2) == Approx(0.4));
    REQUIRE(s.lr(3) == Approx(0.2));
    REQUIRE(s.lr(4) == Approx(0.06));
    REQUIRE(s.lr(7) == Approx(0.06));
    REQUIRE(s.describe()["options"]["milestones"] == json::array({4}));
    // The same recipe run for 20 epochs: each reference epoch lasts two.
    LRSchedule l = make_schedule("cyclic",
                                 {{"cycle_len", 3},
                                  {"gamma", 0.1},
                                  {"milestones", {4}},
                                  {"round_decimals", -1},
                                  {"reference_epochs", 10}},
                                 0.2, 20);
    for (int64_t e = 0; e < 20; ++e) REQUIRE(l.lr(e) == s.lr(e / 2));
  }
}

TEST_CASE("step schedule: base * gamma^(milestones passed) on the reference epoch", "[schedule]") {
  LRSchedule s = make_schedule("step", json::object(), 0.1, 300);
  REQUIRE(s.milestones() == official_milestones());
  for (int64_t e = 0; e < 300; ++e) {
    int64_t k = 0;
    for (int64_t m : s.milestones()) k += e >= m;
    REQUIRE(s.lr(e) == round_decimals(0.1 * std::pow(0.5, k), 5));
  }
  // Compressed to 3 epochs of 100 steps: step t is at reference epoch 3t.
  LRSchedule c = make_schedule("step", json::object(), 0.1, 3);
  for (int64_t t = 0; t < 300; ++t) REQUIRE(c.lr_at(t, 300) == s.lr(t));
  LRSchedule t =
      make_schedule("step", {{"milestones", {3, 6}}, {"gamma", 0.1}, {"reference_epochs", 10}}, 0.1, 10);
  REQUIRE(t.lr(2) == Approx(0.1));
  REQUIRE(t.lr(3) == Approx(0.01));
  REQUIRE(t.lr(6, 5, 10) == Approx(0.001));
}

TEST_CASE("cosine schedule with and without warm restarts", "[schedule]") {
  const double base = 0.4, eta_min = 0.01;
  auto cosine = [&](double t, double T) {
    return eta_min + (base - eta_min) * (1 + std::cos(M_PI * t / T)) / 2;
  };
  SECTION("one cycle over the run, per step") {
    LRSchedule s = make_schedule("cosine", {{"eta_min", eta_min}}, base, 20);
    REQUIRE(s.lr(0) == Approx(base));
    REQUIRE(s.lr(10) == Approx((base + eta_min) / 2));
    REQUIRE(s.lr(7, 3, 10) == Approx(cosine(7.3, 20)));
    REQUIRE(s.lr(19, 9, 10) == Approx(cosine(19.9, 20)));
  }
  SECTION("SGDR: T_0 = 4, T_mult = 2 restarts at epochs 4, 12, 28") {
    LRSchedule s = make_schedule(
        "cosine", {{"T_0", 4}, {"T_mult", 2}, {"eta_min", eta_min}, {"reference_epochs", 40}}, base, 40);
    REQUIRE(s.lr(3, 5, 10) == Approx(cosine(3.5, 4)));
    REQUIRE(s.lr(4) == Approx(base));
    REQUIRE(s.lr(8) == Approx(cosine(4, 8)));
    REQUIRE(s.lr(12) == Approx(base));
    REQUIRE(s.lr(20, 5, 10) == Approx(cosine(8.5, 16)));
    REQUIRE(s.lr(28) == Approx(base));
  }
  SECTION("T_mult = 1 restarts every T_0; per-epoch annealing is constant within an epoch") {
    LRSchedule s =
        make_schedule("cosine", {{"T_0", 5}, {"per_step", false}, {"reference_epochs", 20}}, base, 20);
    REQUIRE(s.lr(5) == Approx(base));
    REQUIRE(s.lr(17, 0, 4) == Approx(s.lr(17, 3, 4)));
    REQUIRE(s.lr(17, 3, 4) == Approx(base * (1 + std::cos(M_PI * 2 / 5)) / 2));
  }
}

TEST_CASE("linear warm-up in steps wraps any schedule", "[schedule]") {
  for (const std::string name : {"cyclic", "step", "cosine", "constant"}) {
    INFO(name);
    LRSchedule plain = make_schedule(name, json::object(), 0.1, 30);
    LRSchedule warm = make_schedule(name, {{"warmup_steps", 20}, {"warmup_start_factor", 0.2}}, 0.1, 30);
    REQUIRE(warm.lr(0, 0, 10) == Approx(0.2 * plain.lr(0, 0, 10)));
    REQUIRE(warm.lr(1, 0, 10) == Approx(0.6 * plain.lr(1, 0, 10)));
    REQUIRE(warm.lr(1, 5, 10) == Approx(0.8 * plain.lr(1, 5, 10)));
    REQUIRE(warm.lr(2, 0, 10) == Approx(plain.lr(2, 0, 10)));
    REQUIRE(warm.lr(9, 0, 10) == Approx(plain.lr(9, 0, 10)));
  }
  REQUIRE(make_schedule("constant", json::object(), 0.3, 5).lr(4) == 0.3);
}

TEST_CASE("schedule errors name the schedule, the option and what is valid", "[schedule]") {
  REQUIRE_THROWS_WITH(make_schedule("cyclc", json::object(), 0.1, 10),
                      Catch::Contains("'cyclc'") && Catch::Contains("did you mean 'cyclic'") &&
                          Catch::Contains("cyclic, step, cosine, constant"));
  REQUIRE_THROWS_WITH(make_schedule("cyclic", {{"cycle_length", 5}}, 0.1, 10),
                      Catch::Contains("'cycle_length'") && Catch::Contains("cycle_len"));
  REQUIRE_THROWS_WITH(make_schedule("cyclic", {{"gamma", 2.0}}, 0.1, 10),
                      Catch::Contains("'gamma'") && Catch::Contains("[1e-09, 1]"));
  REQUIRE_THROWS_WITH(make_schedule("step", {{"milestones", {5, 3}}}, 0.1, 10),
                      Catch::Contains("'milestones'") && Catch::Contains("strictly increasing"));
  REQUIRE_THROWS_WITH(make_schedule("cosine", {{"eta_min", 0.5}}, 0.1, 10),
                      Catch::Contains("'eta_min'") && Catch::Contains("<= base lr"));
  REQUIRE_THROWS_WITH(make_schedule("cosine", json::object(), -0.1, 10), Catch::Contains("base lr"));
  REQUIRE_THROWS_WITH(make_schedule("cosine", json::object(), 0.1, 0), Catch::Contains("epochs"));
  REQUIRE_THROWS_AS(make_schedule("constant", json::object(), 0.1, 10).lr(-1), Error);
  REQUIRE_THROWS_AS(make_schedule("constant", json::object(), 0.1, 10).lr(0, 4, 4), Error);
  REQUIRE_THROWS_AS(make_schedule("constant", json::object(), 0.1, 10).lr_at(0, 0), Error);
  REQUIRE_THROWS_WITH(make_schedule("cyclic", {{"reference_epochs", 0}}, 0.1, 10),
                      Catch::Contains("'reference_epochs'"));
  REQUIRE_THROWS_AS(schedule_option_schema("nope"), Error);
}

TEST_CASE("round_decimals behaves like Python's round(x, n)", "[schedule]") {
  REQUIRE(round_decimals(2.675, 2) == 2.67);  // 2.675 is stored just below
  REQUIRE(round_decimals(0.125, 2) == 0.12);  // exact tie: to even
  REQUIRE(round_decimals(0.375, 2) == 0.38);
  REQUIRE(round_decimals(0.1 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 5, 5) == 0.00195);
  REQUIRE(round_decimals(0.123456, -1) == 0.123456);
}
