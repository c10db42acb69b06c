// `espbench schedule NAME`: the learning rate at every step of a run, before training it.
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/train/schedule_table.h"

namespace espbench::cli {

void add_schedule(CLI::App& app) {
  auto q = std::make_shared<train::ScheduleQuery>();
  auto sets = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  auto every_step = std::make_shared<bool>(false);
  auto plot_file = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "schedule", "print (or plot) a learning-rate schedule per epoch and per step, resolved as train does");
  cmd->add_option("name", q->name, "the schedule (espbench list shows them)")->required();
  cmd->add_option("--epochs", q->epochs, "training epochs (default 10)");
  cmd->add_option("--steps-per-epoch", q->steps_per_epoch,
                  "optimizer steps per epoch (default: 60,000 Fashion-MNIST images / batch size)");
  cmd->add_option("--batch-size", q->batch_size, "batch size (default 128); sets the scaled lr");
  cmd->add_option("--lr", q->lr, "a given lr (default: 0.1 at batch 512 scaled linearly to the batch size)");
  cmd->add_option("--set", *sets, "a schedule option key=value (repeatable), e.g. --set warmup_steps=100");
  cmd->add_flag("--json", *as_json, "print the whole table as JSON");
  cmd->add_flag("--steps", *every_step, "also print every step's lr");
  cmd->add_option("--plot", *plot_file, "draw lr against epoch into FILE.svg (or .png) with gnuplot");
  cmd->callback([=] {
    train::ScheduleQuery query = *q;
    query.options = options_from_sets(*sets);
    const json table = train::schedule_table(query);
    if (*as_json)
      std::cout << table.dump(2) << "\n";
    else
      std::cout << train::format_schedule_table(table, *every_step);
    if (!plot_file->empty()) {
      train::plot_schedule_table(table, *plot_file);
      std::cerr << "wrote " << *plot_file << "\n";
    }
  });
}

}  // namespace espbench::cli
