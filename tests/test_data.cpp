#include <torch/torch.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "harness/data/dataset.h"
#include "harness/data/idx.h"
#include "harness/data/jpeg.h"
#include "harness/data/loader.h"
#include "harness/data/small_images.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::data;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

void write_bytes(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

void write_gz(const fs::path& p, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(p.string().c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(f) == Z_OK);
}

std::vector<uint8_t> idx_file(uint32_t magic, const std::vector<uint32_t>& dims,
                              const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out;
  auto put = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
  };
  put(magic);
  for (uint32_t d : dims) put(d);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

uint8_t fixture_pixel(int64_t i, int64_t y, int64_t x) {
  return static_cast<uint8_t>((i * 31 + y * 7 + x * 3) % 256);
}

std::vector<uint8_t> fixture_images(uint32_t n) {
  std::vector<uint8_t> px;
  for (uint32_t i = 0; i < n; ++i)
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x) px.push_back(fixture_pixel(i, y, x));
  return px;
}

std::vector<uint8_t> fixture_labels(uint32_t n) {
  std::vector<uint8_t> l;
  for (uint32_t i = 0; i < n; ++i) l.push_back(static_cast<uint8_t>(i % 10));
  return l;
}

// A small Fashion-MNIST look-alike: 20 training and 10 test images of 28x28.
void write_fashion_fixture(const fs::path& dir) {
  for (auto [prefix, n] : {std::pair<const char*, uint32_t>{"train", 20}, {"t10k", 10}}) {
    write_gz(dir / (std::string(prefix) + "-images-idx3-ubyte.gz"),
             idx_file(0x803, {n, 28, 28}, fixture_images(n)));
    write_gz(dir / (std::string(prefix) + "-labels-idx1-ubyte.gz"), idx_file(0x801, {n}, fixture_labels(n)));
  }
}

DataSpec fashion_spec(const TempDir& t) {
  DataSpec s;
  s.root = t.path.string();
  return s;
}

std::vector<Batch> epoch_batches(Loader& loader, int64_t epoch) {
  loader.start_epoch(epoch);
  std::vector<Batch> out;
  Batch b;
  while (loader.next(b)) out.push_back(b);
  return out;
}

bool same_batches(const std::vector<Batch>& a, const std::vector<Batch>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i].images, b[i].images) || !torch::equal(a[i].labels, b[i].labels)) return false;
  return true;
}

}  // namespace

TEST_CASE("IDX reader: gzipped fixtures read back, corrupt ones name the file", "[data]") {
  TempDir t;
  write_fashion_fixture(t.path);
  SECTION("round trip with normalisation") {
    DataSpec spec = fashion_spec(t);
    spec.augment = false;
    DataSplits d = open_data(spec);
    REQUIRE(d.name == "fashion-mnist");
    REQUIRE(d.train->size() == 20);
    REQUIRE(d.test->size() == 10);
    REQUIRE(d.train->channels() == 1);
    REQUIRE(d.train->height() == 28);
    REQUIRE(d.train->width() == 28);
    REQUIRE(d.train->num_classes() == 10);
    std::vector<float> buf(28 * 28);
    REQUIRE(d.train->get(13, true, 99, buf.data()) == 3);  // augment off: seed is irrelevant
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x)
        REQUIRE(buf[y * 28 + x] == Approx((fixture_pixel(13, y, x) / 255.0 - 0.2860) / 0.3530));
    json info = d.info();
    REQUIRE(info["train_size"] == 20);
    REQUIRE(info["test_size"] == 10);
    REQUIRE(info["normalization"]["mean"][0] == 0.2860);
    REQUIRE(info["normalization"]["std"][0] == 0.3530);
    REQUIRE(info["augmentation"]["enabled"] == false);
    REQUIRE(info["skipped_files"] == 0);
  }
  SECTION("default augmentation: crop padding 2 for 28 px, flip") {
    DataSplits d = open_data(fashion_spec(t));
    REQUIRE(d.train->has_augmentation());
    REQUIRE_FALSE(d.test->has_augmentation());
    REQUIRE(d.info()["augmentation"]["random_crop_padding"] == 2);
    REQUIRE(d.info()["augmentation"]["horizontal_flip"] == true);
  }
  SECTION("plain (not gzipped) IDX files are read too") {
    write_bytes(t.path / "plain-idx1", idx_file(0x801, {3}, {1, 2, 3}));
    IdxArray a = read_idx_ubyte((t.path / "plain-idx1").string(), 1);
    REQUIRE(a.dims == std::vector<int64_t>{3});
    REQUIRE(a.data[2].item<uint8_t>() == 3);
  }
  SECTION("wrong magic number") {
    write_gz(t.path / "train-images-idx3-ubyte.gz", idx_file(0x802, {20, 28, 28}, fixture_images(20)));
    REQUIRE_THROWS_WITH(open_data(fashion_spec(t)), Catch::Contains("train-images-idx3-ubyte.gz") &&
                                                        Catch::Contains("magic number 0x00000802") &&
                                                        Catch::Contains("0x00000803"));
  }
  SECTION("count mismatch between images and labels") {
    write_gz(t.path / "t10k-labels-idx1-ubyte.gz", idx_file(0x801, {9}, fixture_labels(9)));
    REQUIRE_THROWS_WITH(open_data(fashion_spec(t)), Catch::Contains("count mismatch") &&
                                                        Catch::Contains("t10k-images-idx3-ubyte.gz") &&
                                                        Catch::Contains("t10k-labels-idx1-ubyte.gz"));
  }
  SECTION("truncated gzip file") {
    fs::path p = t.path / "train-images-idx3-ubyte.gz";
    fs::resize_file(p, fs::file_size(p) / 2);
    REQUIRE_THROWS_WITH(open_data(fashion_spec(t)),
                        Catch::Contains(p.string()) && Catch::Contains("truncated"));
  }
  SECTION("gzip trailer cut off after complete data") {
    fs::path p = t.path / "train-labels-idx1-ubyte.gz";
    fs::resize_file(p, fs::file_size(p) - 4);
    REQUIRE_THROWS_WITH(open_data(fashion_spec(t)), Catch::Contains(p.string()));
  }
  SECTION("payload shorter than the header says") {
    write_gz(t.path / "train-images-idx3-ubyte.gz", idx_file(0x803, {20, 28, 28}, fixture_images(19)));
    REQUIRE_THROWS_WITH(open_data(fashion_spec(t)),
                        Catch::Contains("train-images-idx3-ubyte.gz") && Catch::Contains("truncated"));
  }
  SECTION("label out of range") {
    std::vector<uint8_t> labels = fixture_labels(10);
    labels[4] = 12;
    write_gz(t.path / "t10k-labels-idx1-ubyte.gz", idx_file(0x801, {10}, labels));
    REQUIRE_THROWS_WITH(open_data(fashion_spec(t)),
                        Catch::Contains("t10k-labels-idx1-ubyte.gz") && Catch::Contains("label 12"));
  }
  SECTION("missing file") {
    fs::remove(t.path / "t10k-labels-idx1-ubyte.gz");
    REQUIRE_THROWS_WITH(
        open_data(fashion_spec(t)),
        Catch::Contains("missing file") && Catch::Contains((t.path / "t10k-labels-idx1-ubyte.gz").string()));
  }
  SECTION("a data folder given as the name is recognised") {
    DataSpec spec;
    spec.name_or_path = t.path.string();
    REQUIRE(open_data(spec).name == "fashion-mnist");
  }
}

TEST_CASE("the real Fashion-MNIST files", "[data]") {
  const char* env = std::getenv("ESPBENCH_FASHION_MNIST");
  fs::path root = env && *env ? env : "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(root / "train-images-idx3-ubyte.gz")) {
    WARN("SKIPPED: Fashion-MNIST not found in " << root << " (install dataset-fashion-mnist)");
    return;
  }
  DataSplits d = open_data(DataSpec{});
  REQUIRE(d.train->size() == 60000);
  REQUIRE(d.test->size() == 10000);
  REQUIRE(d.train->num_classes() == 10);
  REQUIRE(d.train->height() == 28);
  REQUIRE(d.train->width() == 28);
  std::vector<int64_t> counts(10, 0);
  for (int64_t i = 0; i < d.test->size(); ++i) {
    int64_t l = d.test->label(i);
    REQUIRE(l >= 0);
    REQUIRE(l < 10);
    ++counts[l];
  }
  for (int64_t c : counts) REQUIRE(c == 1000);
  // The published mean/std normalise the real pixels to about (0, 1).
  LoaderOptions o;
  o.batch_size = 1000;
  o.workers = 0;
  o.shuffle = false;
  Loader loader(d.test, o);
  loader.start_epoch(0);
  double sum = 0, sq = 0;
  int64_t n = 0;
  Batch b;
  while (loader.next(b)) {
    sum += b.images.sum().item<double>();
    sq += b.images.pow(2).sum().item<double>();
    n += b.images.numel();
  }
  const double mean = sum / n;
  REQUIRE(mean == Approx(0.0).margin(0.02));
  REQUIRE(std::sqrt(sq / n - mean * mean) == Approx(1.0).margin(0.03));
}

TEST_CASE("CIFAR-10 binary reader", "[data]") {
  TempDir t;
  // Five training batches of 3 records and a test batch of 2: label = global index % 10.
  auto record = [](int64_t g) {
    std::vector<uint8_t> r{static_cast<uint8_t>(g % 10)};
    for (int c = 0; c < 3; ++c)
      for (int p = 0; p < 1024; ++p) r.push_back(static_cast<uint8_t>((g * 13 + c * 5 + p) % 256));
    return r;
  };
  auto write_batch = [&](const fs::path& p, int64_t first, int64_t n) {
    std::vector<uint8_t> bytes;
    for (int64_t g = first; g < first + n; ++g) {
      auto r = record(g);
      bytes.insert(bytes.end(), r.begin(), r.end());
    }
    write_bytes(p, bytes);
  };
  for (int i = 1; i <= 5; ++i)
    write_batch(t.path / ("data_batch_" + std::to_string(i) + ".bin"), (i - 1) * 3, 3);
  write_batch(t.path / "test_batch.bin", 100, 2);
  DataSpec spec;
  spec.name_or_path = "cifar10";
  spec.root = t.path.string();
  SECTION("reads records in file order, CHW, with the CIFAR normalisation") {
    spec.augment = false;
    DataSplits d = open_data(spec);
    REQUIRE(d.train->size() == 15);
    REQUIRE(d.test->size() == 2);
    REQUIRE(d.train->channels() == 3);
    REQUIRE(d.train->height() == 32);
    std::vector<float> buf(3 * 1024);
    REQUIRE(d.train->get(7, false, 0, buf.data()) == 7);
    const double mean[3] = {0.4914, 0.4822, 0.4465}, std[3] = {0.2470, 0.2435, 0.2616};
    for (int c = 0; c < 3; ++c)
      for (int p : {0, 33, 1023})
        REQUIRE(buf[c * 1024 + p] == Approx(((7 * 13 + c * 5 + p) % 256 / 255.0 - mean[c]) / std[c]));
    REQUIRE(d.test->label(1) == 1);  // record 101
  }
  SECTION("default crop padding is 4 for 32 px") {
    REQUIRE(open_data(spec).info()["augmentation"]["random_crop_padding"] == 4);
  }
  SECTION("wrong file size") {
    std::ofstream(t.path / "data_batch_3.bin", std::ios::app | std::ios::binary).put('x');
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("data_batch_3.bin") &&
                                             Catch::Contains("wrong size") && Catch::Contains("3073"));
  }
  SECTION("bad label byte") {
    auto r = record(0);
    r[0] = 10;
    write_bytes(t.path / "test_batch.bin", r);
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("test_batch.bin") && Catch::Contains("label 10"));
  }
  SECTION("missing file") {
    fs::remove(t.path / "data_batch_5.bin");
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("data_batch_5.bin") && Catch::Contains("missing"));
  }
  SECTION("root from $ESPBENCH_CIFAR10, or a clear error without one") {
    spec.root.clear();
    const char* old = std::getenv("ESPBENCH_CIFAR10");
    std::string saved = old ? old : "";
    unsetenv("ESPBENCH_CIFAR10");
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("ESPBENCH_CIFAR10"));
    setenv("ESPBENCH_CIFAR10", t.path.string().c_str(), 1);
    REQUIRE(open_data(spec).train->size() == 15);
    if (old)
      setenv("ESPBENCH_CIFAR10", saved.c_str(), 1);
    else
      unsetenv("ESPBENCH_CIFAR10");
  }
  SECTION("a folder given as the name, with the cifar-10-batches-bin subfolder") {
    TempDir outer;
    fs::copy(t.path, outer.path / "cifar-10-batches-bin");
    DataSpec s2;
    s2.name_or_path = outer.path.string();
    DataSplits d = open_data(s2);
    REQUIRE(d.name == "cifar10");
    REQUIRE(d.train->size() == 15);
  }
}

TEST_CASE("JPEG image folders: decode, crop, skip unreadable files", "[data]") {
  TempDir t;
  for (const char* d : {"train/cat", "train/dog", "val/cat", "val/dog"}) fs::create_directories(t.path / d);
  auto solid = [](int w, int h, int ch, std::array<uint8_t, 3> rgb) {
    std::vector<uint8_t> px;
    for (int i = 0; i < w * h; ++i)
      for (int c = 0; c < ch; ++c) px.push_back(rgb[c]);
    return px;
  };
  const std::array<uint8_t, 3> red{200, 30, 30}, blue{20, 40, 220};
  for (int i = 0; i < 3; ++i)
    write_jpeg((t.path / "train/cat" / ("cat_" + std::to_string(i) + ".jpg")).string(),
               solid(40 + i, 30, 3, red).data(), 40 + i, 30, 3);
  for (int i = 0; i < 2; ++i)
    write_jpeg((t.path / "train/dog" / ("dog_" + std::to_string(i) + ".JPEG")).string(),
               solid(25, 50, 3, blue).data(), 25, 50, 3);
  write_bytes(t.path / "train/dog/broken.jpg", {'n', 'o', 't', ' ', 'a', ' ', 'j', 'p', 'e', 'g'});
  write_bytes(t.path / "train/dog/notes.txt", {'x'});
  write_jpeg((t.path / "val/cat/c.jpg").string(), solid(64, 48, 3, red).data(), 64, 48, 3);
  write_jpeg((t.path / "val/dog/d.jpg").string(), solid(30, 30, 1, {90, 90, 90}).data(), 30, 30, 1);

  DataSpec spec;
  spec.name_or_path = "imagefolder";
  spec.root = t.path.string();
  spec.image_size = 16;
  spec.resize_size = 20;
  const double mean[3] = {0.485, 0.456, 0.406}, std[3] = {0.229, 0.224, 0.225};
  auto channel_means = [](const torch::Tensor& img) { return img.mean({1, 2}); };

  SECTION("decode_jpeg reports errors instead of aborting") {
    RgbImage img;
    std::string err;
    std::vector<uint8_t> junk{'n', 'o', 'p', 'e'};
    REQUIRE_FALSE(decode_jpeg(junk.data(), junk.size(), img, err));
    REQUIRE(err.find("Not a JPEG") != std::string::npos);
    std::vector<uint8_t> good;
    REQUIRE(read_file((t.path / "val/cat/c.jpg").string(), good, err));
    REQUIRE(decode_jpeg(good.data(), 20, img, err) == false);  // cut inside the headers
    REQUIRE(decode_jpeg(good.data(), good.size(), img, err));
    REQUIRE(img.width == 64);
    REQUIRE(img.height == 48);
    REQUIRE(decode_jpeg(good.data(), good.size(), img, err, [](int, int) { return 2; }));
    REQUIRE(img.width == 32);
  }
  SECTION("training epoch: the unreadable file is skipped and counted, batches keep their shape") {
    DataSplits d = open_data(spec);
    REQUIRE(d.name == "imagefolder");
    REQUIRE(d.train->size() == 6);  // 3 cats, 2 dogs, 1 broken (found when decoded)
    REQUIRE(d.test->size() == 2);
    REQUIRE(d.train->num_classes() == 2);
    REQUIRE(d.info()["skipped_files"] == 0);
    LoaderOptions o;
    o.batch_size = 4;
    o.workers = 2;
    Loader loader(d.train, o);
    auto batches = epoch_batches(loader, 0);
    REQUIRE(batches.size() == 2);
    REQUIRE(batches[0].images.sizes() == torch::IntArrayRef{4, 3, 16, 16});
    REQUIRE(batches[1].images.sizes() == torch::IntArrayRef{2, 3, 16, 16});
    REQUIRE(d.train->skipped_files() == 1);
    REQUIRE(d.info()["skipped_files"] == 1);
    // Every image is its class's solid colour (the stand-in for the broken file carries its own
    // label), whatever crop and flip were drawn.
    for (const auto& b : batches)
      for (int64_t i = 0; i < b.images.size(0); ++i) {
        auto m = channel_means(b.images[i]);
        const auto& rgb = b.labels[i].item<int64_t>() == 0 ? red : blue;
        for (int c = 0; c < 3; ++c)
          REQUIRE(m[c].item<double>() == Approx((rgb[c] / 255.0 - mean[c]) / std[c]).margin(0.1));
      }
    // The next epoch does not count it again.
    epoch_batches(loader, 1);
    REQUIRE(d.train->skipped_files() == 1);
  }
  SECTION("evaluation: resize + centre crop; grayscale expands to RGB") {
    DataSplits d = open_data(spec);
    LoaderOptions o;
    o.shuffle = false;
    o.workers = 0;
    Loader loader(d.test, o);
    auto batches = epoch_batches(loader, 0);
    REQUIRE(batches.size() == 1);
    const auto& b = batches[0];
    REQUIRE(b.labels[0].item<int64_t>() == 0);
    REQUIRE(b.labels[1].item<int64_t>() == 1);
    for (int c = 0; c < 3; ++c) {
      REQUIRE(b.images[0][c].mean().item<double>() ==
              Approx((red[c] / 255.0 - mean[c]) / std[c]).margin(0.1));
      REQUIRE(b.images[1][c].mean().item<double>() == Approx((90 / 255.0 - mean[c]) / std[c]).margin(0.05));
    }
    REQUIRE(d.info()["augmentation"]["random_resized_crop"]["size"] == 16);
  }
  SECTION("geometry: the centre-crop box maps to the right pixels (DCT-scaled decode); flips") {
    // A 200x100 horizontal grey ramp: resize 20 / crop 16 is the box x in [60, 140) of the
    // original, decoded at 1/4 scale.
    std::vector<uint8_t> ramp;
    for (int y = 0; y < 100; ++y)
      for (int x = 0; x < 200; ++x) ramp.push_back(static_cast<uint8_t>(std::lround(x * 255.0 / 199)));
    fs::remove(t.path / "val/dog/d.jpg");
    write_jpeg((t.path / "val/dog/ramp.jpg").string(), ramp.data(), 200, 100, 1, 100);
    DataSplits d = open_data(spec);
    torch::Tensor img = torch::empty({3, 16, 16});
    REQUIRE(d.test->get(1, false, 0, img.data_ptr<float>()) == 1);
    for (int j = 0; j < 16; ++j) {
      const double x = 60 + (j + 0.5) * 5 - 0.5;
      const double expect = (x / 199 - mean[0]) / std[0];
      REQUIRE(img[0][8][j].item<double>() == Approx(expect).margin(0.08));
    }
    // Training crops of the whole (square-ish) image: the ramp keeps or reverses its direction.
    fs::copy_file(t.path / "val/dog/ramp.jpg", t.path / "train/dog/dog_0.JPEG",
                  fs::copy_options::overwrite_existing);
    spec.scale_min = spec.scale_max = 1.0;
    DataSplits tr = open_data(spec);
    int rising = 0, falling = 0;
    for (uint64_t seed = 0; seed < 40; ++seed) {
      tr.train->get(3, true, seed, img.data_ptr<float>());  // index 3 = dog_0 (interleaved order)
      double slope = (img[0][8][15] - img[0][8][0]).item<double>();
      (slope > 0 ? rising : falling)++;
      REQUIRE(std::abs(slope) > 2.0);
    }
    REQUIRE(rising > 5);
    REQUIRE(falling > 5);
  }
  SECTION("a split with no readable image fails the loader with a clear error") {
    fs::remove_all(t.path / "val");
    fs::create_directories(t.path / "val/cat");
    write_bytes(t.path / "val/cat/x.jpg", {0xff, 0xd8, 0xff});
    DataSplits d = open_data(spec);
    LoaderOptions o;
    o.workers = 1;
    Loader loader(d.test, o);
    loader.start_epoch(0);
    Batch b;
    REQUIRE_THROWS_WITH(loader.next(b), Catch::Contains("no readable JPEG"));
  }
  SECTION("layout errors name the folder") {
    fs::create_directories(t.path / "val/cow");
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("'cow'") && Catch::Contains("train"));
    fs::remove_all(t.path / "val");
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains((t.path / "val").string()));
    DataSpec by_path;
    by_path.name_or_path = (t.path / "train").string();
    REQUIRE_THROWS_WITH(open_data(by_path), Catch::Contains("no recognised data set"));
  }
  SECTION("resize_size below image_size is rejected") {
    spec.resize_size = 12;
    REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("resize_size"));
  }
}

TEST_CASE("data set names and options", "[data]") {
  DataSpec spec;
  spec.name_or_path = "fashon-mnist";
  REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("'fashon-mnist'") &&
                                           Catch::Contains("did you mean 'fashion-mnist'") &&
                                           Catch::Contains("fashion-mnist, cifar10, imagefolder, synthetic"));
  DataSpec s = data_spec_from_json({{"name", "synthetic"}, {"limit_train", 5}, {"augment", "off"}});
  REQUIRE(s.name_or_path == "synthetic");
  REQUIRE(s.limit_train == 5);
  REQUIRE_FALSE(s.augment);
  REQUIRE(to_json(s)["limit_train"] == 5);
  REQUIRE(data_spec_from_json(to_json(s)).synthetic_train == s.synthetic_train);
  REQUIRE_THROWS_WITH(data_spec_from_json({{"limit", 5}}), Catch::Contains("'limit'"));
  REQUIRE_THROWS_WITH(data_spec_from_json({{"crop_padding", -2}}), Catch::Contains("crop_padding"));
  spec.name_or_path = "synthetic";
  spec.limit_test = -1;
  REQUIRE_THROWS_WITH(open_data(spec), Catch::Contains("limit_test"));
}

TEST_CASE("small-image normalisation and pad-crop-flip augmentation", "[data]") {
  torch::manual_seed(3);
  torch::Tensor images = torch::randint(0, 256, {4, 2, 9, 7}, torch::kUInt8);
  torch::Tensor labels = torch::tensor({0, 1, 2, 1}, torch::kInt64);
  SmallImageConfig cfg;
  cfg.channels = 2;
  cfg.height = 9;
  cfg.width = 7;
  cfg.num_classes = 3;
  cfg.norm = {{0.3, 0.6}, {0.2, 0.5}};
  cfg.augment = true;
  cfg.pad = 2;
  cfg.flip = true;
  SmallImageDataset ds(images, labels, cfg);
  auto mean = torch::tensor({0.3, 0.6}, torch::kFloat64).view({2, 1, 1});
  auto std = torch::tensor({0.2, 0.5}, torch::kFloat64).view({2, 1, 1});
  auto normalise = [&](const torch::Tensor& raw) {
    return ((raw.to(torch::kFloat64) / 255.0 - mean) / std).to(torch::kFloat32);
  };
  torch::Tensor out = torch::empty({2, 9, 7});
  SECTION("without augmentation: (x / 255 - mean) / std") {
    for (int64_t i = 0; i < 4; ++i) {
      REQUIRE(ds.get(i, false, 123, out.data_ptr<float>()) == labels[i].item<int64_t>());
      REQUIRE(torch::allclose(out, normalise(images[i]), 0, 1e-6));
    }
  }
  SECTION("with augmentation: a crop of the black-padded image, maybe flipped") {
    torch::Tensor padded = normalise(torch::constant_pad_nd(images[1], {2, 2, 2, 2}, 0));
    std::set<std::tuple<int, int, bool>> seen;
    for (uint64_t seed = 0; seed < 300; ++seed) {
      ds.get(1, true, seed, out.data_ptr<float>());
      int matches = 0;
      for (int oy = 0; oy <= 4; ++oy)
        for (int ox = 0; ox <= 4; ++ox)
          for (bool flip : {false, true}) {
            torch::Tensor crop = padded.narrow(1, oy, 9).narrow(2, ox, 7);
            if (flip) crop = crop.flip({2});
            if (torch::equal(out, crop)) {
              ++matches;
              seen.insert({oy, ox, flip});
            }
          }
      REQUIRE(matches >= 1);
      // Same seed, same result.
      torch::Tensor again = torch::empty_like(out);
      ds.get(1, true, seed, again.data_ptr<float>());
      REQUIRE(torch::equal(out, again));
    }
    REQUIRE(seen.size() > 40);  // of the 50 crop/flip combinations
  }
}

TEST_CASE("loader: deterministic per (seed, epoch), any thread count; coverage; limits", "[data]") {
  DataSpec spec;
  spec.name_or_path = "synthetic";
  spec.synthetic_train = 103;
  spec.synthetic_height = 12;
  spec.synthetic_width = 10;
  DataSplits d = open_data(spec);
  REQUIRE(d.train->size() == 103);
  auto run = [&](int64_t workers, int64_t prefetch, int64_t epoch, bool augment = true) {
    LoaderOptions o;
    o.batch_size = 10;
    o.workers = workers;
    o.prefetch = prefetch;
    o.seed = 7;
    o.augment = augment;
    Loader loader(d.train, o);
    return epoch_batches(loader, epoch);
  };
  SECTION("same batches, bitwise, for 0, 1 and 2 workers") {
    auto one = run(1, 1, 3);
    REQUIRE(one.size() == 11);
    REQUIRE(one.back().images.size(0) == 3);
    REQUIRE(one[0].images.sizes() == torch::IntArrayRef{10, 3, 12, 10});
    REQUIRE(one[0].labels.dtype() == torch::kInt64);
    REQUIRE(same_batches(one, run(2, 4, 3)));
    REQUIRE(same_batches(one, run(0, 1, 3)));
    REQUIRE_FALSE(same_batches(one, run(1, 1, 4)));
    // Workers idle safely until the first start_epoch().
    LoaderOptions o;
    o.batch_size = 10;
    o.workers = 2;
    o.seed = 7;
    Loader late(d.train, o);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(same_batches(one, epoch_batches(late, 3)));
  }
  SECTION("a resumed run replays an epoch exactly, even after an abandoned one") {
    LoaderOptions o;
    o.batch_size = 10;
    o.workers = 2;
    o.seed = 7;
    Loader loader(d.train, o);
    auto first = epoch_batches(loader, 3);
    loader.start_epoch(5);
    Batch b;
    REQUIRE(loader.next(b));  // abandon epoch 5 early, with batches in flight
    epoch_batches(loader, 4);
    REQUIRE(same_batches(first, epoch_batches(loader, 3)));
  }
  SECTION("every example exactly once per epoch, in the epoch's order") {
    auto batches = run(2, 3, 2, /*augment=*/false);
    std::vector<int64_t> order = epoch_order(103, true, 7, 2);
    std::vector<int64_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (int64_t i = 0; i < 103; ++i) REQUIRE(sorted[i] == i);
    REQUIRE(order != epoch_order(103, true, 7, 3));
    torch::Tensor expect = torch::empty({3, 12, 10});
    int64_t k = 0;
    for (const auto& b : batches)
      for (int64_t i = 0; i < b.images.size(0); ++i, ++k) {
        REQUIRE(d.train->get(order[k], false, 0, expect.data_ptr<float>()) == b.labels[i].item<int64_t>());
        REQUIRE(torch::equal(b.images[i], expect));
      }
    REQUIRE(k == 103);
  }
  SECTION("drop_last, limit and shuffle off") {
    LoaderOptions o;
    o.batch_size = 10;
    o.drop_last = true;
    REQUIRE(Loader(d.train, o).batches_per_epoch() == 10);
    REQUIRE(Loader(d.train, o).examples_per_epoch() == 100);
    o.drop_last = false;
    o.limit = 25;
    o.shuffle = false;
    o.augment = false;
    Loader loader(d.train, o);
    REQUIRE(loader.batches_per_epoch() == 3);
    auto batches = epoch_batches(loader, 0);
    REQUIRE(batches.size() == 3);
    REQUIRE(batches[2].labels.size(0) == 5);
    for (int64_t i = 0; i < 5; ++i) REQUIRE(batches[2].labels[i].item<int64_t>() == d.train->label(20 + i));
    DataSpec limited = spec;
    limited.limit_train = 30;
    limited.limit_test = 7;
    DataSplits l = open_data(limited);
    REQUIRE(l.train->size() == 30);
    REQUIRE(l.train->full_size() == 103);
    REQUIRE(l.info()["test_size"] == 7);
    REQUIRE(l.info()["full_test_size"] == 256);
  }
  SECTION("bad options and misuse are espbench::Errors") {
    LoaderOptions o;
    o.batch_size = 0;
    REQUIRE_THROWS_WITH(Loader(d.train, o), Catch::Contains("batch_size") && Catch::Contains(">= 1"));
    o.batch_size = 4;
    o.prefetch = 0;
    REQUIRE_THROWS_WITH(Loader(d.train, o), Catch::Contains("prefetch"));
    o.prefetch = 2;
    Loader loader(d.train, o);
    Batch b;
    REQUIRE_THROWS_AS(loader.next(b), Error);
    REQUIRE_THROWS_AS(loader.start_epoch(-1), Error);
  }
  SECTION("synthetic data is deterministic and class-dependent") {
    DataSplits again = open_data(spec);
    torch::Tensor a = torch::empty({3, 12, 10}), b = torch::empty({3, 12, 10});
    d.train->get(17, false, 0, a.data_ptr<float>());
    again.train->get(17, false, 0, b.data_ptr<float>());
    REQUIRE(torch::equal(a, b));
    REQUIRE(d.train->label(17) == again.train->label(17));
  }
}

// The loader at the training shape (batch 128 of augmented 1x28x28 images, a final partial batch)
// for every worker count; its speed is measured by espbench_loader_bench.
TEST_CASE("loader: Fashion-MNIST-shaped batches of 128, augmented, for 0, 1 and 2 workers", "[data]") {
  DataSpec spec;
  spec.name_or_path = "synthetic";
  spec.synthetic_train = 300;
  spec.synthetic_channels = 1;
  spec.synthetic_height = spec.synthetic_width = 28;
  DataSplits d = open_data(spec);
  std::vector<std::vector<Batch>> reference;  // per epoch, from the first worker count
  for (int64_t workers : {0, 1, 2}) {
    CAPTURE(workers);
    LoaderOptions o;
    o.batch_size = 128;
    o.workers = workers;
    o.seed = 1;
    Loader loader(d.train, o);
    REQUIRE(loader.batches_per_epoch() == 3);
    REQUIRE(loader.examples_per_epoch() == 300);
    for (int64_t e = 0; e < 2; ++e) {
      CAPTURE(e);
      const std::vector<Batch> batches = epoch_batches(loader, e);
      REQUIRE(batches.size() == 3);
      const std::vector<int64_t> order = epoch_order(300, true, 1, e);
      int64_t k = 0;
      for (size_t i = 0; i < batches.size(); ++i) {
        const Batch& b = batches[i];
        const int64_t n = i + 1 < batches.size() ? 128 : 300 - 2 * 128;
        REQUIRE(b.epoch == e);
        REQUIRE(b.index == static_cast<int64_t>(i));
        REQUIRE(b.images.sizes() == torch::IntArrayRef{n, 1, 28, 28});
        REQUIRE(b.images.dtype() == torch::kFloat32);
        REQUIRE(b.labels.sizes() == torch::IntArrayRef{n});
        REQUIRE(b.labels.dtype() == torch::kInt64);
        REQUIRE(torch::isfinite(b.images).all().item<bool>());
        for (int64_t j = 0; j < n; ++j, ++k) REQUIRE(b.labels[j].item<int64_t>() == d.train->label(order[k]));
      }
      REQUIRE(k == 300);
      if (static_cast<int64_t>(reference.size()) == e)
        reference.push_back(batches);
      else
        REQUIRE(same_batches(batches, reference[e]));
    }
  }
}
