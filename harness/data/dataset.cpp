#include "harness/data/dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "harness/data/idx.h"
#include "harness/data/image_folder.h"
#include "harness/data/jpeg.h"
#include "harness/data/random.h"
#include "harness/data/small_images.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const char* kFashionDefaultRoot = "/usr/share/datasets/fashion-mnist";
const Normalization kFashionNorm{{0.2860}, {0.3530}};
const Normalization kCifarNorm{{0.4914, 0.4822, 0.4465}, {0.2470, 0.2435, 0.2616}};
constexpr int64_t kCifarRecord = 1 + 3 * 32 * 32;

std::string env_or(const char* var, const std::string& fallback) {
  const char* v = std::getenv(var);
  return v && *v ? std::string(v) : fallback;
}

bool exists_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// --- Fashion-MNIST ----------------------------------------------------------------------------

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
  cfg.pad = cfg.augment ? auto_crop_padding(cfg.pad, cfg.height) : 0;
  torch::Tensor t = images.data.view({images.dims[0], 1, images.dims[1], images.dims[2]});
  return std::make_shared<SmallImageDataset>(t, labels.data, cfg);
}

DataSplits open_fashion_mnist(const DataSpec& spec, const std::string& root) {
  SmallImageConfig cfg;
  cfg.channels = 1;
  cfg.num_classes = 10;
  cfg.norm = kFashionNorm;
  SmallImageConfig train = cfg, test = cfg;
  train.limit = spec.limit_train;
  train.augment = spec.augment;
  train.flip = spec.flip;
  train.pad = spec.crop_padding;
  test.limit = spec.limit_test;
  DataSplits out;
  out.name = "fashion-mnist";
  out.path = root;
  out.train = read_idx_split(root, "train", train);
  out.test = read_idx_split(root, "t10k", test);
  return out;
}

// --- CIFAR-10 ---------------------------------------------------------------------------------

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
  SmallImageConfig train = cfg, test = cfg;
  train.limit = spec.limit_train;
  train.augment = spec.augment;
  train.flip = spec.flip;
  train.pad = spec.augment ? auto_crop_padding(spec.crop_padding, 32) : 0;
  test.limit = spec.limit_test;
  std::vector<fs::path> train_files;
  for (int i = 1; i <= 5; ++i) train_files.push_back(root / fmt::format("data_batch_{}.bin", i));
  DataSplits out;
  out.name = "cifar10";
  out.path = root.string();
  out.train = read_cifar_split(train_files, train);
  out.test = read_cifar_split({root / "test_batch.bin"}, test);
  return out;
}

// --- Synthetic --------------------------------------------------------------------------------

// Each class owns a random 8x8 pattern per channel (nearest-upsampled); every image is its class
// pattern plus uniform noise in [-32, 31], so the set is learnable and every byte is a function of
// (seed, split, index) only.
std::shared_ptr<const Dataset> make_synthetic_split(const DataSpec& spec, int64_t split, int64_t n,
                                                    SmallImageConfig cfg) {
  const int64_t C = cfg.channels, H = cfg.height, W = cfg.width, K = cfg.num_classes;
  auto protos = std::make_shared<std::vector<uint8_t>>(static_cast<size_t>(K * C * 64));
  Rng prng(mix_seed(spec.synthetic_seed, 0x5eed));
  for (auto& v : *protos) v = static_cast<uint8_t>(prng.next() >> 56);
  std::vector<int64_t> labels(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    labels[i] = static_cast<int64_t>(Rng(mix_seed(spec.synthetic_seed, 1 + split, i)).below(K));
  const uint64_t seed = spec.synthetic_seed;
  auto lab = std::make_shared<std::vector<int64_t>>(labels);
  auto generate = [=](int64_t i, uint8_t* dst) {
    Rng rng(mix_seed(seed, 100 + split, i));
    const uint8_t* p = protos->data() + (*lab)[i] * C * 64;
    uint64_t bits = 0;
    int left = 0;
    for (int64_t c = 0; c < C; ++c)
      for (int64_t y = 0; y < H; ++y) {
        const uint8_t* prow = p + c * 64 + (y * 8 / H) * 8;
        for (int64_t x = 0; x < W; ++x) {
          if (left == 0) bits = rng.next(), left = 8;
          int v = prow[x * 8 / W] + static_cast<int>(bits & 63) - 32;
          bits >>= 8;
          --left;
          *dst++ = static_cast<uint8_t>(std::clamp(v, 0, 255));
        }
      }
  };
  return std::make_shared<SmallImageDataset>(std::move(labels), generate, cfg);
}

DataSplits open_synthetic(const DataSpec& spec) {
  SmallImageConfig cfg;
  cfg.channels = spec.synthetic_channels;
  cfg.height = spec.synthetic_height;
  cfg.width = spec.synthetic_width;
  cfg.num_classes = spec.synthetic_classes;
  cfg.norm = Normalization{std::vector<double>(cfg.channels, 0.5), std::vector<double>(cfg.channels, 0.29)};
  SmallImageConfig train = cfg, test = cfg;
  train.limit = spec.limit_train;
  train.augment = spec.augment;
  train.flip = spec.flip;
  train.pad = spec.augment ? auto_crop_padding(spec.crop_padding, cfg.height) : 0;
  test.limit = spec.limit_test;
  DataSplits out;
  out.name = "synthetic";
  out.train = make_synthetic_split(spec, 0, spec.synthetic_train, train);
  out.test = make_synthetic_split(spec, 1, spec.synthetic_test, test);
  return out;
}

const std::vector<std::string> kNames{"fashion-mnist", "cifar10", "imagefolder", "synthetic"};

}  // namespace

std::vector<std::string> data_set_names() { return kNames; }

const OptionSchema& data_option_schema() {
  static const OptionSchema schema{
      {"name", OptionType::String, "fashion-mnist",
       "data set: fashion-mnist, cifar10, imagefolder, synthetic, or a data folder"},
      {"root", OptionType::String, "", "folder holding the files (empty: the set's default)"},
      {"limit_train", OptionType::Int, 0, "use only the first N training examples (0: all)", {}, 0, {}},
      {"limit_test", OptionType::Int, 0, "use only the first N test examples (0: all)", {}, 0, {}},
      {"augment", OptionType::Bool, true, "training augmentation"},
      {"flip", OptionType::Bool, true, "horizontal flip within the augmentation"},
      {"crop_padding",
       OptionType::Int,
       -1,
       "small images: random-crop padding (-1: 2 up to 28 px, else 4; 0: no crop)",
       {},
       -1,
       64},
      {"image_size", OptionType::Int, 224, "image folders: crop size", {}, 8, 4096},
      {"resize_size", OptionType::Int, 256, "image folders: evaluation shorter side", {}, 8, 8192},
      {"scale_min", OptionType::Float, 0.08, "image folders: random-resized-crop min area", {}, 1e-6, 1.0},
      {"scale_max", OptionType::Float, 1.0, "image folders: random-resized-crop max area", {}, 1e-6, 1.0},
      {"synthetic_train", OptionType::Int, 1024, "synthetic: training examples", {}, 1, 1e9},
      {"synthetic_test", OptionType::Int, 256, "synthetic: test examples", {}, 1, 1e9},
      {"synthetic_channels", OptionType::Int, 3, "synthetic: channels", {}, 1, 64},
      {"synthetic_height", OptionType::Int, 32, "synthetic: height", {}, 1, 4096},
      {"synthetic_width", OptionType::Int, 32, "synthetic: width", {}, 1, 4096},
      {"synthetic_classes", OptionType::Int, 10, "synthetic: classes", {}, 1, 100000},
      {"synthetic_seed", OptionType::Int, 0, "synthetic: generator seed", {}, 0, {}},
  };
  return schema;
}

DataSpec data_spec_from_json(const json& options) {
  json r = resolve_options("data", data_option_schema(), options);
  DataSpec s;
  s.name_or_path = r["name"].get<std::string>();
  s.root = r["root"].get<std::string>();
  s.limit_train = r["limit_train"].get<int64_t>();
  s.limit_test = r["limit_test"].get<int64_t>();
  s.augment = r["augment"].get<bool>();
  s.flip = r["flip"].get<bool>();
  s.crop_padding = r["crop_padding"].get<int64_t>();
  s.image_size = r["image_size"].get<int64_t>();
  s.resize_size = r["resize_size"].get<int64_t>();
  s.scale_min = r["scale_min"].get<double>();
  s.scale_max = r["scale_max"].get<double>();
  s.synthetic_train = r["synthetic_train"].get<int64_t>();
  s.synthetic_test = r["synthetic_test"].get<int64_t>();
  s.synthetic_channels = r["synthetic_channels"].get<int64_t>();
  s.synthetic_height = r["synthetic_height"].get<int64_t>();
  s.synthetic_width = r["synthetic_width"].get<int64_t>();
  s.synthetic_classes = r["synthetic_classes"].get<int64_t>();
  s.synthetic_seed = static_cast<uint64_t>(r["synthetic_seed"].get<int64_t>());
  return s;
}

json to_json(const DataSpec& s) {
  return {{"name", s.name_or_path},
          {"root", s.root},
          {"limit_train", s.limit_train},
          {"limit_test", s.limit_test},
          {"augment", s.augment},
          {"flip", s.flip},
          {"crop_padding", s.crop_padding},
          {"image_size", s.image_size},
          {"resize_size", s.resize_size},
          {"scale_min", s.scale_min},
          {"scale_max", s.scale_max},
          {"synthetic_train", s.synthetic_train},
          {"synthetic_test", s.synthetic_test},
          {"synthetic_channels", s.synthetic_channels},
          {"synthetic_height", s.synthetic_height},
          {"synthetic_width", s.synthetic_width},
          {"synthetic_classes", s.synthetic_classes},
          {"synthetic_seed", static_cast<int64_t>(s.synthetic_seed)}};
}

json DataSplits::info() const {
  json j;
  j["name"] = name;
  j["path"] = path;
  j["train_size"] = train ? train->size() : 0;
  j["test_size"] = test ? test->size() : 0;
  j["full_train_size"] = train ? train->full_size() : 0;
  j["full_test_size"] = test ? test->full_size() : 0;
  if (train) {
    j["num_classes"] = train->num_classes();
    j["channels"] = train->channels();
    j["height"] = train->height();
    j["width"] = train->width();
    Normalization n = train->normalization();
    j["normalization"] = {{"mean", n.mean}, {"std", n.std}};
    j["augmentation"] = train->augmentation();
  }
  j["skipped_files"] = (train ? train->skipped_files() : 0) + (test ? test->skipped_files() : 0);
  return j;
}

DataSplits open_data(const DataSpec& spec) {
  // Range checks shared with the JSON form (a DataSpec may be filled in directly).
  resolve_options("data", data_option_schema(), to_json(spec));
  const std::string& n = spec.name_or_path;
  if (n == "fashion-mnist")
    return open_fashion_mnist(
        spec, spec.root.empty() ? env_or("ESPBENCH_FASHION_MNIST", kFashionDefaultRoot) : spec.root);
  if (n == "cifar10") {
    std::string root = spec.root.empty() ? env_or("ESPBENCH_CIFAR10", "") : spec.root;
    if (root.empty())
      throw Error(
          "cifar10: no data folder: set the data root (or $ESPBENCH_CIFAR10) to the folder "
          "holding data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
    return open_cifar10(spec, root);
  }
  if (n == "synthetic") return open_synthetic(spec);
  if (n == "imagefolder") {
    if (spec.root.empty())
      throw Error(
          "imagefolder: no data folder: set the data root to a folder with "
          "train/<class>/*.jpg and val/<class>/*.jpg");
    return open_image_folder(spec, spec.root);
  }
  std::error_code ec;
  if (fs::is_directory(n, ec)) {
    fs::path p(n);
    if (is_image_folder(n)) return open_image_folder(spec, n);
    if (exists_file(p / "data_batch_1.bin") || exists_file(p / "cifar-10-batches-bin" / "data_batch_1.bin"))
      return open_cifar10(spec, n);
    if (exists_file(p / "train-images-idx3-ubyte.gz") || exists_file(p / "train-images-idx3-ubyte"))
      return open_fashion_mnist(spec, n);
    throw Error(
        fmt::format("data folder {} holds no recognised data set (expected train/<class>/"
                    "*.jpg and val/<class>/*.jpg, CIFAR-10 binary batches, or Fashion-MNIST "
                    "IDX files)",
                    n));
  }
  std::string hint = closest_match(n, kNames);
  throw Error(
      fmt::format("unknown data set '{}'{}: valid names are {}, or the path of a data "
                  "folder",
                  n, hint.empty() ? "" : " (did you mean '" + hint + "'?)", join(kNames)));
}

}  // namespace espbench::data
