#include "harness/train/evaluate.h"

#include "harness/dist/data_parallel.h"
#include "harness/runtime/quiet.h"
#include "harness/train/task.h"

namespace espbench::train {

EvalResult evaluate(Network& model, data::Loader& loader, int64_t num_classes, const torch::Device& device,
                    dist::DataParallel* dp, const runtime::QuietLocks* quiet) {
  torch::NoGradGuard no_grad;
  model.eval();
  std::unique_ptr<Evaluation> ev = task_for(loader.dataset()).evaluation(num_classes);
  loader.start_epoch(0);
  data::Batch b;
  while (loader.next(b)) {
    if (b.labels.size(0) == 0) continue;  // an empty data-parallel shard
    runtime::QuietStep step(quiet);
    ev->add(model.forward(b.images.to(device)), b.labels.to(device));
  }
  model.train();
  if (dp) dp->sum(ev->sums());
  return {ev->record(), ev->primary()};
}

}  // namespace espbench::train
