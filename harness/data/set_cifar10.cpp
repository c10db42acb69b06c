// CIFAR-10 (Krizhevsky 2009), binary version: 32x32 RGB records, held in memory (format in dataset.h).
#include <fmt/format.h>

#include <cstring>
#include <filesystem>

#include "harness/data/dataset.h"
#include "harness/data/jpeg.h"
#include "harness/data/small_images.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const Normalization kCifarNorm{{0.4914, 0.4822, 0.4465}, {0.2470, 0.2435, 0.2616}};
constexpr int64_t kCifarRecord = 1 + 3 * 32 * 32;

void read_cifar_file(const fs::path& path, std::vector<uint8_t>& images, std::vector<int64_t>& labels) {
  if (!exists_file(path))
    throw Error(
        fmt::format("cifar10: missing file {} (expected the binary version: "
                    "data_batch_1.bin .. data_batch_5.bin and test_batch.bin)",
                    path.string()));
  std::error_code ec;
  const auto bytes = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec || bytes <= 0 || bytes % kCifarRecord != 0)
    throw Error(
        fmt::format("{}: wrong size {} bytes for a CIFAR-10 batch (expected a whole number "
                    "of {}-byte records of 1 label + 3072 pixels; 30730000 for 10000)",
                    path.string(), ec ? -1 : bytes, kCifarRecord));
  std::vector<uint8_t> buf;
  std::string error;
  if (!read_file(path.string(), buf, error))
    throw Error(fmt::format("{}: cannot read: {}", path.string(), error));
  if (static_cast<int64_t>(buf.size()) != bytes)
    throw Error(fmt::format("{}: read {} bytes, expected {}", path.string(), buf.size(), bytes));
  const int64_t n = bytes / kCifarRecord;
  for (int64_t r = 0; r < n; ++r) {
    const uint8_t* rec = buf.data() + r * kCifarRecord;
    if (rec[0] > 9)
      throw Error(
          fmt::format("{}: record {} has label {} (expected 0..9): not a CIFAR-10 binary "
                      "batch",
                      path.string(), r, int(rec[0])));
    labels.push_back(rec[0]);
    images.insert(images.end(), rec + 1, rec + kCifarRecord);
  }
}

std::shared_ptr<const Dataset> read_cifar_split(const std::vector<fs::path>& files,
                                                const SmallImageConfig& cfg) {
  std::vector<uint8_t> images;
  std::vector<int64_t> labels;
  for (const auto& f : files) read_cifar_file(f, images, labels);
  const auto n = static_cast<int64_t>(labels.size());
  torch::Tensor t = torch::empty({n, 3, 32, 32}, torch::kUInt8);
  std::memcpy(t.data_ptr<uint8_t>(), images.data(), images.size());
  torch::Tensor l = torch::from_blob(labels.data(), {n}, torch::kInt64).clone();
  return std::make_shared<SmallImageDataset>(t, l, cfg);
}

DataSplits open_cifar10(const DataSpec& spec, const std::string& root_in) {
  fs::path root(root_in);
  if (!exists_file(root / "data_batch_1.bin") &&
      exists_file(root / "cifar-10-batches-bin" / "data_batch_1.bin"))
    root /= "cifar-10-batches-bin";
  SmallImageConfig cfg;
  cfg.channels = 3;
  cfg.height = cfg.width = 32;
  cfg.num_classes = 10;
  cfg.norm = kCifarNorm;
  const auto [train, test] = split_configs(cfg, spec);
  std::vector<fs::path> train_files;
  for (int i = 1; i <= 5; ++i) train_files.push_back(root / fmt::format("data_batch_{}.bin", i));
  DataSplits out;
  out.name = "cifar10";
  out.path = root.string();
  out.train = read_cifar_split(train_files, train);
  out.test = read_cifar_split({root / "test_batch.bin"}, test);
  return out;
}

DataSetEntry cifar10_entry() {
  DataSetEntry e;
  e.name = "cifar10";
  e.description = "CIFAR-10: 32x32 RGB, 10 classes, binary batches (root or $ESPBENCH_CIFAR10 required)";
  e.list_rank = 1;
  e.open = [](const DataSpec& spec, const std::string& given) {
    const std::string root = given.empty() ? env_or("ESPBENCH_CIFAR10", "") : given;
    if (root.empty())
      throw Error(
          "cifar10: no data folder: set the data root (or $ESPBENCH_CIFAR10) to the folder "
          "holding data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
    return open_cifar10(spec, root);
  };
  e.recognise = [](const fs::path& p) {
    return exists_file(p / "data_batch_1.bin") ||
           exists_file(p / "cifar-10-batches-bin" / "data_batch_1.bin");
  };
  e.recognise_rank = 1;
  return e;
}

}  // namespace

ESPBENCH_REGISTER_DATA_SET(cifar10_entry());

}  // namespace espbench::data
