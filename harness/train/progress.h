// What a training run tells the person watching it (stderr):
//   terminal  (isatty(stderr)) one live line rewritten with \r at most ~10 times a second:
//               epoch 3/30  step 120/469  loss 0.4213  lr 0.30000  1012 img/s  ETA 14m05s
//             and one permanent line per finished epoch.
//   otherwise (logs, Slurm) the same live line printed as a plain line every ~10 s, plus one line
//             per epoch.
//   quiet     nothing.
// The ETA extrapolates this session's wall time per training step (evaluation included) over the
// steps left.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "modules/options.h"

namespace espbench::train {

struct ProgressOptions {
  enum class Mode { Auto, Terminal, Plain, Quiet };
  Mode mode = Mode::Auto;          // Auto: Terminal when stderr is a terminal, else Plain
  double plain_interval_s = 10.0;  // Plain: seconds between step lines
  std::FILE* out = stderr;
};

class Progress {
 public:
  explicit Progress(ProgressOptions options = {});

  // A session trains epochs [first_epoch, epochs) of steps_per_epoch steps each.
  void start(int64_t first_epoch, int64_t epochs, int64_t steps_per_epoch);
  void start_epoch(int64_t epoch);
  // After training step `step` (0-based) of the current epoch; `images` in this step.
  void step(int64_t step, double loss, double lr, int64_t images);
  // An epoch record as the trainer writes it (epoch, train_loss, train_top1, test_top1, ...).
  void end_epoch(const json& record);
  // A free line (e.g. "resuming from epoch 3"), printed unless quiet.
  void note(const std::string& line);

  // "1h02m", "14m05s", "9s".
  static std::string format_duration(double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  std::string live_line() const;
  void clear_live();

  ProgressOptions opt_;
  bool live_shown_ = false;
  int64_t first_epoch_ = 0, epochs_ = 0, steps_per_epoch_ = 0;
  int64_t epoch_ = 0, step_ = 0, steps_done_ = 0;
  int64_t epoch_images_ = 0;
  double loss_ = 0.0, lr_ = 0.0;
  Clock::time_point session_start_, epoch_start_, last_print_;
};

}  // namespace espbench::train
