// Learning-rate schedules: each one is a pure function of (epoch, step within the epoch, steps per
// epoch) -> lr, built from a name + JSON options (validated with the option-schema machinery, so
// errors name the option, the bad value and what is valid) + the run's base lr and epoch count.
// Nothing here holds state between calls, so a resumed run gets exactly the same rates.
//
//   LRSchedule s = make_schedule("cyclic", json::object(), /*base_lr=*/0.1, /*epochs=*/300);
//   double lr = s.lr(epoch, step, steps_per_epoch);
//
// Schedules (epochs and steps are 0-based; t = epoch + step / steps_per_epoch in fractional epochs):
//
// cyclic   ESPNetv2's cyclic LR with warm restarts, exactly as the official code computes it
//          (reference spec 4.1; sacmehta/EdgeNets utilities/lr_scheduler.py::CyclicLR). Per epoch.
//          eta(e) = base_lr * gamma^(number of milestones <= e)  (repeated multiplication, as the
//          official code does); epoch 0 is a warm-up epoch at eta(0); for e >= 1
//              lr(e) = round(eta(e) * T - c * eta(e), round_decimals),
//              c = (e - s(e)) mod T,  s(e) = the last milestone <= e, or 1 when none has passed,
//          T = cycle_len. So each cycle runs T*eta, (T-1)*eta, ..., eta and every milestone starts a
//          fresh cycle. With the official milestones (m - 1 a multiple of T) this is the official
//          sequence, i.e. clr_schedule_epochs.txt for 300 epochs. (For milestones off the cycle grid
//          the official code keeps the phase (e - 1) mod T running; we restart the cycle instead.)
//          Rounding is Python's round(x, 5): correctly rounded decimal, ties to even.
//          Here base_lr is the cycle minimum eta; the peak is T * base_lr (0.5 for base 0.1).
// step     Fixed multi-step baseline: lr = round(base_lr * gamma^(number of milestones <= epoch),
//          round_decimals) (official FixedMultiStepLR). Per epoch.
// cosine   Cosine annealing with optional warm restarts (SGDR, Loshchilov & Hutter): cycle i lasts
//          T_i = T_0 * T_mult^i epochs; lr = eta_min + (base_lr - eta_min) * (1 + cos(pi t_i / T_i))
//          / 2 with t_i the time since the cycle began (t, or floor(t) when per_step is false).
//          T_0 = 0 means one cycle over the whole run (no restart).
// constant lr = base_lr.
//
// Default milestones (cyclic and step) for a run of E epochs scale the official 300-epoch list
// {51, 101, 131, 161, 191, 221, 251, 281} as m = 1 + round((m300 - 1) * E / 300) (half away from
// zero), then forced strictly increasing (m_i >= m_{i-1} + 1). Epoch 0 stays the single warm-up
// epoch and the rest keeps its proportions; at E = 300 the list is unchanged. E = 30 gives
// {6, 11, 14, 17, 20, 23, 26, 29}: two full 5-epoch cycles, then a fresh (shorter) cycle starting at
// every halving. Milestones >= E never take effect (very short runs lose the last halvings).
//
// Linear warm-up, an option of every schedule: for t < warmup_epochs the schedule's lr is scaled by
// warmup_start_factor + (1 - warmup_start_factor) * t / warmup_epochs (per step).
// Each schedule is one ScheduleEntry registered in its own file (schedule_<name>.cpp) with one
// ESPBENCH_REGISTER_SCHEDULE line; docs/extending.md shows how to add one.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "modules/options.h"
#include "modules/registry.h"

namespace espbench::train {

// A schedule's rate before the warm-up, for epoch `epoch` (0-based) at fractional epoch t (epoch +
// step / steps per epoch). Pure: no state between calls.
using LRFunction = std::function<double(int64_t epoch, double t)>;

// What a schedule is built from. `options` holds the resolved options (its own and the warm-up's);
// a schedule may fill in run-dependent defaults there (describe() reports them).
struct ScheduleSettings {
  std::string where;  // "lr schedule 'NAME'", the prefix of its error messages
  double base_lr = 0.1;
  int64_t epochs = 1;
  json options;
};

struct ScheduleEntry {
  std::string name;
  std::string description;  // one line
  int list_rank = 0;        // position in listings and error messages (then by name)
  OptionSchema options;     // the schedule's own options; every schedule also gets the warm-up's
  // Checks the options together (throws espbench::Error naming settings.where and the option) and
  // returns the rate function.
  std::function<LRFunction(ScheduleSettings& settings)> make;
};

Registry<ScheduleEntry>& schedule_registry();

class LRSchedule {
 public:
  // Learning rate for step `step` (0-based) of epoch `epoch` (0-based) of `steps_per_epoch` steps.
  // Epochs past the configured run length continue the formula.
  double lr(int64_t epoch, int64_t step = 0, int64_t steps_per_epoch = 1) const;

  // {"name": ..., "base_lr": ..., "epochs": ..., "options": resolved options incl. milestones}.
  json describe() const;

  const std::string& name() const { return name_; }
  // The resolved `milestones` option of the schedules that have one (empty otherwise).
  const std::vector<int64_t>& milestones() const { return milestones_; }

 private:
  friend LRSchedule make_schedule(const std::string&, const json&, double, int64_t);

  std::string name_;
  json options_;
  double base_lr_ = 0.1;
  int64_t epochs_ = 1;
  LRFunction rate_;
  std::vector<int64_t> milestones_;
  double warmup_epochs_ = 0.0, warmup_start_factor_ = 0.1;
};

// Builds and validates a schedule. `name` is one of schedule_names(); `options` a JSON object (or
// null) with the keys of schedule_option_schema(name); base_lr > 0; epochs >= 1.
LRSchedule make_schedule(const std::string& name, const json& options, double base_lr, int64_t epochs);

std::vector<std::string> schedule_names();
// The schedule's options followed by the warm-up's. Throws espbench::Error for an unknown name
// (listing the valid ones).
OptionSchema schedule_option_schema(const std::string& name);

// The official ESPNetv2 halving epochs scaled to a run of `epochs` epochs (rule above).
std::vector<int64_t> scaled_milestones(int64_t epochs);

// Shared by the milestone schedules (cyclic, step): the `milestones` option resolved (null: the
// scaled official list, written back into settings.options) and checked strictly increasing.
std::vector<int64_t> resolve_milestones(ScheduleSettings& settings);
// Number of milestones <= epoch (Python's bisect.bisect_right).
int64_t milestones_passed(const std::vector<int64_t>& milestones, int64_t epoch);
// The `milestones`, `gamma` and `round_decimals` options of the milestone schedules.
OptionSpec milestones_option(const std::string& help);
OptionSpec gamma_option(const std::string& help);
OptionSpec round_decimals_option();

// Python's round(x, decimals): the correctly rounded decimal value, ties to even.
double round_decimals(double x, int decimals);

}  // namespace espbench::train

#define ESPBENCH_REGISTER_SCHEDULE(entry_expr) \
  ESPBENCH_REGISTER(::espbench::train::schedule_registry(), entry_expr)
