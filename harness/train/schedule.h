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
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::train {

class LRSchedule {
 public:
  enum class Kind { Cyclic, Step, Cosine, Constant };

  // Learning rate for step `step` (0-based) of epoch `epoch` (0-based) of `steps_per_epoch` steps.
  // Epochs past the configured run length continue the formula.
  double lr(int64_t epoch, int64_t step = 0, int64_t steps_per_epoch = 1) const;

  // {"name": ..., "base_lr": ..., "epochs": ..., "options": resolved options incl. milestones}.
  json describe() const;

  Kind kind() const { return kind_; }
  const std::vector<int64_t>& milestones() const { return milestones_; }

 private:
  friend LRSchedule make_schedule(const std::string&, const json&, double, int64_t);
  double base_lr(int64_t epoch, double t) const;  // before warm-up

  Kind kind_ = Kind::Constant;
  std::string name_;
  json options_;
  double base_lr_ = 0.1;
  int64_t epochs_ = 1;
  std::vector<int64_t> milestones_;  // cyclic, step
  double gamma_ = 0.5;
  int64_t cycle_len_ = 5;
  int64_t round_decimals_ = 5;  // -1: no rounding
  int64_t t0_ = 0, t_mult_ = 1;
  double eta_min_ = 0.0;
  bool per_step_ = true;
  double warmup_epochs_ = 0.0, warmup_start_factor_ = 0.1;
};

// Builds and validates a schedule. `name` is one of schedule_names(); `options` a JSON object (or
// null) with the keys of schedule_option_schema(name); base_lr > 0; epochs >= 1.
LRSchedule make_schedule(const std::string& name, const json& options, double base_lr, int64_t epochs);

std::vector<std::string> schedule_names();
// Throws espbench::Error for an unknown name (listing the valid ones).
const OptionSchema& schedule_option_schema(const std::string& name);

// The official ESPNetv2 halving epochs scaled to a run of `epochs` epochs (rule above).
std::vector<int64_t> scaled_milestones(int64_t epochs);

// Python's round(x, decimals): the correctly rounded decimal value, ties to even.
double round_decimals(double x, int decimals);

}  // namespace espbench::train
