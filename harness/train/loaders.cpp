#include "harness/train/loaders.h"

namespace espbench::train {

data::LoaderOptions train_loader_options(const RunConfig& cfg, const data::Dataset& train) {
  data::LoaderOptions lo;
  lo.batch_size = cfg.train.batch_size;
  lo.shuffle = true;
  lo.augment = true;
  lo.workers = cfg.train.workers;
  lo.seed = static_cast<uint64_t>(cfg.runtime.seed);
  // BatchNorm cannot train on a batch of one image: drop such a final batch (and only that).
  lo.drop_last = train.size() > 1 && train.size() % cfg.train.batch_size == 1;
  return lo;
}

data::LoaderOptions eval_loader_options(const RunConfig& cfg) {
  data::LoaderOptions eo;
  eo.batch_size = cfg.train.eval_batch_size;
  eo.shuffle = false;
  eo.augment = false;
  eo.workers = cfg.train.workers;
  eo.seed = static_cast<uint64_t>(cfg.runtime.seed);
  return eo;
}

}  // namespace espbench::train
