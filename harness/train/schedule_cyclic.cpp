// ESPNetv2's cyclic learning rate with warm restarts (official EdgeNets CyclicLR), evaluated at the
// whole reference epoch of each step; the formula and its rounding are documented in schedule.h.
#include <fmt/format.h>

#include "harness/train/schedule.h"

namespace espbench::train {

namespace {

ScheduleEntry cyclic_entry() {
  ScheduleEntry e;
  e.name = "cyclic";
  e.description = "ESPNetv2's cyclic lr with warm restarts (official CyclicLR), on training progress";
  e.list_rank = 0;
  e.options = {{"cycle_len", OptionType::Int, 5, "cycle length T in reference epochs", {}, 1, 1000},
               gamma_option("eta multiplier at each milestone"),
               milestones_option("reference epochs at which eta is multiplied by gamma (default: the "
                                 "official list)"),
               round_decimals_option()};
  e.make = [](ScheduleSettings& s) -> LRFunction {
    const std::vector<int64_t> milestones = resolve_milestones(s);
    const double gamma = s.options["gamma"].get<double>(), base = s.base_lr;
    const int64_t cycle = s.options["cycle_len"].get<int64_t>();
    const int decimals = static_cast<int>(s.options["round_decimals"].get<int64_t>());
    return [=](const TrainingProgress& progress) {
      const int64_t epoch = progress.whole_epoch();
      // Same floating-point operations as the official code: eta by repeated multiplication, then
      // eta * T - c * eta.
      const int64_t k = milestones_passed(milestones, epoch);
      double eta = base;
      for (int64_t i = 0; i < k; ++i) eta *= gamma;
      if (epoch == 0) return eta;  // warm-up epoch at eta
      const int64_t start = k > 0 ? milestones[k - 1] : 1;
      const int64_t c = (epoch - start) % cycle;
      const double lr = eta * static_cast<double>(cycle) - static_cast<double>(c) * eta;
      return round_decimals(lr, decimals);
    };
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_SCHEDULE(cyclic_entry());

}  // namespace espbench::train
