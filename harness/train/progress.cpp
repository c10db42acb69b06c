#include "harness/train/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>

namespace espbench::train {

Progress::Progress(ProgressOptions options) : opt_(options) {
  if (opt_.mode == ProgressOptions::Mode::Auto)
    opt_.mode = isatty(fileno(opt_.out)) ? ProgressOptions::Mode::Terminal : ProgressOptions::Mode::Plain;
}

std::string Progress::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<int64_t>(std::llround(seconds));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

void Progress::start(int64_t first_epoch, int64_t epochs, int64_t steps_per_epoch) {
  first_epoch_ = first_epoch;
  epochs_ = epochs;
  steps_per_epoch_ = steps_per_epoch;
  steps_done_ = 0;
  session_start_ = last_print_ = Clock::now();
}

void Progress::start_epoch(int64_t epoch) {
  epoch_ = epoch;
  step_ = 0;
  epoch_images_ = 0;
  epoch_start_ = Clock::now();
}

std::string Progress::live_line() const {
  const auto now = Clock::now();
  const double epoch_s = std::chrono::duration<double>(now - epoch_start_).count();
  const double session_s = std::chrono::duration<double>(now - session_start_).count();
  const int64_t left = (epochs_ - epoch_) * steps_per_epoch_ - (step_ + 1);
  const double eta =
      steps_done_ > 0 ? session_s / static_cast<double>(steps_done_) * static_cast<double>(left) : -1;
  return fmt::format("epoch {}/{}  step {}/{}  loss {:.4f}  lr {:.5f}  {:.0f} img/s  ETA {}", epoch_ + 1,
                     epochs_, step_ + 1, steps_per_epoch_, loss_, lr_,
                     epoch_s > 0 ? static_cast<double>(epoch_images_) / epoch_s : 0.0, format_duration(eta));
}

void Progress::clear_live() {
  if (live_shown_) {
    fmt::print(opt_.out, "\r\x1b[K");
    live_shown_ = false;
  }
}

void Progress::step(int64_t step, double loss, double lr, int64_t images) {
  step_ = step;
  loss_ = loss;
  lr_ = lr;
  epoch_images_ += images;
  ++steps_done_;
  if (opt_.mode == ProgressOptions::Mode::Quiet) return;
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (opt_.mode == ProgressOptions::Mode::Terminal) {
    if (since < 0.1 && step + 1 < steps_per_epoch_) return;
    fmt::print(opt_.out, "\r{}\x1b[K", live_line());
    live_shown_ = true;
  } else {
    if (since < opt_.plain_interval_s) return;
    fmt::print(opt_.out, "{}\n", live_line());
  }
  std::fflush(opt_.out);
  last_print_ = now;
}

void Progress::end_epoch(const json& r) {
  if (opt_.mode == ProgressOptions::Mode::Quiet) return;
  clear_live();
  std::string line = fmt::format("epoch {}/{}  lr {:.5f}  train loss {:.4f}", r["epoch"].get<int64_t>() + 1,
                                 epochs_, r["lr"].get<double>(), r["train_loss"].get<double>());
  if (r.contains("test_miou"))  // segmentation
    line += fmt::format(" pixel acc {:.2f}%  test mIoU {:.2f}% pixel acc {:.2f}%",
                        r["train_pixel_acc"].get<double>(), r["test_miou"].get<double>(),
                        r["test_pixel_acc"].get<double>());
  else
    line += fmt::format(" top-1 {:.2f}%  test top-1 {:.2f}%", r["train_top1"].get<double>(),
                        r["test_top1"].get<double>());
  if (r.contains("test_top5")) line += fmt::format(" top-5 {:.2f}%", r["test_top5"].get<double>());
  line +=
      fmt::format("  {:.1f} s  {:.0f} img/s", r["seconds"].get<double>(), r["images_per_s"].get<double>());
  fmt::print(opt_.out, "{}\n", line);
  std::fflush(opt_.out);
  last_print_ = Clock::now();
}

void Progress::note(const std::string& line) {
  if (opt_.mode == ProgressOptions::Mode::Quiet) return;
  clear_live();
  fmt::print(opt_.out, "{}\n", line);
  std::fflush(opt_.out);
}

}  // namespace espbench::train
