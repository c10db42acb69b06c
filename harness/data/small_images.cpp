#include "harness/data/small_images.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/data/random.h"
#include "modules/error.h"

namespace espbench::data {

int64_t auto_crop_padding(int64_t requested, int64_t height) {
  if (requested >= 0) return requested;
  return height <= 28 ? 2 : 4;
}

SplitConfigs split_configs(const SmallImageConfig& base, const DataSpec& spec) {
  SplitConfigs s{base, base};
  s.train.limit = spec.limit_train;
  s.train.augment = spec.augment;
  s.train.flip = spec.flip;
  s.train.pad = spec.augment ? auto_crop_padding(spec.crop_padding, base.height) : 0;
  s.test.limit = spec.limit_test;
  return s;
}

SmallImageDataset::SmallImageDataset(torch::Tensor images, torch::Tensor labels, SmallImageConfig config)
    : cfg_(std::move(config)) {
  images_ = images.contiguous();
  TORCH_CHECK(images_.dtype() == torch::kUInt8 && images_.dim() == 4 && images_.size(1) == cfg_.channels &&
                  images_.size(2) == cfg_.height && images_.size(3) == cfg_.width,
              "SmallImageDataset: images must be uint8 [N,C,H,W] matching the config");
  auto l = labels.to(torch::kInt64).contiguous();
  TORCH_CHECK(l.dim() == 1 && l.size(0) == images_.size(0), "SmallImageDataset: label count");
  labels_.assign(l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel());
  full_size_ = images_.size(0);
  init();
}

SmallImageDataset::SmallImageDataset(std::vector<int64_t> labels, Generator generate, SmallImageConfig config)
    : cfg_(std::move(config)), labels_(std::move(labels)), generate_(std::move(generate)) {
  full_size_ = static_cast<int64_t>(labels_.size());
  init();
}

void SmallImageDataset::init() {
  size_ = cfg_.limit > 0 ? std::min(cfg_.limit, full_size_) : full_size_;
  if (static_cast<int64_t>(cfg_.norm.mean.size()) != cfg_.channels ||
      static_cast<int64_t>(cfg_.norm.std.size()) != cfg_.channels)
    throw Error(fmt::format("internal: normalisation needs {} channels", cfg_.channels));
  for (int64_t l : labels_)
    if (l < 0 || l >= cfg_.num_classes)
      throw Error(fmt::format("label {} out of range: expected 0..{}", l, cfg_.num_classes - 1));
  lut_.resize(static_cast<size_t>(cfg_.channels) * 256);
  for (int64_t c = 0; c < cfg_.channels; ++c)
    for (int v = 0; v < 256; ++v)
      lut_[c * 256 + v] = static_cast<float>((v / 255.0 - cfg_.norm.mean[c]) / cfg_.norm.std[c]);
  if (cfg_.pad < 0 || cfg_.pad >= std::min(cfg_.height, cfg_.width))
    throw Error(fmt::format("crop_padding {} is invalid for {}x{} images: expected 0..{}", cfg_.pad,
                            cfg_.height, cfg_.width, std::min(cfg_.height, cfg_.width) - 1));
}

json SmallImageDataset::augmentation() const {
  if (!cfg_.augment) return {{"enabled", false}};
  return {{"enabled", true},
          {"random_crop_padding", cfg_.pad},
          {"padding_fill", "black (raw pixel 0, before normalisation)"},
          {"horizontal_flip", cfg_.flip}};
}

int64_t SmallImageDataset::label(int64_t index) const {
  if (index < 0 || index >= size_)
    throw Error(fmt::format("example index {} out of range [0, {})", index, size_));
  return labels_[index];
}

int64_t SmallImageDataset::get(int64_t index, bool augment, uint64_t seed, float* out) const {
  if (index < 0 || index >= size_)
    throw Error(fmt::format("example index {} out of range [0, {})", index, size_));
  const int64_t C = cfg_.channels, H = cfg_.height, W = cfg_.width, HW = H * W;
  const uint8_t* src;
  thread_local std::vector<uint8_t> scratch;
  if (generate_) {
    scratch.resize(static_cast<size_t>(C * HW));
    generate_(index, scratch.data());
    src = scratch.data();
  } else {
    src = images_.data_ptr<uint8_t>() + index * C * HW;
  }

  // Draw order (part of the reproducibility contract): crop row offset, crop column offset, flip.
  int64_t dy = 0, dx = 0;
  bool flip = false;
  if (augment && cfg_.augment) {
    Rng rng(seed);
    if (cfg_.pad > 0) {
      dy = static_cast<int64_t>(rng.below(2 * cfg_.pad + 1)) - cfg_.pad;
      dx = static_cast<int64_t>(rng.below(2 * cfg_.pad + 1)) - cfg_.pad;
    }
    if (cfg_.flip) flip = (rng.next() >> 63) != 0;
  }

  for (int64_t c = 0; c < C; ++c) {
    const float* lut = lut_.data() + c * 256;
    const float fill = lut[0];
    const uint8_t* s = src + c * HW;
    float* o = out + c * HW;
    if (dy == 0 && dx == 0 && !flip) {
      for (int64_t i = 0; i < HW; ++i) o[i] = lut[s[i]];
      continue;
    }
    // Output pixel (y, x) reads source (y + dy, x + dx), or (y + dy, W - 1 - x + dx) when flipped;
    // sources outside the image are padding.
    const int64_t x0 = flip ? std::max<int64_t>(0, dx) : std::max<int64_t>(0, -dx);
    const int64_t x1 = flip ? std::min(W, W + dx) : std::min(W, W - dx);
    for (int64_t y = 0; y < H; ++y) {
      float* orow = o + y * W;
      const int64_t sy = y + dy;
      if (sy < 0 || sy >= H) {
        std::fill(orow, orow + W, fill);
        continue;
      }
      const uint8_t* srow = s + sy * W;
      std::fill(orow, orow + x0, fill);
      if (flip) {
        const int64_t base = W - 1 + dx;
        for (int64_t x = x0; x < x1; ++x) orow[x] = lut[srow[base - x]];
      } else {
        for (int64_t x = x0; x < x1; ++x) orow[x] = lut[srow[x + dx]];
      }
      std::fill(orow + x1, orow + W, fill);
    }
  }
  return labels_[index];
}

}  // namespace espbench::data
