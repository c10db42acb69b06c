// Evaluation after every epoch (trainer.h): the whole test split in eval mode under NoGradGuard.
#pragma once
#include <torch/torch.h>

#include <cstdint>

#include "harness/data/loader.h"
#include "modules/network.h"
#include "modules/options.h"

namespace espbench::dist {
class DataParallel;
}
namespace espbench::runtime {
class QuietLocks;
}

namespace espbench::train {

struct EvalResult {
  json record;           // the test_* fields of the epoch record (Evaluation::record, task.h)
  double primary = 0.0;  // the figure the best epoch is chosen by (test top-1 or mIoU, percent)
};

// One pass of `loader` (an unshuffled, unaugmented loader of the test split) scored by the task of
// its data set (task_for, task.h): classification: mean cross-entropy, top-1 and top-min(5,
// num_classes) accuracy; segmentation: loss per labelled pixel, mIoU, per-class IoU, pixel
// accuracy. Leaves the model in train mode. Data-parallel (dp): every rank evaluates its shard and
// the sums are global. With `quiet`, each batch is a QuietStep (harness/runtime/quiet.h).
EvalResult evaluate(Network& model, data::Loader& loader, int64_t num_classes, const torch::Device& device,
                    dist::DataParallel* dp, const runtime::QuietLocks* quiet = nullptr);

}  // namespace espbench::train
