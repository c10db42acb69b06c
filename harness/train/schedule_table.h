// What `espbench schedule` shows: a schedule's learning rate at every step of a run, resolved the way
// `train` resolves it (the lr rule, the schedule's defaults), so a user sees the curve before
// training.
//
//   ScheduleQuery q; q.name = "cyclic"; q.epochs = 6; q.batch_size = 128;
//   json t = schedule_table(q);   // {"schedule", "lr_rule", "epochs", "steps_per_epoch", "steps",
//                                 //  "per_step": [...], "per_epoch": [{"epoch", "lr_start", "lr_min",
//                                 //  "lr_max", "lr_mean"}]}
#pragma once
#include <cstdint>
#include <string>

#include "modules/options.h"

namespace espbench::train {

struct ScheduleQuery {
  std::string name = "cyclic";
  json options = json::object();  // the schedule's options
  int64_t epochs = 10;
  int64_t steps_per_epoch = 0;  // 0: one pass over the 60,000 Fashion-MNIST training images
  int64_t batch_size = 128;
  double lr = 0.0;  // > 0: a given lr; 0: the recipe's lr scaled to the batch size
};

// Throws espbench::Error naming the option (e.g. --epochs) for bad values.
json schedule_table(const ScheduleQuery& query);

// A readable summary: the rule, then one line per epoch (start, min, max, mean); with
// `every_step` also one line per step.
std::string format_schedule_table(const json& table, bool every_step);

// Draws lr against (fractional) epoch with gnuplot into FILE (.svg or .png), keeping FILE's stem
// .dat and .gp beside it. Throws espbench::Error when gnuplot fails or the extension is neither.
void plot_schedule_table(const json& table, const std::string& file);

}  // namespace espbench::train
