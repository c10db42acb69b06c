// Evaluation after every epoch (trainer.h): the whole test split in eval mode under NoGradGuard.
#pragma once
#include <torch/torch.h>

#include <cstdint>

#include "harness/data/loader.h"
#include "modules/network.h"

namespace espbench::dist {
class DataParallel;
}

namespace espbench::train {

struct EvalResult {
  double loss = 0.0, top1 = 0.0, top5 = 0.0;  // mean loss, accuracies in percent
};

// Mean cross-entropy, top-1 and top-min(5, num_classes) accuracy over one pass of `loader` (an
// unshuffled, unaugmented loader of the test split). Leaves the model in train mode. Data-parallel
// (dp): every rank evaluates its shard and the sums are global.
EvalResult evaluate(Network& model, data::Loader& loader, int64_t num_classes, const torch::Device& device,
                    dist::DataParallel* dp);

}  // namespace espbench::train
