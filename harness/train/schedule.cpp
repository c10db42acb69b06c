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
constexpr int64_t kOfficialEpochs = 300;

void add_warmup_options(OptionSchema& s) {
  s.push_back({"warmup_epochs",
               OptionType::Float,
               0.0,
               "linear warm-up length in epochs (0: none), applied on top of the schedule",
               {},
               0.0,
               {}});
  s.push_back({"warmup_start_factor",
               OptionType::Float,
               0.1,
               "warm-up starts at this fraction of the schedule's lr",
               {},
               0.0,
               1.0});
}

OptionSchema make_schema(LRSchedule::Kind kind) {
  OptionSchema s;
  switch (kind) {
    case LRSchedule::Kind::Cyclic:
      s.push_back({"cycle_len", OptionType::Int, 5, "cycle length T in epochs", {}, 1, 1000});
      s.push_back({"gamma", OptionType::Float, 0.5, "eta multiplier at each milestone", {}, 1e-9, 1.0});
      s.push_back({"milestones",
                   OptionType::IntList,
                   nullptr,
                   "epochs at which eta is multiplied by gamma (default: official list scaled to "
                   "the run)",
                   {},
                   1,
                   {}});
      s.push_back({"round_decimals",
                   OptionType::Int,
                   5,
                   "round each lr to this many decimals like the official code (-1: off)",
                   {},
                   -1,
                   15});
      break;
    case LRSchedule::Kind::Step:
      s.push_back({"gamma", OptionType::Float, 0.5, "lr multiplier at each milestone", {}, 1e-9, 1.0});
      s.push_back({"milestones",
                   OptionType::IntList,
                   nullptr,
                   "epochs at which lr is multiplied by gamma (default: official cyclic halving "
                   "epochs scaled to the run)",
                   {},
                   1,
                   {}});
      s.push_back({"round_decimals",
                   OptionType::Int,
                   5,
                   "round each lr to this many decimals like the official code (-1: off)",
                   {},
                   -1,
                   15});
      break;
    case LRSchedule::Kind::Cosine:
      s.push_back({"T_0", OptionType::Int, 0, "first cycle length in epochs (0: the whole run)", {}, 0, {}});
      s.push_back({"T_mult", OptionType::Int, 1, "cycle length multiplier after each restart", {}, 1, 100});
      s.push_back({"eta_min", OptionType::Float, 0.0, "lr at the end of each cycle", {}, 0.0, {}});
      s.push_back({"per_step", OptionType::Bool, true, "anneal every step (false: every epoch)"});
      break;
    case LRSchedule::Kind::Constant:
      break;
  }
  add_warmup_options(s);
  return s;
}

struct Entry {
  const char* name;
  LRSchedule::Kind kind;
};
const Entry kEntries[] = {{"cyclic", LRSchedule::Kind::Cyclic},
                          {"step", LRSchedule::Kind::Step},
                          {"cosine", LRSchedule::Kind::Cosine},
                          {"constant", LRSchedule::Kind::Constant}};

const Entry& find_entry(const std::string& name) {
  for (const auto& e : kEntries)
    if (name == e.name) return e;
  std::string hint = closest_match(name, schedule_names());
  throw Error(fmt::format("unknown lr schedule '{}'{}; valid schedules: {}", name,
                          hint.empty() ? "" : " (did you mean '" + hint + "'?)", join(schedule_names())));
}

// Number of milestones <= epoch (Python's bisect.bisect_right).
int64_t passed(const std::vector<int64_t>& milestones, int64_t epoch) {
  return std::upper_bound(milestones.begin(), milestones.end(), epoch) - milestones.begin();
}

}  // namespace

std::vector<std::string> schedule_names() {
  std::vector<std::string> out;
  for (const auto& e : kEntries) out.push_back(e.name);
  return out;
}

const OptionSchema& schedule_option_schema(const std::string& name) {
  static const OptionSchema schemas[] = {
      make_schema(LRSchedule::Kind::Cyclic), make_schema(LRSchedule::Kind::Step),
      make_schema(LRSchedule::Kind::Cosine), make_schema(LRSchedule::Kind::Constant)};
  return schemas[static_cast<int>(find_entry(name).kind)];
}

std::vector<int64_t> scaled_milestones(int64_t epochs) {
  if (epochs < 1) throw Error(fmt::format("lr schedule: epochs must be >= 1, got {}", epochs));
  std::vector<int64_t> out;
  for (int64_t m : kOfficialMilestones) {
    // 1 + round((m - 1) * E / 300), half away from zero, in exact integer arithmetic.
    int64_t v = 1 + (2 * (m - 1) * epochs + kOfficialEpochs) / (2 * kOfficialEpochs);
    if (!out.empty()) v = std::max(v, out.back() + 1);
    out.push_back(v);
  }
  return out;
}

double round_decimals(double x, int decimals) {
  if (decimals < 0 || !std::isfinite(x)) return x;
  // glibc's printf rounds the exact binary value correctly (ties to even), as CPython's round().
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return std::strtod(buf, nullptr);
}

LRSchedule make_schedule(const std::string& name, const json& options, double base_lr, int64_t epochs) {
  const Entry& entry = find_entry(name);
  std::string where = fmt::format("lr schedule '{}'", name);
  if (!(base_lr > 0) || !std::isfinite(base_lr))
    throw Error(fmt::format("{}: base lr must be a positive number, got {}", where, base_lr));
  if (epochs < 1) throw Error(fmt::format("{}: epochs must be >= 1, got {}", where, epochs));
  json r = resolve_options(where, schedule_option_schema(name), options);

  LRSchedule s;
  s.kind_ = entry.kind;
  s.name_ = name;
  s.base_lr_ = base_lr;
  s.epochs_ = epochs;
  s.warmup_epochs_ = r["warmup_epochs"].get<double>();
  s.warmup_start_factor_ = r["warmup_start_factor"].get<double>();
  if (s.kind_ == LRSchedule::Kind::Cyclic || s.kind_ == LRSchedule::Kind::Step) {
    s.gamma_ = r["gamma"].get<double>();
    s.round_decimals_ = r["round_decimals"].get<int64_t>();
    if (r["milestones"].is_null()) {
      s.milestones_ = scaled_milestones(epochs);
      r["milestones"] = s.milestones_;
    } else {
      s.milestones_ = r["milestones"].get<std::vector<int64_t>>();
      for (size_t i = 1; i < s.milestones_.size(); ++i)
        if (s.milestones_[i] <= s.milestones_[i - 1])
          throw Error(
              fmt::format("{}: invalid value {} for option 'milestones': expected strictly "
                          "increasing epochs >= 1",
                          where, r["milestones"].dump()));
    }
  }
  if (s.kind_ == LRSchedule::Kind::Cyclic) s.cycle_len_ = r["cycle_len"].get<int64_t>();
  if (s.kind_ == LRSchedule::Kind::Cosine) {
    s.t0_ = r["T_0"].get<int64_t>();
    if (s.t0_ == 0) s.t0_ = epochs;
    s.t_mult_ = r["T_mult"].get<int64_t>();
    s.eta_min_ = r["eta_min"].get<double>();
    s.per_step_ = r["per_step"].get<bool>();
    if (s.eta_min_ > base_lr)
      throw Error(fmt::format("{}: invalid value {} for option 'eta_min': expected <= base lr {}", where,
                              s.eta_min_, base_lr));
  }
  s.options_ = r;
  return s;
}

double LRSchedule::base_lr(int64_t epoch, double t) const {
  switch (kind_) {
    case Kind::Constant:
      return base_lr_;
    case Kind::Step:
      return round_decimals(base_lr_ * std::pow(gamma_, static_cast<double>(passed(milestones_, epoch))),
                            static_cast<int>(round_decimals_));
    case Kind::Cyclic: {
      // Same floating-point operations as the official code: eta by repeated multiplication, then
      // eta * T - c * eta.
      int64_t k = passed(milestones_, epoch);
      double eta = base_lr_;
      for (int64_t i = 0; i < k; ++i) eta *= gamma_;
      if (epoch == 0) return eta;  // warm-up epoch at eta
      int64_t start = k > 0 ? milestones_[k - 1] : 1;
      int64_t c = (epoch - start) % cycle_len_;
      double lr = eta * static_cast<double>(cycle_len_) - static_cast<double>(c) * eta;
      return round_decimals(lr, static_cast<int>(round_decimals_));
    }
    case Kind::Cosine: {
      double tc = per_step_ ? t : static_cast<double>(epoch);
      double ti = static_cast<double>(t0_);
      if (t_mult_ == 1) {
        tc -= std::floor(tc / ti) * ti;
      } else {
        while (tc >= ti) {
          tc -= ti;
          ti *= static_cast<double>(t_mult_);
        }
      }
      return eta_min_ + (base_lr_ - eta_min_) * (1.0 + std::cos(M_PI * tc / ti)) / 2.0;
    }
  }
  return base_lr_;
}

double LRSchedule::lr(int64_t epoch, int64_t step, int64_t steps_per_epoch) const {
  if (epoch < 0 || steps_per_epoch < 1 || step < 0 || step >= steps_per_epoch)
    throw Error(
        fmt::format("lr schedule '{}': invalid position epoch {} step {} of {} steps per "
                    "epoch (expected epoch >= 0 and 0 <= step < steps per epoch)",
                    name_, epoch, step, steps_per_epoch));
  double t = static_cast<double>(epoch) + static_cast<double>(step) / static_cast<double>(steps_per_epoch);
  double lr = base_lr(epoch, t);
  if (warmup_epochs_ > 0 && t < warmup_epochs_)
    lr *= warmup_start_factor_ + (1.0 - warmup_start_factor_) * t / warmup_epochs_;
  return lr;
}

json LRSchedule::describe() const {
  return {{"name", name_}, {"base_lr", base_lr_}, {"epochs", epochs_}, {"options", options_}};
}

}  // namespace espbench::train
