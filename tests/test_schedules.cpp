#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/train/schedule.h"
#include "modules/error.h"

using namespace espbench;
using namespace espbench::train;

namespace {

// The official per-epoch list (reference spec 4.1): "epoch:lr" tokens. The shared reference copy
// is preferred; tests/fixtures holds a verbatim copy for checkouts without ../shared.
std::vector<std::pair<int64_t, double>> read_clr_reference() {
  std::string path = ESPBENCH_SOURCE_DIR "/../shared/reference/clr_schedule_epochs.txt";
  if (!std::filesystem::exists(path)) path = ESPBENCH_SOURCE_DIR "/tests/fixtures/clr_schedule_epochs.txt";
  std::ifstream in(path);
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

TEST_CASE("cyclic schedule scales its halving epochs to shorter runs", "[schedule]") {
  SECTION("the rule") {
    REQUIRE(scaled_milestones(300) == std::vector<int64_t>{51, 101, 131, 161, 191, 221, 251, 281});
    REQUIRE(scaled_milestones(30) == std::vector<int64_t>{6, 11, 14, 17, 20, 23, 26, 29});
    REQUIRE(scaled_milestones(600) == std::vector<int64_t>{101, 201, 261, 321, 381, 441, 501, 561});
    for (int64_t e = 1; e <= 400; ++e) {
      auto m = scaled_milestones(e);
      REQUIRE(m.size() == 8);
      REQUIRE(m.front() >= 1);
      for (size_t i = 1; i < m.size(); ++i) REQUIRE(m[i] > m[i - 1]);
    }
  }
  SECTION("30 epochs: warm-up, two full cycles, then a fresh cycle at every halving") {
    LRSchedule s = make_schedule("cyclic", json::object(), 0.1, 30);
    const std::vector<double> expected{
        0.1,                                   // 0: warm-up at eta
        0.5,     0.4,     0.3,     0.2, 0.1,   // 1-5
        0.25,    0.2,     0.15,    0.1, 0.05,  // 6-10 (eta 0.05)
        0.125,   0.1,     0.075,               // 11-13 (eta 0.025)
        0.0625,  0.05,    0.0375,              // 14-16
        0.03125, 0.025,   0.01875,             // 17-19
        0.01562, 0.0125,  0.00937,             // 20-22 (Python rounding of 0.015625 and 0.009375)
        0.00781, 0.00625, 0.00469,             // 23-25
        0.00391, 0.00313, 0.00234,             // 26-28
        0.00195};                              // 29
    REQUIRE(expected.size() == 30);
    for (int64_t e = 0; e < 30; ++e) {
      INFO("epoch " << e);
      REQUIRE(s.lr(e) == Approx(expected[e]).margin(1e-12));
    }
    // Every halving starts a fresh cycle at its peak T * eta.
    for (size_t i = 0; i < s.milestones().size(); ++i)
      REQUIRE(s.lr(s.milestones()[i]) == Approx(5 * 0.1 * std::pow(0.5, i + 1)).margin(1e-5));
  }
  SECTION("options: cycle length, gamma, explicit milestones, no rounding") {
    LRSchedule s = make_schedule(
        "cyclic", {{"cycle_len", 3}, {"gamma", 0.1}, {"milestones", {4}}, {"round_decimals", -1}}, 0.2, 10);
    REQUIRE(s.lr(0) == Approx(0.2));
    REQUIRE(s.lr(1) == Approx(0.6));
    REQUIRE(s.lr(2) == Approx(0.4));
    REQUIRE(s.lr(3) == Approx(0.2));
    REQUIRE(s.lr(4) == Approx(0.06));
    REQUIRE(s.lr(7) == Approx(0.06));
    REQUIRE(s.describe()["options"]["milestones"] == json::array({4}));
  }
}

TEST_CASE("step schedule: base * gamma^(milestones passed)", "[schedule]") {
  LRSchedule s = make_schedule("step", json::object(), 0.1, 300);
  REQUIRE(s.milestones() == scaled_milestones(300));
  for (int64_t e = 0; e < 300; ++e) {
    int64_t k = 0;
    for (int64_t m : s.milestones()) k += e >= m;
    REQUIRE(s.lr(e) == round_decimals(0.1 * std::pow(0.5, k), 5));
  }
  LRSchedule t = make_schedule("step", {{"milestones", {3, 6}}, {"gamma", 0.1}}, 0.1, 10);
  REQUIRE(t.lr(2) == Approx(0.1));
  REQUIRE(t.lr(3) == Approx(0.01));
  REQUIRE(t.lr(6, 5, 10) == Approx(0.001));
  REQUIRE(make_schedule("step", json::object(), 0.1, 30).milestones() == scaled_milestones(30));
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
    LRSchedule s = make_schedule("cosine", {{"T_0", 4}, {"T_mult", 2}, {"eta_min", eta_min}}, base, 40);
    REQUIRE(s.lr(3, 5, 10) == Approx(cosine(3.5, 4)));
    REQUIRE(s.lr(4) == Approx(base));
    REQUIRE(s.lr(8) == Approx(cosine(4, 8)));
    REQUIRE(s.lr(12) == Approx(base));
    REQUIRE(s.lr(20, 5, 10) == Approx(cosine(8.5, 16)));
    REQUIRE(s.lr(28) == Approx(base));
  }
  SECTION("T_mult = 1 restarts every T_0; per-epoch annealing is constant within an epoch") {
    LRSchedule s = make_schedule("cosine", {{"T_0", 5}, {"per_step", false}}, base, 20);
    REQUIRE(s.lr(5) == Approx(base));
    REQUIRE(s.lr(17, 0, 4) == Approx(s.lr(17, 3, 4)));
    REQUIRE(s.lr(17, 3, 4) == Approx(base * (1 + std::cos(M_PI * 2 / 5)) / 2));
  }
}

TEST_CASE("linear warm-up wraps any schedule", "[schedule]") {
  for (const std::string name : {"cyclic", "step", "cosine", "constant"}) {
    INFO(name);
    LRSchedule plain = make_schedule(name, json::object(), 0.1, 30);
    LRSchedule warm = make_schedule(name, {{"warmup_epochs", 2}, {"warmup_start_factor", 0.2}}, 0.1, 30);
    REQUIRE(warm.lr(0, 0, 10) == Approx(0.2 * plain.lr(0, 0, 10)));
    REQUIRE(warm.lr(1, 0, 10) == Approx(0.6 * plain.lr(1, 0, 10)));
    REQUIRE(warm.lr(1, 5, 10) == Approx(0.8 * plain.lr(1, 5, 10)));
    REQUIRE(warm.lr(2, 0, 10) == Approx(plain.lr(2, 0, 10)));
    REQUIRE(warm.lr(9) == Approx(plain.lr(9)));
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
  REQUIRE_THROWS_AS(schedule_option_schema("nope"), Error);
}

TEST_CASE("round_decimals behaves like Python's round(x, n)", "[schedule]") {
  REQUIRE(round_decimals(2.675, 2) == 2.67);  // 2.675 is stored just below
  REQUIRE(round_decimals(0.125, 2) == 0.12);  // exact tie: to even
  REQUIRE(round_decimals(0.375, 2) == 0.38);
  REQUIRE(round_decimals(0.1 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 5, 5) == 0.00195);
  REQUIRE(round_decimals(0.123456, -1) == 0.123456);
}
