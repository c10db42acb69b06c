// Learning-rate schedules as functions of training progress. Step t of a run of T steps sits at
// reference epoch p = R * t / T, where R is the length of the recipe the schedule comes from
// (`reference_epochs`, default 300: ESPNetv2's ImageNet recipe). A run of R epochs therefore follows
// the recipe epoch for epoch, and a run of any other length follows the same curve compressed or
// stretched: the cycles, halvings and annealing keep their place as fractions of the run. The rate
// is recomputed at every step; schedules that the recipe defines per epoch (cyclic, step) take the
// value of the whole reference epoch floor(p), so in a run shorter than R they change every T/R
// steps. Nothing here holds state between calls, so a resumed run gets exactly the same rates.
//
//   LRSchedule s = make_schedule("cyclic", json::object(), /*base_lr=*/0.1, /*epochs=*/6);
//   double lr = s.lr(epoch, step, steps_per_epoch);     // or s.lr_at(t, total_steps)
//
// Schedules (p = reference epoch as above; P = floor(p), computed exactly in integers):
//
// cyclic   ESPNetv2's cyclic learning rate with warm restarts, as the official code computes it per
//          epoch (EdgeNets utilities/lr_scheduler.py, CyclicLR), evaluated at P:
//            eta(P) = base_lr * gamma^(milestones <= P)  (repeated multiplication, as the official
//            code does); P = 0 is a warm-up epoch at eta(0); for P >= 1
//              lr = round(eta * T - c * eta, round_decimals),  c = (P - s) mod T,
//            s = the last milestone <= P, or 1 when none has passed, T = cycle_len.
//          Each cycle runs T*eta, (T-1)*eta, ..., eta and every milestone starts a fresh cycle; with
//          the official milestones this is the official 300-epoch sequence. base_lr is the cycle
//          minimum eta; the peak is T * base_lr (0.5 for 0.1). Rounding is Python's round(x, 5).
// step     Multi-step (official FixedMultiStepLR): round(base_lr * gamma^(milestones <= P)).
// cosine   Cosine annealing with optional warm restarts (SGDR, Loshchilov & Hutter) on p: cycle i
//          lasts T_i = T_0 * T_mult^i reference epochs (T_0 = 0: one cycle over the whole run);
//          lr = eta_min + (base_lr - eta_min) * (1 + cos(pi t_i / T_i)) / 2, t_i the time since
//          the cycle began (p, or P when per_step is false).
// constant lr = base_lr.
//
// Milestones (cyclic, step) are reference epochs; the default is the official list
// {51, 101, 131, 161, 191, 221, 251, 281} of the 300-epoch recipe.
//
// Every schedule also takes `reference_epochs` (R) and a linear warm-up in steps: for t <
// warmup_steps the rate is scaled by warmup_start_factor + (1 - warmup_start_factor) * t /
// warmup_steps. Each schedule is one ScheduleEntry registered in its own file (schedule_<name>.cpp)
// with one ESPBENCH_REGISTER_SCHEDULE line; docs/extending.md shows how to add one.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "modules/options.h"
#include "modules/registry.h"

namespace espbench::train {

// Where a step lies in its run: step `step` (0-based) of `total` steps, on a recipe of
// `reference_epochs` epochs.
struct TrainingProgress {
  int64_t step = 0, total = 1, reference_epochs = 300;
  // The reference epoch p = R * step / total, and its whole part (exact integer arithmetic).
  double epoch() const;
  int64_t whole_epoch() const;
  // step / total: the fraction of the run done, in [0, 1) within the run.
  double fraction() const;
};

// A schedule's rate before the warm-up. Pure: no state between calls.
using LRFunction = std::function<double(const TrainingProgress& progress)>;

// What a schedule is built from. `options` holds the resolved options (its own and the shared
// ones); a schedule may fill in defaults there (describe() reports them).
struct ScheduleSettings {
  std::string where;  // "lr schedule 'NAME'", the prefix of its error messages
  double base_lr = 0.1;
  json options;
};

struct ScheduleEntry {
  std::string name;
  std::string description;  // one line
  int list_rank = 0;        // position in listings and error messages (then by name)
  OptionSchema options;     // the schedule's own options; every schedule also gets the shared ones
  // Checks the options together (throws espbench::Error naming settings.where and the option) and
  // returns the rate function.
  std::function<LRFunction(ScheduleSettings& settings)> make;
};

Registry<ScheduleEntry>& schedule_registry();

class LRSchedule {
 public:
  // Learning rate for step `step` (0-based) of epoch `epoch` (0-based) of `steps_per_epoch` steps,
  // in a run of the configured number of epochs. Epochs past the run's end continue the formula.
  double lr(int64_t epoch, int64_t step = 0, int64_t steps_per_epoch = 1) const;
  // Learning rate for global step `step` of a run of `total_steps` steps (total_steps >= 1).
  double lr_at(int64_t step, int64_t total_steps) const;

  // {"name": ..., "base_lr": ..., "epochs": ..., "options": resolved options incl. milestones}.
  json describe() const;

  const std::string& name() const { return name_; }
  double base_lr() const { return base_lr_; }
  int64_t epochs() const { return epochs_; }
  // The resolved `milestones` option of the schedules that have one (empty otherwise).
  const std::vector<int64_t>& milestones() const { return milestones_; }

 private:
  friend LRSchedule make_schedule(const std::string&, const json&, double, int64_t);

  std::string name_;
  json options_;
  double base_lr_ = 0.1;
  int64_t epochs_ = 1, reference_epochs_ = 300, warmup_steps_ = 0;
  double warmup_start_factor_ = 0.1;
  LRFunction rate_;
  std::vector<int64_t> milestones_;
};

// Builds and validates a schedule. `name` is one of schedule_names(); `options` a JSON object (or
// null) with the keys of schedule_option_schema(name); base_lr > 0; epochs >= 1.
LRSchedule make_schedule(const std::string& name, const json& options, double base_lr, int64_t epochs);

std::vector<std::string> schedule_names();
// The schedule's options followed by the shared ones. Throws espbench::Error for an unknown name
// (listing the valid ones).
OptionSchema schedule_option_schema(const std::string& name);

// The official ESPNetv2 halving epochs of the 300-epoch recipe.
const std::vector<int64_t>& official_milestones();

// Shared by the milestone schedules (cyclic, step): the `milestones` option resolved (null: the
// official list, written back into settings.options) and checked strictly increasing.
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
