#include "harness/data/seg_folder.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "harness/data/image_file.h"
#include "harness/data/png.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const Normalization kImageNetNorm{{0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}};

// Label byte -> class, kIgnoreLabel, or -1 (not allowed).
std::vector<int64_t> label_table(const SegSetInfo& info) {
  std::vector<int64_t> lut(256, -1);
  for (int64_t v = 0; v < info.num_classes && v < 256; ++v) lut[v] = v;
  lut[kIgnoreLabel] = kIgnoreLabel;
  return lut;
}

// "" when every label value is allowed, else the message for the first one that is not.
std::string check_values(const LabelImage& l, const std::vector<int64_t>& lut, const SegSetInfo& info) {
  for (size_t i = 0; i < l.values.size(); ++i)
    if (lut[l.values[i]] < 0)
      return fmt::format(
          "label value {} at pixel ({}, {}) is not a class of {} (0..{}) nor {} (ignored); set "
          "data.num_classes to cover it",
          int{l.values[i]}, i % static_cast<size_t>(l.width), i / static_cast<size_t>(l.width), info.name,
          info.num_classes - 1, kIgnoreLabel);
  return "";
}

bool read_labels(const std::string& path, LabelImage& out, std::string& error) {
  thread_local std::vector<uint8_t> bytes;
  if (!read_file(path, bytes, error)) {
    error = fmt::format("{}: cannot read: {}", path, error);
    return false;
  }
  if (!decode_png_labels(bytes.data(), bytes.size(), out, error)) {
    error = fmt::format("{}: not a usable label PNG: {}", path, error);
    return false;
  }
  return true;
}

// "" when the pair is usable, else the one-line message naming the file.
std::string check_pair(const SegPair& p, const std::vector<int64_t>& lut, const SegSetInfo& info) {
  thread_local std::vector<uint8_t> bytes;
  thread_local LabelImage labels;
  std::string error;
  int w = 0, h = 0;
  if (!read_file(p.image, bytes, error)) return fmt::format("{}: cannot read: {}", p.image, error);
  if (!check_image(bytes.data(), bytes.size(), w, h, error))
    return fmt::format("{}: not a usable image: {}", p.image, error);
  if (!read_labels(p.label, labels, error)) return error;
  if (labels.width != w || labels.height != h)
    return fmt::format("{}: label map is {}x{} but its image {} is {}x{}", p.label, labels.width,
                       labels.height, p.image, w, h);
  error = check_values(labels, lut, info);
  return error.empty() ? "" : p.label + ": " + error;
}

// Checks pairs [0, n) on a few threads; throws the first bad pair's message (lowest index).
void check_pairs(const std::vector<SegPair>& pairs, size_t n, const SegSetInfo& info) {
  const std::vector<int64_t> lut = label_table(info);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex m;
  size_t first_bad = n;
  std::string message;
  auto work = [&] {
    while (!failed.load()) {
      const size_t i = next.fetch_add(1);
      if (i >= n) break;
      std::string e;
      try {
        e = check_pair(pairs[i], lut, info);
      } catch (const std::exception& ex) {
        e = fmt::format("{}: {}", pairs[i].image, ex.what());
      }
      if (e.empty()) continue;
      std::lock_guard<std::mutex> lock(m);
      if (i < first_bad) first_bad = i, message = e;
      failed = true;
    }
  };
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < std::min(threads, n); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (first_bad < n) throw Error(message);
}

class SegFolderDataset : public Dataset {
 public:
  SegFolderDataset(std::string dir, std::vector<SegPair> pairs, SegSetInfo info, int64_t size, bool train,
                   bool augment)
      : dir_(std::move(dir)),
        pairs_(std::move(pairs)),
        info_(std::move(info)),
        geometry_(train ? info_.train : info_.eval),
        size_(size),
        augment_(augment),
        lut_(label_table(info_)) {
    if (!augment_) geometry_ = info_.eval;
    for (int c = 0; c < 3; ++c) {
      mul_[c] = static_cast<float>(1.0 / (255.0 * kImageNetNorm.std[c]));
      add_[c] = static_cast<float>(-kImageNetNorm.mean[c] / kImageNetNorm.std[c]);
    }
  }

  int64_t size() const override { return size_; }
  int64_t full_size() const override { return static_cast<int64_t>(pairs_.size()); }
  int64_t num_classes() const override { return info_.num_classes; }
  int64_t channels() const override { return 3; }
  int64_t height() const override { return geometry_.crop_h; }
  int64_t width() const override { return geometry_.crop_w; }
  Normalization normalization() const override { return kImageNetNorm; }
  bool has_augmentation() const override { return augment_; }
  bool dense_labels() const override { return true; }
  std::vector<std::string> class_names() const override { return info_.class_names; }

  json augmentation() const override {
    const SegGeometry& e = info_.eval;
    json eval = fmt::format("resize to {}x{} (labels: nearest pixel)", e.base_w, e.base_h);
    if (!augment_) return {{"enabled", false}, {"eval", eval}};
    const SegGeometry& g = geometry_;
    return {{"enabled", true},
            {"base_size", {g.base_w, g.base_h}},
            {"random_scale", {g.scale_min, g.scale_max}},
            {"crop", {g.crop_w, g.crop_h}},
            {"padding", {{"image", "mean colour (0 after normalisation)"}, {"label", kIgnoreLabel}}},
            {"horizontal_flip", g.flip},
            {"eval", eval}};
  }

  int64_t get(int64_t, bool, uint64_t, float*) const override { throw per_pixel(); }
  int64_t label(int64_t) const override { throw per_pixel(); }

  void get_dense(int64_t index, bool augment, uint64_t seed, float* image, int64_t* labels) const override {
    if (index < 0 || index >= size_)
      throw Error(fmt::format("example index {} out of range [0, {})", index, size_));
    thread_local std::vector<uint8_t> bytes;
    thread_local RgbImage img;
    thread_local LabelImage map;
    const SegPair& p = pairs_[index];
    std::string error;
    if (!read_file(p.image, bytes, error)) throw Error(fmt::format("{}: cannot read: {}", p.image, error));
    if (!decode_image(bytes.data(), bytes.size(), img, error))
      throw Error(fmt::format("{}: cannot decode: {}", p.image, error));
    if (!read_labels(p.label, map, error)) throw Error(error);
    if (map.width != img.width || map.height != img.height)
      throw Error(fmt::format("{}: label map is {}x{} but its image {} is {}x{}", p.label, map.width,
                              map.height, p.image, img.width, img.height));
    if (std::string e = check_values(map, lut_, info_); !e.empty()) throw Error(p.label + ": " + e);
    const SegView v = augment && augment_ ? random_view(geometry_, seed) : centre_view();
    render_image(img, v, mul_, add_, image);
    render_labels(map, v, lut_.data(), labels);
  }

 private:
  Error per_pixel() const {
    return Error(fmt::format("{}: a segmentation set has a label per pixel (Dataset::get_dense)", dir_));
  }

  // The base size, centred in the output window (the eval view when the window is the base size).
  SegView centre_view() const {
    SegView v = eval_view(geometry_);
    v.out_w = geometry_.crop_w;
    v.out_h = geometry_.crop_h;
    v.x = (geometry_.base_w - v.out_w) / 2;
    v.y = (geometry_.base_h - v.out_h) / 2;
    return v;
  }

  std::string dir_;
  std::vector<SegPair> pairs_;
  SegSetInfo info_;
  SegGeometry geometry_;
  int64_t size_ = 0;
  bool augment_ = false;
  std::vector<int64_t> lut_;
  float mul_[3], add_[3];
};

int64_t int_at(const json& list, size_t i) { return list.at(i).get<int64_t>(); }

// The value of a segmentation option: from spec.extra, else its default.
json seg_option(const DataSpec& spec, const std::string& key) {
  if (spec.extra.contains(key)) return spec.extra[key];
  for (const auto& o : seg_data_options())
    if (o.name == key) return o.default_value;
  throw Error(fmt::format("segmentation data: unknown option '{}'", key));
}

}  // namespace

OptionSchema seg_data_options() {
  return {
      {"num_classes",
       OptionType::Int,
       0,
       "segmentation: classes, labels 0..N-1 (0: cityscapes 19, voc 21; the official ESPNetv2 "
       "Cityscapes models have 20, the last an untrained background)",
       {},
       0,
       255},
      {"seg_size",
       OptionType::IntList,
       json::array({0, 0}),
       "segmentation: width,height every image is taken at (0,0: cityscapes 1024,512, voc 512,512)",
       {},
       0,
       8192},
      {"seg_crop",
       OptionType::IntList,
       json::array({0, 0}),
       "segmentation: training crop width,height after the random scale (0,0: seg_size)",
       {},
       0,
       8192},
      {"seg_scale",
       OptionType::FloatList,
       json::array({0.5, 2.0}),
       "segmentation: random scale range of training images, relative to seg_size",
       {},
       0.05,
       8.0},
  };
}

void validate_seg_options(const DataSpec& spec) {
  for (const char* key : {"seg_size", "seg_crop"}) {
    const json v = seg_option(spec, key);
    const bool zero = v.size() == 2 && int_at(v, 0) == 0 && int_at(v, 1) == 0;
    const bool sized = v.size() == 2 && int_at(v, 0) >= 8 && int_at(v, 1) >= 8;
    if (!zero && !sized)
      throw Error(fmt::format("data option {} {} is invalid: expected [width, height], each >= 8 (or [0, 0])",
                              key, v.dump()));
  }
  const json s = seg_option(spec, "seg_scale");
  if (s.size() != 2 || s[0].get<double>() > s[1].get<double>())
    throw Error(
        fmt::format("data option seg_scale {} is invalid: expected [min, max] with min <= max", s.dump()));
}

SegSetInfo seg_set_info(const DataSpec& spec, const std::string& name, int64_t default_classes, int default_w,
                        int default_h) {
  validate_seg_options(spec);
  SegSetInfo info;
  info.name = name;
  const int64_t k = seg_option(spec, "num_classes").get<int64_t>();
  info.num_classes = k > 0 ? k : default_classes;
  const json size = seg_option(spec, "seg_size"), crop = seg_option(spec, "seg_crop");
  const json scale = seg_option(spec, "seg_scale");
  SegGeometry& e = info.eval;
  e.base_w = int_at(size, 0) > 0 ? static_cast<int>(int_at(size, 0)) : default_w;
  e.base_h = int_at(size, 1) > 0 ? static_cast<int>(int_at(size, 1)) : default_h;
  e.crop_w = e.base_w;
  e.crop_h = e.base_h;
  SegGeometry& t = info.train;
  t = e;
  if (int_at(crop, 0) > 0)
    t.crop_w = static_cast<int>(int_at(crop, 0)), t.crop_h = static_cast<int>(int_at(crop, 1));
  t.scale_min = scale[0].get<double>();
  t.scale_max = scale[1].get<double>();
  t.flip = spec.flip;
  return info;
}

std::shared_ptr<const Dataset> make_seg_split(const std::string& dir, std::vector<SegPair> pairs,
                                              const SegSetInfo& info, int64_t limit, bool train,
                                              const DataSpec& spec) {
  if (pairs.empty()) throw Error(fmt::format("{}: no images", dir));
  const int64_t full = static_cast<int64_t>(pairs.size());
  const int64_t size = limit > 0 ? std::min(limit, full) : full;
  check_pairs(pairs, static_cast<size_t>(size), info);
  return std::make_shared<SegFolderDataset>(dir, std::move(pairs), info, size, train, train && spec.augment);
}

std::vector<std::string> sorted_subfolders(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec)) out.push_back(it->path().filename().string());
  if (ec) throw Error(fmt::format("{}: cannot list folder: {}", dir, ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted_files(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (!it->is_directory(ec)) out.push_back(it->path().filename().string());
  if (ec) throw Error(fmt::format("{}: cannot list folder: {}", dir, ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

bool is_folder(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

}  // namespace espbench::data
