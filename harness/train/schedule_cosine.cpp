// Cosine annealing with optional warm restarts (SGDR, Loshchilov & Hutter, ICLR 2017, Sec. 3).
#include <fmt/format.h>

#include <cmath>

#include "harness/train/schedule.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

ScheduleEntry cosine_entry() {
  ScheduleEntry e;
  e.name = "cosine";
  e.description = "cosine annealing with optional warm restarts (SGDR)";
  e.list_rank = 2;
  e.options = {
      {"T_0", OptionType::Int, 0, "first cycle length in reference epochs (0: the whole run)", {}, 0, {}},
      {"T_mult", OptionType::Int, 1, "cycle length multiplier after each restart", {}, 1, 100},
      {"eta_min", OptionType::Float, 0.0, "lr at the end of each cycle", {}, 0.0, {}},
      {"per_step", OptionType::Bool, true, "anneal every step (false: once per reference epoch)"},
  };
  e.make = [](ScheduleSettings& s) -> LRFunction {
    int64_t t0 = s.options["T_0"].get<int64_t>();
    if (t0 == 0) t0 = s.options["reference_epochs"].get<int64_t>();
    const int64_t t_mult = s.options["T_mult"].get<int64_t>();
    const double eta_min = s.options["eta_min"].get<double>(), base = s.base_lr;
    const bool per_step = s.options["per_step"].get<bool>();
    if (eta_min > base)
      throw Error(fmt::format("{}: invalid value {} for option 'eta_min': expected <= base lr {}", s.where,
                              eta_min, base));
    return [=](const TrainingProgress& progress) {
      double tc = per_step ? progress.epoch() : static_cast<double>(progress.whole_epoch());
      double ti = static_cast<double>(t0);
      if (t_mult == 1) {
        tc -= std::floor(tc / ti) * ti;
      } else {
        while (tc >= ti) {
          tc -= ti;
          ti *= static_cast<double>(t_mult);
        }
      }
      return eta_min + (base - eta_min) * (1.0 + std::cos(M_PI * tc / ti)) / 2.0;
    };
  };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_SCHEDULE(cosine_entry());

}  // namespace espbench::train
