#include "harness/data/image_folder.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>

#include "harness/data/jpeg.h"
#include "harness/data/random.h"
#include "harness/data/resample.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const Normalization kImageNetNorm{{0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}};

bool is_jpeg_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg";
}

std::vector<std::string> sorted_subdirs(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::string> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec)) out.push_back(it->path().filename().string());
  if (ec) throw Error(fmt::format("{}: cannot list folder: {}", dir.string(), ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted_jpegs(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::string> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (is_jpeg_name(it->path()) && !it->is_directory(ec)) out.push_back(it->path().string());
  if (ec) throw Error(fmt::format("{}: cannot list folder: {}", dir.string(), ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// torchvision's RandomResizedCrop.get_params, with our counter-based generator.
Box random_resized_crop(int W, int H, double scale_min, double scale_max, Rng& rng) {
  const double area = static_cast<double>(W) * H;
  const double log_lo = std::log(3.0 / 4.0), log_hi = std::log(4.0 / 3.0);
  for (int attempt = 0; attempt < 10; ++attempt) {
    double target = area * rng.uniform(scale_min, scale_max);
    double aspect = std::exp(rng.uniform(log_lo, log_hi));
    int w = static_cast<int>(std::lround(std::sqrt(target * aspect)));
    int h = static_cast<int>(std::lround(std::sqrt(target / aspect)));
    if (w > 0 && h > 0 && w <= W && h <= H) {
      int i = static_cast<int>(rng.below(static_cast<uint64_t>(H - h + 1)));
      int j = static_cast<int>(rng.below(static_cast<uint64_t>(W - w + 1)));
      return {double(j), double(i), double(j + w), double(i + h)};
    }
  }
  // Fallback: centre crop clamped to the ratio range.
  double ratio = static_cast<double>(W) / H;
  int w = W, h = H;
  if (ratio < 3.0 / 4.0)
    h = std::min(H, static_cast<int>(std::lround(W / (3.0 / 4.0))));
  else if (ratio > 4.0 / 3.0)
    w = std::min(W, static_cast<int>(std::lround(H * (4.0 / 3.0))));
  int i = (H - h) / 2, j = (W - w) / 2;
  return {double(j), double(i), double(j + w), double(i + h)};
}

// Resize(shorter side -> resize) then CenterCrop(crop), expressed as a box of the original image.
Box resize_center_crop(int W, int H, int resize, int crop) {
  double s = static_cast<double>(resize) / std::min(W, H);
  double cw = crop / s, ch = crop / s;
  double x0 = (W - cw) / 2, y0 = (H - ch) / 2;
  return {x0, y0, x0 + cw, y0 + ch};
}

struct FolderConfig {
  std::string dir;  // the split folder, for messages
  int64_t num_classes = 0, limit = 0;
  int image_size = 224, resize_size = 256;
  double scale_min = 0.08, scale_max = 1.0;
  bool augment = false, flip = false;
};

class ImageFolderDataset : public Dataset {
 public:
  ImageFolderDataset(std::vector<std::string> paths, std::vector<int64_t> labels, FolderConfig cfg)
      : cfg_(std::move(cfg)), paths_(std::move(paths)), labels_(std::move(labels)) {
    full_size_ = static_cast<int64_t>(paths_.size());
    size_ = cfg_.limit > 0 ? std::min(cfg_.limit, full_size_) : full_size_;
    bad_ = std::make_unique<std::atomic<bool>[]>(static_cast<size_t>(size_));
    for (int64_t i = 0; i < size_; ++i) bad_[i].store(false);
    for (int c = 0; c < 3; ++c) {
      mul_[c] = static_cast<float>(1.0 / (255.0 * kImageNetNorm.std[c]));
      add_[c] = static_cast<float>(-kImageNetNorm.mean[c] / kImageNetNorm.std[c]);
    }
  }

  int64_t size() const override { return size_; }
  int64_t full_size() const override { return full_size_; }
  int64_t num_classes() const override { return cfg_.num_classes; }
  int64_t channels() const override { return 3; }
  int64_t height() const override { return cfg_.image_size; }
  int64_t width() const override { return cfg_.image_size; }
  Normalization normalization() const override { return kImageNetNorm; }
  bool has_augmentation() const override { return cfg_.augment; }
  int64_t skipped_files() const override { return skipped_.load(); }

  json augmentation() const override {
    json eval = fmt::format("resize shorter side to {}, centre crop {}", cfg_.resize_size, cfg_.image_size);
    if (!cfg_.augment) return {{"enabled", false}, {"eval", eval}};
    return {{"enabled", true},
            {"random_resized_crop",
             {{"size", cfg_.image_size},
              {"scale", {cfg_.scale_min, cfg_.scale_max}},
              {"ratio", {3.0 / 4.0, 4.0 / 3.0}}}},
            {"horizontal_flip", cfg_.flip},
            {"eval", eval}};
  }

  int64_t label(int64_t index) const override {
    check_index(index);
    return labels_[index];
  }

  int64_t get(int64_t index, bool augment, uint64_t seed, float* out) const override {
    check_index(index);
    std::string error;
    for (int64_t attempt = 0; attempt < size_; ++attempt) {
      int64_t i = (index + attempt) % size_;
      if (bad_[i].load(std::memory_order_relaxed)) continue;
      if (load(i, augment && cfg_.augment, seed, out, error)) return labels_[i];
      if (!bad_[i].exchange(true)) {
        skipped_.fetch_add(1);
        std::lock_guard<std::mutex> lock(warn_mutex_);
        std::cerr << "espbench: warning: skipping unreadable image " << paths_[i] << ": " << error << "\n";
      }
    }
    throw Error(fmt::format("{}: no readable JPEG among the {} images used ({} skipped)", cfg_.dir, size_,
                            skipped_.load()));
  }

 private:
  void check_index(int64_t index) const {
    if (index < 0 || index >= size_)
      throw Error(fmt::format("example index {} out of range [0, {})", index, size_));
  }

  bool load(int64_t i, bool augment, uint64_t seed, float* out, std::string& error) const {
    thread_local std::vector<uint8_t> bytes;
    thread_local RgbImage img;
    if (!read_file(paths_[i], bytes, error)) return false;
    Rng rng(seed);
    const int size = cfg_.image_size;
    Box box;
    int full_w = 0, full_h = 0;
    // Draw order: crop (torchvision's draws), then flip.
    auto choose = [&](int W, int H) {
      full_w = W;
      full_h = H;
      box = augment ? random_resized_crop(W, H, cfg_.scale_min, cfg_.scale_max, rng)
                    : resize_center_crop(W, H, cfg_.resize_size, size);
      int denom = 8;
      while (denom > 1 && ((box.x1 - box.x0) / denom < size || (box.y1 - box.y0) / denom < size)) denom /= 2;
      return denom;
    };
    if (!decode_jpeg(bytes.data(), bytes.size(), img, error, choose)) return false;
    bool flip = augment && cfg_.flip && (rng.next() >> 63) != 0;
    const double sx = static_cast<double>(img.width) / full_w;
    const double sy = static_cast<double>(img.height) / full_h;
    resample(img, box.x0 * sx, box.y0 * sy, box.x1 * sx, box.y1 * sy, size, size, flip, mul_, add_, out);
    return true;
  }

  FolderConfig cfg_;
  std::vector<std::string> paths_;
  std::vector<int64_t> labels_;
  int64_t full_size_ = 0, size_ = 0;
  float mul_[3], add_[3];
  std::unique_ptr<std::atomic<bool>[]> bad_;
  mutable std::atomic<int64_t> skipped_{0};
  mutable std::mutex warn_mutex_;
};

// Files of one split, in class-interleaved order (round robin over the sorted classes, each class's
// files sorted), so that "the first N examples" cover the classes evenly.
void scan_split(const fs::path& dir, const std::map<std::string, int64_t>& class_index,
                const fs::path& train_dir, std::vector<std::string>& paths, std::vector<int64_t>& labels) {
  std::vector<std::vector<std::string>> per_class(class_index.size());
  for (const auto& name : sorted_subdirs(dir)) {
    auto it = class_index.find(name);
    if (it == class_index.end())
      throw Error(
          fmt::format("{}: class folder '{}' is not in {} (the classes are the train/ "
                      "subfolders)",
                      dir.string(), name, train_dir.string()));
    per_class[it->second] = sorted_jpegs(dir / name);
  }
  size_t longest = 0;
  for (const auto& v : per_class) longest = std::max(longest, v.size());
  for (size_t r = 0; r < longest; ++r)
    for (size_t c = 0; c < per_class.size(); ++c)
      if (r < per_class[c].size()) {
        paths.push_back(per_class[c][r]);
        labels.push_back(static_cast<int64_t>(c));
      }
  if (paths.empty())
    throw Error(
        fmt::format("{}: no .jpg/.jpeg images in its class folders (expected "
                    "{}/<class>/*.jpg)",
                    dir.string(), dir.string()));
}

}  // namespace

bool is_image_folder(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(fs::path(dir) / "train", ec) && fs::is_directory(fs::path(dir) / "val", ec);
}

DataSplits open_image_folder(const DataSpec& spec, const std::string& root) {
  const fs::path base(root);
  const fs::path train_dir = base / "train", val_dir = base / "val";
  for (const auto& d : {train_dir, val_dir})
    if (!fs::is_directory(d))
      throw Error(
          fmt::format("image folder {}: missing folder {} (expected {}/train/<class>/*.jpg "
                      "and {}/val/<class>/*.jpg)",
                      root, d.string(), root, root));
  if (spec.image_size < 8 || spec.image_size > 4096)
    throw Error(fmt::format("data option image_size {} is invalid: expected 8..4096", spec.image_size));
  if (spec.resize_size < spec.image_size)
    throw Error(fmt::format("data option resize_size {} is invalid: expected >= image_size {}",
                            spec.resize_size, spec.image_size));
  if (!(spec.scale_min > 0 && spec.scale_min <= spec.scale_max && spec.scale_max <= 1))
    throw Error(
        fmt::format("data options scale_min {} / scale_max {} are invalid: expected "
                    "0 < scale_min <= scale_max <= 1",
                    spec.scale_min, spec.scale_max));

  std::vector<std::string> classes = sorted_subdirs(train_dir);
  if (classes.empty())
    throw Error(fmt::format("{}: no class folders (expected {}/<class>/*.jpg)", train_dir.string(),
                            train_dir.string()));
  std::map<std::string, int64_t> class_index;
  for (size_t i = 0; i < classes.size(); ++i) class_index[classes[i]] = static_cast<int64_t>(i);

  FolderConfig cfg;
  cfg.num_classes = static_cast<int64_t>(classes.size());
  cfg.image_size = static_cast<int>(spec.image_size);
  cfg.resize_size = static_cast<int>(spec.resize_size);
  cfg.scale_min = spec.scale_min;
  cfg.scale_max = spec.scale_max;

  DataSplits out;
  out.name = "imagefolder";
  out.path = root;
  {
    std::vector<std::string> paths;
    std::vector<int64_t> labels;
    scan_split(train_dir, class_index, train_dir, paths, labels);
    FolderConfig c = cfg;
    c.dir = train_dir.string();
    c.limit = spec.limit_train;
    c.augment = spec.augment;
    c.flip = spec.flip;
    out.train = std::make_shared<ImageFolderDataset>(std::move(paths), std::move(labels), c);
  }
  {
    std::vector<std::string> paths;
    std::vector<int64_t> labels;
    scan_split(val_dir, class_index, train_dir, paths, labels);
    FolderConfig c = cfg;
    c.dir = val_dir.string();
    c.limit = spec.limit_test;
    out.test = std::make_shared<ImageFolderDataset>(std::move(paths), std::move(labels), c);
  }
  return out;
}

}  // namespace espbench::data
