// Fashion-MNIST (Xiao et al. 2017): the four IDX files, held in memory (format in dataset.h).
#include <fmt/format.h>

#include <filesystem>

#include "harness/data/dataset.h"
#include "harness/data/idx.h"
#include "harness/data/small_images.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const char* kFashionDefaultRoot = "/usr/share/datasets/fashion-mnist";
const Normalization kFashionNorm{{0.2860}, {0.3530}};

// root/name.gz, else the uncompressed root/name.
fs::path find_idx(const fs::path& root, const std::string& name) {
  if (exists_file(root / (name + ".gz"))) return root / (name + ".gz");
  if (exists_file(root / name)) return root / name;
  throw Error(
      fmt::format("fashion-mnist: missing file {} (install Debian's dataset-fashion-mnist, "
                  "or point the data root / $ESPBENCH_FASHION_MNIST at the folder holding "
                  "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                  "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)",
                  (root / (name + ".gz")).string()));
}

std::shared_ptr<const Dataset> read_idx_split(const fs::path& root, const std::string& prefix,
                                              SmallImageConfig cfg) {
  fs::path ip = find_idx(root, prefix + "-images-idx3-ubyte");
  fs::path lp = find_idx(root, prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx_ubyte(ip.string(), 3);
  IdxArray labels = read_idx_ubyte(lp.string(), 1);
  if (images.dims[0] != labels.dims[0])
    throw Error(
        fmt::format("fashion-mnist: count mismatch: {} holds {} images but {} holds {} "
                    "labels (expected equal counts)",
                    ip.string(), images.dims[0], lp.string(), labels.dims[0]));
  const uint8_t* l = labels.data.data_ptr<uint8_t>();
  for (int64_t i = 0; i < labels.dims[0]; ++i)
    if (l[i] >= cfg.num_classes)
      throw Error(fmt::format("{}: label {} at index {} is out of range (expected 0..{})", lp.string(),
                              int(l[i]), i, cfg.num_classes - 1));
  cfg.height = images.dims[1];
  cfg.width = images.dims[2];
  torch::Tensor t = images.data.view({images.dims[0], 1, images.dims[1], images.dims[2]});
  return std::make_shared<SmallImageDataset>(t, labels.data, cfg);
}

DataSplits open_fashion_mnist(const DataSpec& spec, const std::string& root) {
  SmallImageConfig cfg;
  cfg.channels = 1;
  cfg.height = cfg.width = 28;  // read_idx_split takes the files' own size
  cfg.num_classes = 10;
  cfg.norm = kFashionNorm;
  const auto [train, test] = split_configs(cfg, spec);
  DataSplits out;
  out.name = "fashion-mnist";
  out.path = root;
  out.train = read_idx_split(root, "train", train);
  out.test = read_idx_split(root, "t10k", test);
  return out;
}

DataSetEntry fashion_mnist_entry() {
  DataSetEntry e;
  e.name = "fashion-mnist";
  e.description =
      "Fashion-MNIST: 28x28 grey, 10 classes, IDX files (default root: Debian's dataset-fashion-mnist)";
  e.list_rank = 0;
  e.open = [](const DataSpec& spec, const std::string& root) {
    return open_fashion_mnist(spec,
                              root.empty() ? env_or("ESPBENCH_FASHION_MNIST", kFashionDefaultRoot) : root);
  };
  e.recognise = [](const fs::path& p) {
    return exists_file(p / "train-images-idx3-ubyte.gz") || exists_file(p / "train-images-idx3-ubyte");
  };
  e.recognise_rank = 2;
  return e;
}

}  // namespace

ESPBENCH_REGISTER_DATA_SET(fashion_mnist_entry());

}  // namespace espbench::data
