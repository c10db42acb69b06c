// Fixed multi-step baseline (official FixedMultiStepLR): base_lr * gamma^(milestones passed), at the
// whole reference epoch of each step (schedule.h).
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
               milestones_option("reference epochs at which lr is multiplied by gamma (default: the "
                                 "official cyclic halving epochs)"),
               round_decimals_option()};
  e.make = [](ScheduleSettings& s) -> LRFunction {
    const std::vector<int64_t> milestones = resolve_milestones(s);
    const double gamma = s.options["gamma"].get<double>(), base = s.base_lr;
    const int decimals = static_cast<int>(s.options["round_decimals"].get<int64_t>());
    return [=](const TrainingProgress& progress) {
      const double passed = static_cast<double>(milestones_passed(milestones, progress.whole_epoch()));
      return round_decimals(base * std::pow(gamma, passed), decimals);
    };
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_SCHEDULE(step_entry());

}  // namespace espbench::train
