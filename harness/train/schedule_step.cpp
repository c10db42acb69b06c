// Fixed multi-step baseline (official FixedMultiStepLR): base_lr * gamma^(milestones passed).
#include <cmath>

#include "harness/train/schedule.h"

namespace espbench::train {

namespace {

ScheduleEntry step_entry() {
  ScheduleEntry e;
  e.name = "step";
  e.description = "multi-step: base lr times gamma at each milestone (official FixedMultiStepLR)";
  e.list_rank = 1;
  e.options = {gamma_option("lr multiplier at each milestone"),
               milestones_option("epochs at which lr is multiplied by gamma (default: official cyclic "
                                 "halving epochs scaled to the run)"),
               round_decimals_option()};
  e.make = [](ScheduleSettings& s) -> LRFunction {
    const std::vector<int64_t> milestones = resolve_milestones(s);
    const double gamma = s.options["gamma"].get<double>(), base = s.base_lr;
    const int decimals = static_cast<int>(s.options["round_decimals"].get<int64_t>());
    return [=](int64_t epoch, double) {
      return round_decimals(base * std::pow(gamma, static_cast<double>(milestones_passed(milestones, epoch))),
                            decimals);
    };
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_SCHEDULE(step_entry());

}  // namespace espbench::train
