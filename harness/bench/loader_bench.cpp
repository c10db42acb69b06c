// Data-loader throughput on Google Benchmark: Fashion-MNIST training batches of 128 with
// augmentation, as `espbench train` loads them, for 0, 1 and 2 worker threads; one iteration is one
// epoch, items_per_second is images per second. Without the Fashion-MNIST files
// ($ESPBENCH_FASHION_MNIST, else /usr/share/datasets/fashion-mnist) it times 60,000 synthetic
// 1x28x28 images instead, and says so on stderr and in the JSON context.
//
//   build/espbench_loader_bench
//   build/espbench_loader_bench --benchmark_filter='workers:2' --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "harness/data/dataset.h"
#include "harness/data/loader.h"
#include "modules/error.h"

namespace {

using namespace espbench;

// The default data set when its files are present, else synthetic images of the same shape.
data::DataSpec fashion_mnist_or_synthetic() {
  data::DataSpec spec;
  const char* env = std::getenv("ESPBENCH_FASHION_MNIST");
  const std::filesystem::path root = env && *env ? env : "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(root / "train-images-idx3-ubyte.gz")) {
    spec.name_or_path = "synthetic";
    spec.synthetic_train = 60000;
    spec.synthetic_channels = 1;
    spec.synthetic_height = spec.synthetic_width = 28;
  }
  return spec;
}

void load_epochs(benchmark::State& state, const std::shared_ptr<const data::Dataset>& train) {
  data::LoaderOptions o;
  o.batch_size = 128;
  o.workers = state.range(0);
  o.seed = 1;
  data::Loader loader(train, o);
  int64_t epoch = 0, images = 0;
  for (auto _ : state) {
    loader.start_epoch(epoch++);
    data::Batch b;
    while (loader.next(b)) images += b.images.size(0);
  }
  state.SetItemsProcessed(images);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    const data::DataSplits d = data::open_data(fashion_mnist_or_synthetic());
    if (d.name == "synthetic") std::cerr << "Fashion-MNIST absent: timing synthetic 1x28x28 images instead\n";
    benchmark::AddCustomContext("data", d.info().dump());
    benchmark::RegisterBenchmark("loader/batch128_augment", load_epochs, d.train)
        ->ArgName("workers")
        ->Arg(0)
        ->Arg(1)
        ->Arg(2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
  } catch (const Error& e) {
    std::cerr << "espbench_loader_bench: error: " << e.what() << "\n";
    return 2;
  }
  benchmark::Shutdown();
  return 0;
}
