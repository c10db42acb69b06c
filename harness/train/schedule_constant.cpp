// The base learning rate throughout (with the optional warm-up every schedule has).
#include "harness/train/schedule.h"

namespace espbench::train {

namespace {

ScheduleEntry constant_entry() {
  ScheduleEntry e;
  e.name = "constant";
  e.description = "the base lr throughout";
  e.list_rank = 3;
  e.make = [](ScheduleSettings& s) -> LRFunction {
    const double base = s.base_lr;
    return [base](const TrainingProgress&) { return base; };
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_SCHEDULE(constant_entry());

}  // namespace espbench::train
