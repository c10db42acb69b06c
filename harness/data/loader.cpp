#include "harness/data/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "harness/data/random.h"
#include "modules/error.h"

namespace espbench::data {

std::vector<int64_t> epoch_order(int64_t n, bool shuffle, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  if (shuffle) {
    Rng rng(mix_seed(seed, 0x0D3E5, static_cast<uint64_t>(epoch)));
    for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.below(static_cast<uint64_t>(i + 1))]);
  }
  return order;
}

struct Loader::Impl {
  std::shared_ptr<const Dataset> ds;
  LoaderOptions opt;
  int64_t n = 0;  // examples drawn from (after limit)
  int64_t batches = 0;
  int64_t sample_numel = 0;

  // Epoch state. `order` changes only while no worker is building (in_flight == 0).
  std::vector<int64_t> order;
  int64_t epoch = -1;
  int64_t claimed = 0;    // next batch number a worker may take
  int64_t delivered = 0;  // next batch number next() returns
  int64_t in_flight = 0;
  uint64_t generation = 0;
  std::map<int64_t, Batch> ready;
  std::map<int64_t, std::exception_ptr> errors;  // by batch number, rethrown in order
  bool stop = false;
  std::mutex m;
  std::condition_variable work_cv, ready_cv;
  std::vector<std::thread> threads;

  Batch build(int64_t b) const {
    const int64_t global_start = b * opt.batch_size;
    const int64_t global_count = std::min(opt.batch_size, n - global_start);
    const int64_t start = global_start + global_count * opt.shard_index / opt.shard_count;
    const int64_t count = global_start + global_count * (opt.shard_index + 1) / opt.shard_count - start;
    Batch out;
    out.epoch = epoch;
    out.index = b;
    out.images = torch::empty({count, ds->channels(), ds->height(), ds->width()}, torch::kFloat32);
    const bool dense = ds->dense_labels();
    const int64_t plane = ds->height() * ds->width();
    out.labels = dense ? torch::empty({count, ds->height(), ds->width()}, torch::kInt64)
                       : torch::empty({count}, torch::kInt64);
    float* img = out.images.data_ptr<float>();
    int64_t* lab = out.labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < count; ++i) {
      const int64_t k = start + i;  // position within the epoch
      const uint64_t seed = mix_seed(opt.seed, static_cast<uint64_t>(epoch), static_cast<uint64_t>(k));
      if (dense)
        ds->get_dense(order[k], opt.augment, seed, img + i * sample_numel, lab + i * plane);
      else
        lab[i] = ds->get(order[k], opt.augment, seed, img + i * sample_numel);
    }
    return out;
  }

  void worker() {
    std::unique_lock<std::mutex> lock(m);
    while (true) {
      work_cv.wait(lock, [&] { return stop || (claimed < batches && claimed < delivered + opt.prefetch); });
      if (stop) return;
      const int64_t b = claimed++;
      const uint64_t gen = generation;
      ++in_flight;
      lock.unlock();
      Batch batch;
      std::exception_ptr err;
      try {
        batch = build(b);
      } catch (...) {
        err = std::current_exception();
      }
      lock.lock();
      --in_flight;
      if (gen == generation) {
        if (err)
          errors.emplace(b, err);
        else
          ready.emplace(b, std::move(batch));
      }
      ready_cv.notify_all();
    }
  }
};

Loader::Loader(std::shared_ptr<const Dataset> dataset, LoaderOptions options)
    : impl_(std::make_unique<Impl>()) {
  auto bad = [](const char* name, int64_t v, const char* valid) {
    return Error(fmt::format("loader option {} = {} is invalid: expected {}", name, v, valid));
  };
  if (!dataset) throw Error("loader: no dataset");
  if (options.batch_size < 1) throw bad("batch_size", options.batch_size, ">= 1");
  if (options.workers < 0 || options.workers > 256) throw bad("workers", options.workers, "0..256");
  if (options.prefetch < 1) throw bad("prefetch", options.prefetch, ">= 1");
  if (options.limit < 0) throw bad("limit", options.limit, ">= 0 (0: all)");
  if (options.shard_count < 1) throw bad("shard_count", options.shard_count, ">= 1");
  if (options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw bad("shard_index", options.shard_index, "in [0, shard_count)");
  Impl& s = *impl_;
  s.ds = std::move(dataset);
  s.opt = options;
  s.n = s.opt.limit > 0 ? std::min(s.opt.limit, s.ds->size()) : s.ds->size();
  s.batches = s.opt.drop_last ? s.n / s.opt.batch_size : (s.n + s.opt.batch_size - 1) / s.opt.batch_size;
  s.sample_numel = s.ds->channels() * s.ds->height() * s.ds->width();
  s.claimed = s.batches;  // nothing to build before the first start_epoch()
  for (int64_t i = 0; i < s.opt.workers; ++i) s.threads.emplace_back([&s] { s.worker(); });
}

Loader::~Loader() {
  {
    std::lock_guard<std::mutex> lock(impl_->m);
    impl_->stop = true;
  }
  impl_->work_cv.notify_all();
  for (auto& t : impl_->threads) t.join();
}

void Loader::start_epoch(int64_t epoch) {
  if (epoch < 0) throw Error(fmt::format("loader: epoch must be >= 0, got {}", epoch));
  Impl& s = *impl_;
  std::vector<int64_t> order = epoch_order(s.n, s.opt.shuffle, s.opt.seed, epoch);
  std::unique_lock<std::mutex> lock(s.m);
  ++s.generation;
  s.claimed = s.batches;  // no new claims until the new epoch is set up
  s.ready_cv.wait(lock, [&] { return s.in_flight == 0; });
  s.order = std::move(order);
  s.epoch = epoch;
  s.claimed = 0;
  s.delivered = 0;
  s.ready.clear();
  s.errors.clear();
  lock.unlock();
  s.work_cv.notify_all();
}

bool Loader::next(Batch& out) {
  Impl& s = *impl_;
  if (s.epoch < 0) throw Error("loader: next() called before start_epoch()");
  if (s.threads.empty()) {
    if (s.delivered >= s.batches) return false;
    out = s.build(s.delivered++);
    return true;
  }
  std::unique_lock<std::mutex> lock(s.m);
  if (s.delivered >= s.batches) return false;
  s.ready_cv.wait(lock, [&] { return s.ready.count(s.delivered) || s.errors.count(s.delivered); });
  if (auto e = s.errors.find(s.delivered); e != s.errors.end()) std::rethrow_exception(e->second);
  auto it = s.ready.find(s.delivered);
  out = std::move(it->second);
  s.ready.erase(it);
  ++s.delivered;
  lock.unlock();
  s.work_cv.notify_all();
  return true;
}

int64_t Loader::batches_per_epoch() const { return impl_->batches; }

int64_t Loader::examples_per_epoch() const {
  return impl_->opt.drop_last ? impl_->batches * impl_->opt.batch_size : impl_->n;
}

const LoaderOptions& Loader::options() const { return impl_->opt; }

const Dataset& Loader::dataset() const { return *impl_->ds; }

}  // namespace espbench::data
