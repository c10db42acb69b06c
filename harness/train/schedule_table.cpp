#include "harness/train/schedule_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "harness/plot/gnuplot.h"
#include "harness/train/run_config.h"
#include "harness/train/schedule.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

constexpr int64_t kFashionMnistTrain = 60000;

void check_query(const ScheduleQuery& q) {
  if (q.epochs < 1) throw Error(fmt::format("schedule: --epochs must be >= 1, got {}", q.epochs));
  if (q.batch_size < 1) throw Error(fmt::format("schedule: --batch-size must be >= 1, got {}", q.batch_size));
  if (q.steps_per_epoch < 0)
    throw Error(
        fmt::format("schedule: --steps-per-epoch must be >= 1 (or 0: one pass over Fashion-MNIST), got {}",
                    q.steps_per_epoch));
  if (q.lr < 0) throw Error(fmt::format("schedule: --lr must be > 0, got {}", q.lr));
}

}  // namespace

json schedule_table(const ScheduleQuery& q) {
  check_query(q);
  TrainSettings t;
  t.epochs = q.epochs;
  t.batch_size = q.batch_size;
  t.lr_given = q.lr > 0;
  t.lr = t.lr_given ? q.lr : scaled_lr(t);
  const LRSchedule s = make_schedule(q.name, q.options, t.lr, q.epochs);
  const int64_t spe =
      q.steps_per_epoch > 0 ? q.steps_per_epoch : (kFashionMnistTrain + q.batch_size - 1) / q.batch_size;
  const int64_t total = q.epochs * spe;
  json per_step = json::array(), per_epoch = json::array();
  for (int64_t e = 0; e < q.epochs; ++e) {
    double lo = 0, hi = 0, sum = 0;
    for (int64_t i = 0; i < spe; ++i) {
      const double lr = s.lr_at(e * spe + i, total);
      per_step.push_back(lr);
      lo = i == 0 ? lr : std::min(lo, lr);
      hi = i == 0 ? lr : std::max(hi, lr);
      sum += lr;
    }
    per_epoch.push_back({{"epoch", e},
                         {"lr_start", per_step[e * spe]},
                         {"lr_min", lo},
                         {"lr_max", hi},
                         {"lr_mean", sum / static_cast<double>(spe)}});
  }
  return {{"schedule", s.describe()}, {"lr_rule", lr_rule(t)}, {"epochs", q.epochs},
          {"steps_per_epoch", spe},   {"steps", total},        {"per_step", per_step},
          {"per_epoch", per_epoch}};
}

std::string format_schedule_table(const json& table, bool every_step) {
  const json& rule = table["lr_rule"];
  std::ostringstream out;
  out << fmt::format("schedule {}  {} epochs x {} steps = {} steps  options {}\n",
                     table["schedule"]["name"].get<std::string>(), table["epochs"].get<int64_t>(),
                     table["steps_per_epoch"].get<int64_t>(), table["steps"].get<int64_t>(),
                     table["schedule"]["options"].dump());
  if (rule["rule"] == "given")
    out << fmt::format("lr {} (given)\n", rule["lr"].get<double>());
  else
    out << fmt::format("lr {:.6g} = lr_base {} at batch {} scaled ({}) to batch {}\n",
                       rule["lr"].get<double>(), rule["lr_base"].get<double>(),
                       rule["lr_base_batch_size"].get<int64_t>(), rule["rule"].get<std::string>(),
                       rule["batch_size"].get<int64_t>());
  out << fmt::format("{:>6} {:>12} {:>12} {:>12} {:>12}\n", "epoch", "lr at start", "min", "max", "mean");
  for (const json& r : table["per_epoch"])
    out << fmt::format("{:>6} {:>12.6g} {:>12.6g} {:>12.6g} {:>12.6g}\n", r["epoch"].get<int64_t>(),
                       r["lr_start"].get<double>(), r["lr_min"].get<double>(), r["lr_max"].get<double>(),
                       r["lr_mean"].get<double>());
  if (every_step) {
    out << fmt::format("{:>8} {:>12}\n", "step", "lr");
    int64_t i = 0;
    for (const json& lr : table["per_step"]) out << fmt::format("{:>8} {:>12.6g}\n", i++, lr.get<double>());
  }
  return out.str();
}

void plot_schedule_table(const json& table, const std::string& file) {
  namespace fs = std::filesystem;
  const fs::path path(file);
  const std::string ext = path.extension().string();
  if (ext != ".svg" && ext != ".png")
    throw Error(fmt::format("schedule: --plot '{}': expected a file name ending in .svg or .png", file));
  const std::string dir = path.parent_path().empty() ? "." : path.parent_path().string();
  const std::string name = path.stem().string();
  std::ostringstream data;
  data << "# epoch(fractional) lr\n";
  const double spe = table["steps_per_epoch"].get<double>();
  int64_t i = 0;
  for (const json& lr : table["per_step"])
    data << fmt::format("{:.6f} {:.8g}\n", i++ / spe, lr.get<double>());
  const std::string body = fmt::format(
      "set title '{} schedule, {} epochs x {} steps'\nset xlabel 'epoch'\nset ylabel 'learning rate'\n"
      "set grid\nset key off\nplot '{}.dat' using 1:2 with steps lw 1.5\n",
      table["schedule"]["name"].get<std::string>(), table["epochs"].get<int64_t>(),
      table["steps_per_epoch"].get<int64_t>(), name);
  std::vector<std::string> files;
  fs::create_directories(dir);
  plot::write_plot(dir, name, data.str(), body, files);
  plot::render_all(dir, files);
}

}  // namespace espbench::train
