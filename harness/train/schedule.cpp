#include "harness/train/schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "modules/error.h"

namespace espbench::train {

namespace {

const std::vector<int64_t> kOfficialMilestones{51, 101, 131, 161, 191, 221, 251, 281};

void add_shared_options(OptionSchema& s) {
  s.push_back({"reference_epochs",
               OptionType::Int,
               300,
               "length of the recipe in epochs: step t of T runs at reference epoch R*t/T",
               {},
               1,
               {}});
  s.push_back({"warmup_steps",
               OptionType::Int,
               0,
               "linear warm-up length in optimizer steps (0: none), applied on top of the schedule",
               {},
               0,
               {}});
  s.push_back({"warmup_start_factor",
               OptionType::Float,
               0.1,
               "warm-up starts at this fraction of the schedule's lr",
               {},
               0.0,
               1.0});
}

}  // namespace

double TrainingProgress::epoch() const {
  return static_cast<double>(reference_epochs) * static_cast<double>(step) / static_cast<double>(total);
}

int64_t TrainingProgress::whole_epoch() const { return reference_epochs * step / total; }

double TrainingProgress::fraction() const { return static_cast<double>(step) / static_cast<double>(total); }

Registry<ScheduleEntry>& schedule_registry() {
  static Registry<ScheduleEntry> r("lr schedule", "schedules");
  return r;
}

std::vector<std::string> schedule_names() { return schedule_registry().names(); }

OptionSchema schedule_option_schema(const std::string& name) {
  OptionSchema s = schedule_registry().at(name).options;
  add_shared_options(s);
  return s;
}

OptionSpec milestones_option(const std::string& help) {
  return {"milestones", OptionType::IntList, nullptr, help, {}, 1, {}};
}

OptionSpec gamma_option(const std::string& help) {
  return {"gamma", OptionType::Float, 0.5, help, {}, 1e-9, 1.0};
}

OptionSpec round_decimals_option() {
  return {"round_decimals",
          OptionType::Int,
          5,
          "round each lr to this many decimals like the official code (-1: off)",
          {},
          -1,
          15};
}

const std::vector<int64_t>& official_milestones() { return kOfficialMilestones; }

std::vector<int64_t> resolve_milestones(ScheduleSettings& s) {
  json& given = s.options["milestones"];
  if (given.is_null()) {
    given = kOfficialMilestones;
    return kOfficialMilestones;
  }
  auto m = given.get<std::vector<int64_t>>();
  for (size_t i = 1; i < m.size(); ++i)
    if (m[i] <= m[i - 1])
      throw Error(
          fmt::format("{}: invalid value {} for option 'milestones': expected strictly "
                      "increasing epochs >= 1",
                      s.where, given.dump()));
  return m;
}

int64_t milestones_passed(const std::vector<int64_t>& milestones, int64_t epoch) {
  return std::upper_bound(milestones.begin(), milestones.end(), epoch) - milestones.begin();
}

double round_decimals(double x, int decimals) {
  if (decimals < 0 || !std::isfinite(x)) return x;
  // glibc's printf rounds the exact binary value correctly (ties to even), as CPython's round().
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return std::strtod(buf, nullptr);
}

LRSchedule make_schedule(const std::string& name, const json& options, double base_lr, int64_t epochs) {
  const ScheduleEntry& entry = schedule_registry().at(name);
  ScheduleSettings settings;
  settings.where = fmt::format("lr schedule '{}'", name);
  if (!(base_lr > 0) || !std::isfinite(base_lr))
    throw Error(fmt::format("{}: base lr must be a positive number, got {}", settings.where, base_lr));
  if (epochs < 1) throw Error(fmt::format("{}: epochs must be >= 1, got {}", settings.where, epochs));
  settings.base_lr = base_lr;
  settings.options = resolve_options(settings.where, schedule_option_schema(name), options);

  LRSchedule s;
  s.name_ = name;
  s.base_lr_ = base_lr;
  s.epochs_ = epochs;
  s.reference_epochs_ = settings.options["reference_epochs"].get<int64_t>();
  s.warmup_steps_ = settings.options["warmup_steps"].get<int64_t>();
  s.warmup_start_factor_ = settings.options["warmup_start_factor"].get<double>();
  s.rate_ = entry.make(settings);
  s.options_ = settings.options;
  if (s.options_.contains("milestones") && s.options_["milestones"].is_array())
    s.milestones_ = s.options_["milestones"].get<std::vector<int64_t>>();
  return s;
}

double LRSchedule::lr(int64_t epoch, int64_t step, int64_t steps_per_epoch) const {
  if (epoch < 0 || steps_per_epoch < 1 || step < 0 || step >= steps_per_epoch)
    throw Error(
        fmt::format("lr schedule '{}': invalid position epoch {} step {} of {} steps per "
                    "epoch (expected epoch >= 0 and 0 <= step < steps per epoch)",
                    name_, epoch, step, steps_per_epoch));
  return lr_at(epoch * steps_per_epoch + step, epochs_ * steps_per_epoch);
}

double LRSchedule::lr_at(int64_t step, int64_t total_steps) const {
  if (step < 0 || total_steps < 1)
    throw Error(
        fmt::format("lr schedule '{}': invalid position step {} of {} (expected step >= 0 and >= 1 step)",
                    name_, step, total_steps));
  double lr = rate_(TrainingProgress{step, total_steps, reference_epochs_});
  if (step < warmup_steps_)
    lr *= warmup_start_factor_ +
          (1.0 - warmup_start_factor_) * static_cast<double>(step) / static_cast<double>(warmup_steps_);
  return lr;
}

json LRSchedule::describe() const {
  return {{"name", name_}, {"base_lr", base_lr_}, {"epochs", epochs_}, {"options", options_}};
}

}  // namespace espbench::train
