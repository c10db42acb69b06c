// Synthetic images: learnable class patterns plus noise, generated per sample (format in dataset.h).
#include <fmt/format.h>

#include <algorithm>

#include "harness/data/dataset.h"
#include "harness/data/random.h"
#include "harness/data/small_images.h"
#include "modules/error.h"

namespace espbench::data {

namespace {

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
  const auto [train, test] = split_configs(cfg, spec);
  DataSplits out;
  out.name = "synthetic";
  out.train = make_synthetic_split(spec, 0, spec.synthetic_train, train);
  out.test = make_synthetic_split(spec, 1, spec.synthetic_test, test);
  return out;
}

DataSetEntry synthetic_entry() {
  DataSetEntry e;
  e.name = "synthetic";
  e.description = "deterministic random images of any shape (class patterns plus noise), no files";
  e.list_rank = 3;
  e.options = {
      {"synthetic_train", OptionType::Int, 1024, "synthetic: training examples", {}, 1, 1e9},
      {"synthetic_test", OptionType::Int, 256, "synthetic: test examples", {}, 1, 1e9},
      {"synthetic_channels", OptionType::Int, 3, "synthetic: channels", {}, 1, 64},
      {"synthetic_height", OptionType::Int, 32, "synthetic: height", {}, 1, 4096},
      {"synthetic_width", OptionType::Int, 32, "synthetic: width", {}, 1, 4096},
      {"synthetic_classes", OptionType::Int, 10, "synthetic: classes", {}, 1, 100000},
      {"synthetic_seed", OptionType::Int, 0, "synthetic: generator seed", {}, 0, {}},
  };
  e.open = [](const DataSpec& spec, const std::string&) { return open_synthetic(spec); };
  return e;
}

}  // namespace

ESPBENCH_REGISTER_DATA_SET(synthetic_entry());

}  // namespace espbench::data
