// Internal: the dataset class behind fashion-mnist, cifar10 and synthetic. Raw uint8 CHW samples
// come from memory (one [N,C,H,W] tensor) or from a generator; get() normalises through a per-channel
// lookup table and applies pad-crop-flip augmentation in the same pass (no intermediate tensors).
#pragma once
#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

#include "harness/data/dataset.h"

namespace espbench::data {

struct SmallImageConfig {
  int64_t channels = 1, height = 28, width = 28, num_classes = 10;
  int64_t limit = 0;  // 0 = all
  Normalization norm;
  bool augment = false;  // training augmentation configured for this split
  int64_t pad = 0;       // random-crop padding (0 = no crop)
  bool flip = false;
};

// Resolves DataSpec::crop_padding for an image of this height: -1 -> 2 up to 28 px, else 4.
int64_t auto_crop_padding(int64_t requested, int64_t height);

// The training and test configs of a data set whose images are `base` (channels, size, classes,
// normalisation): the spec's limits, and its augmentation on the training split only (crop padding
// resolved for base.height).
struct SplitConfigs {
  SmallImageConfig train, test;
};
SplitConfigs split_configs(const SmallImageConfig& base, const DataSpec& spec);

class SmallImageDataset : public Dataset {
 public:
  // images: uint8 [N,C,H,W] (made contiguous); labels: int64 [N] with values in [0, num_classes).
  SmallImageDataset(torch::Tensor images, torch::Tensor labels, SmallImageConfig config);
  // generate(i, dst) writes example i's C*H*W raw bytes to dst; labels[i] is its label.
  using Generator = std::function<void(int64_t, uint8_t*)>;
  SmallImageDataset(std::vector<int64_t> labels, Generator generate, SmallImageConfig config);

  int64_t size() const override { return size_; }
  int64_t full_size() const override { return full_size_; }
  int64_t num_classes() const override { return cfg_.num_classes; }
  int64_t channels() const override { return cfg_.channels; }
  int64_t height() const override { return cfg_.height; }
  int64_t width() const override { return cfg_.width; }
  Normalization normalization() const override { return cfg_.norm; }
  bool has_augmentation() const override { return cfg_.augment; }
  json augmentation() const override;
  int64_t get(int64_t index, bool augment, uint64_t seed, float* out) const override;
  int64_t label(int64_t index) const override;

 private:
  void init();
  SmallImageConfig cfg_;
  int64_t full_size_ = 0, size_ = 0;
  torch::Tensor images_;
  std::vector<int64_t> labels_;
  Generator generate_;
  std::vector<float> lut_;  // [C][256]: normalised value of each raw byte
};

}  // namespace espbench::data
