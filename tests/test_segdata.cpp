// Segmentation data: PNG reading and writing (libpng), the Cityscapes and PASCAL VOC folder layouts
// with their checks, the random scale/crop/flip applied alike to images and labels, the
// segmentation task (loss and scores leaving out label 255, mIoU from a confusion matrix), and a
// toy network trained on drawn shapes whose mIoU must rise far above an untrained one's.
#include <fmt/format.h>
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "harness/data/dataset.h"
#include "harness/data/image_file.h"
#include "harness/data/jpeg.h"
#include "harness/data/label_image.h"
#include "harness/data/loader.h"
#include "harness/data/png.h"
#include "harness/data/random.h"
#include "harness/report/schema_check.h"
#include "harness/train/evaluate.h"
#include "harness/train/run_config.h"
#include "harness/train/seg_metrics.h"
#include "harness/train/segment_image.h"
#include "harness/train/task.h"
#include "harness/train/trainer.h"
#include "modules/error.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::data;
namespace fs = std::filesystem;
using test::TempDir;

namespace {

// ---- Drawn scenes: a grey noisy background (class 0), a green square (2) and a red disc (1) on
// top, the disc's rim labelled 255 (as VOC marks object boundaries). -----------------------------

struct Scene {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb, labels;
};

Scene draw_scene(int w, int h, uint64_t seed) {
  Rng rng(seed);
  Scene s;
  s.width = w;
  s.height = h;
  s.rgb.resize(static_cast<size_t>(w) * h * 3);
  s.labels.assign(static_cast<size_t>(w) * h, 0);
  const int side = 12 + static_cast<int>(rng.below(10)), sx = static_cast<int>(rng.below(w - side)),
            sy = static_cast<int>(rng.below(h - side));
  const double r = 7 + static_cast<double>(rng.below(7)), cx = r + rng.uniform() * (w - 2 * r),
               cy = r + rng.uniform() * (h - 2 * r);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      const int noise = static_cast<int>(rng.below(41)) - 20;
      int c[3] = {100, 100, 100};
      if (x >= sx && x < sx + side && y >= sy && y < sy + side)
        c[0] = 40, c[1] = 190, c[2] = 60, s.labels[i] = 2;
      const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (d < r) c[0] = 210, c[1] = 40, c[2] = 40, s.labels[i] = 1;
      if (std::abs(d - r) < 1.0) s.labels[i] = 255;
      for (int ch = 0; ch < 3; ++ch)
        s.rgb[i * 3 + ch] = static_cast<uint8_t>(std::clamp(c[ch] + noise, 0, 255));
    }
  return s;
}

// Cityscapes layout: leftImg8bit/<split>/city0/sN_leftImg8bit.png, gtFine/.../sN_gtFine_labelTrainIds.png
void write_cityscapes(const fs::path& root, int n_train, int n_val, int size) {
  for (const auto& [split, n] : {std::pair<std::string, int>{"train", n_train}, {"val", n_val}}) {
    fs::create_directories(root / "leftImg8bit" / split / "city0");
    fs::create_directories(root / "gtFine" / split / "city0");
    for (int i = 0; i < n; ++i) {
      const Scene s = draw_scene(size, size, (split == "train" ? 1000 : 2000) + i);
      const std::string stem = fmt::format("s{:03}", i);
      write_png((root / "leftImg8bit" / split / "city0" / (stem + "_leftImg8bit.png")).string(), s.rgb.data(),
                size, size, 3);
      write_png((root / "gtFine" / split / "city0" / (stem + "_gtFine_labelTrainIds.png")).string(),
                s.labels.data(), size, size, 1);
    }
  }
}

// VOC layout: JPEGImages/<id>.jpg, SegmentationClass/<id>.png (palette), ImageSets/Segmentation/*.txt
void write_voc(const fs::path& root, int n_train, int n_val, int size) {
  for (const char* d : {"JPEGImages", "SegmentationClass", "ImageSets/Segmentation"})
    fs::create_directories(root / d);
  for (const auto& [split, n] : {std::pair<std::string, int>{"train", n_train}, {"val", n_val}}) {
    std::ofstream list(root / "ImageSets/Segmentation" / (split + ".txt"));
    for (int i = 0; i < n; ++i) {
      const Scene s = draw_scene(size, size, (split == "train" ? 3000 : 4000) + i);
      const std::string id = fmt::format("2007_{}{:03}", split, i);
      write_jpeg((root / "JPEGImages" / (id + ".jpg")).string(), s.rgb.data(), size, size, 3, 95);
      write_png_palette((root / "SegmentationClass" / (id + ".png")).string(), s.labels.data(), size, size,
                        label_palette(21));
      list << id << "\n";
    }
  }
}

json seg_data(const std::string& name, const std::string& root, int64_t classes = 3) {
  return {{"name", name},         {"root", root},         {"num_classes", classes},
          {"seg_size", {64, 64}}, {"seg_crop", {48, 48}}, {"seg_scale", {0.75, 1.5}}};
}

DataSplits open_json(const json& j) { return open_data(data_spec_from_json(j)); }

std::vector<uint8_t> bytes_of(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

void write_bytes(const fs::path& p, const std::vector<uint8_t>& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  REQUIRE(f.good());
}

std::vector<uint8_t> file_bytes(const fs::path& p) {
  std::vector<uint8_t> b;
  std::string error;
  REQUIRE(read_file(p.string(), b, error));
  return b;
}

// ---- A toy segmentation network for the training tests: per-pixel logits at the input's size.

class ToySegNet : public Network {
 public:
  ToySegNet(int64_t in, int64_t k) {
    namespace nn = torch::nn;
    c1_ = register_module("c1", nn::Conv2d(nn::Conv2dOptions(in, 16, 3).padding(1)));
    bn_ = register_module("bn", nn::BatchNorm2d(16));
    c2_ = register_module("c2", nn::Conv2d(nn::Conv2dOptions(16, 16, 3).padding(2).dilation(2)));
    c3_ = register_module("c3", nn::Conv2d(nn::Conv2dOptions(16, k, 1)));
  }
  torch::Tensor forward(torch::Tensor x) override { return c3_(torch::relu(c2_(torch::relu(bn_(c1_(x)))))); }

 private:
  torch::nn::Conv2d c1_{nullptr}, c2_{nullptr}, c3_{nullptr};
  torch::nn::BatchNorm2d bn_{nullptr};
};

ModelEntry toy_seg_entry() {
  ModelEntry e;
  e.name = "test_seg_toy";
  e.family = "test_seg_toy";
  e.description = "test only: three convolutions giving per-pixel logits";
  e.schema = {{"in_channels", OptionType::Int, 3, "input channels", {}, 1, 64},
              {"num_classes", OptionType::Int, 3, "classes", {}, 1, 255}};
  e.build = [](const json& o) {
    return std::make_shared<ToySegNet>(o["in_channels"].get<int64_t>(), o["num_classes"].get<int64_t>());
  };
  return e;
}

const json& report_schema() {
  static const json schema =
      train::load_json_file(std::string(ESPBENCH_SOURCE_DIR) + "/harness/report/report.schema.json");
  return schema;
}

}  // namespace

// ---- PNG ----------------------------------------------------------------------------------------

TEST_CASE("PNG: grey, RGB and palette images round-trip through libpng", "[segdata][png]") {
  const Scene s = draw_scene(37, 23, 5);  // odd sizes: row strides are not multiples of 4
  RgbImage rgb;
  LabelImage grey;
  std::string error;
  const std::vector<uint8_t> rgb_png = bytes_of(encode_png(s.rgb.data(), 37, 23, 3));
  REQUIRE(decode_png_rgb(rgb_png.data(), rgb_png.size(), rgb, error));
  REQUIRE((rgb.width == 37 && rgb.height == 23));
  REQUIRE(rgb.pixels == s.rgb);
  const std::vector<uint8_t> grey_png = bytes_of(encode_png(s.labels.data(), 37, 23, 1));
  REQUIRE(decode_png_labels(grey_png.data(), grey_png.size(), grey, error));
  REQUIRE(grey.values == s.labels);
  // Grey as an image: the level in all three channels.
  REQUIRE(decode_png_rgb(grey_png.data(), grey_png.size(), rgb, error));
  for (size_t i = 0; i < s.labels.size(); ++i)
    REQUIRE((rgb.pixels[3 * i] == s.labels[i] && rgb.pixels[3 * i + 2] == s.labels[i]));
  PngHeader h;
  REQUIRE(check_png(grey_png.data(), grey_png.size(), h, error));
  REQUIRE((h.width == 37 && h.height == 23 && h.bit_depth == 8 && h.colour_type == 0));
}

TEST_CASE("PNG: a palette label PNG gives its indices, not its colours", "[segdata][png]") {
  const Scene s = draw_scene(40, 30, 6);
  const auto palette = label_palette(21);
  const std::vector<uint8_t> png = bytes_of(encode_png_palette(s.labels.data(), 40, 30, palette));
  LabelImage labels;
  RgbImage rgb;
  std::string error;
  REQUIRE(decode_png_labels(png.data(), png.size(), labels, error));
  REQUIRE(labels.values == s.labels);
  REQUIRE(decode_png_rgb(png.data(), png.size(), rgb, error));  // as an image: the colours
  for (size_t i = 0; i < s.labels.size(); ++i)
    for (int c = 0; c < 3; ++c) REQUIRE(rgb.pixels[3 * i + c] == palette[s.labels[i]][c]);
  // VOC colours: 1 is (128, 0, 0), 15 (person) is (192, 128, 128), 255 is (224, 224, 192).
  REQUIRE(palette[1] == std::array<uint8_t, 3>{128, 0, 0});
  REQUIRE(palette[15] == std::array<uint8_t, 3>{192, 128, 128});
  REQUIRE(palette[255] == std::array<uint8_t, 3>{224, 224, 192});
  REQUIRE(label_palette(19)[0] == std::array<uint8_t, 3>{128, 64, 128});  // Cityscapes road
  // An RGB PNG is no label map.
  const std::vector<uint8_t> rgb_png = bytes_of(encode_png(s.rgb.data(), 40, 30, 3));
  REQUIRE_FALSE(decode_png_labels(rgb_png.data(), rgb_png.size(), labels, error));
  REQUIRE_THAT(error, Catch::Contains("RGB PNG is not a label map"));
}

TEST_CASE("PNG: truncated and corrupt files are errors, not crashes", "[segdata][png]") {
  const Scene s = draw_scene(48, 48, 7);
  const std::vector<uint8_t> png = bytes_of(encode_png(s.rgb.data(), 48, 48, 3));
  RgbImage rgb;
  LabelImage labels;
  PngHeader h;
  std::string error;
  for (size_t cut : {size_t{4}, size_t{20}, png.size() / 2, png.size() - 5}) {
    const std::vector<uint8_t> part(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(cut));
    CAPTURE(cut);
    REQUIRE_FALSE(decode_png_rgb(part.data(), part.size(), rgb, error));
    REQUIRE_FALSE(error.empty());
    REQUIRE_FALSE(check_png(part.data(), part.size(), h, error));
    REQUIRE_FALSE(decode_png_labels(part.data(), part.size(), labels, error));
  }
  std::vector<uint8_t> bad = png;
  bad[bad.size() / 2] ^= 0x5A;  // inside the image data: its CRC no longer matches
  REQUIRE_FALSE(check_png(bad.data(), bad.size(), h, error));
  REQUIRE_THAT(error, Catch::Contains("CRC"));
  REQUIRE_FALSE(decode_png_rgb(bad.data(), bad.size(), rgb, error));
  const std::vector<uint8_t> junk = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  REQUIRE_FALSE(decode_png_rgb(junk.data(), junk.size(), rgb, error));
  REQUIRE_FALSE(check_png(junk.data(), junk.size(), h, error));
}

TEST_CASE("image files: JPEG or PNG by their first bytes, whole or truncated", "[segdata][png]") {
  TempDir dir("espbench-segimg");
  const Scene s = draw_scene(50, 30, 8);
  write_jpeg(dir / "a.jpg", s.rgb.data(), 50, 30, 3, 90);
  write_png(dir / "b.png", s.rgb.data(), 50, 30, 3);
  for (const char* name : {"a.jpg", "b.png"}) {
    CAPTURE(name);
    const std::vector<uint8_t> b = file_bytes(dir / name);
    int w = 0, h = 0;
    std::string error;
    REQUIRE(check_image(b.data(), b.size(), w, h, error));
    REQUIRE((w == 50 && h == 30));
    const RgbImage img = read_image(dir / name);
    REQUIRE((img.width == 50 && img.height == 30));
    const std::vector<uint8_t> cut(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() * 2 / 3));
    REQUIRE_FALSE(check_image(cut.data(), cut.size(), w, h, error));
    REQUIRE_THAT(error, Catch::Contains("truncated"));
  }
  REQUIRE_THAT(test::error_of([&] { read_image(dir / "missing.png"); }), Catch::Contains("missing.png"));
}

// ---- Scores and the task ------------------------------------------------------------------------

TEST_CASE("segmentation scores from a confusion matrix, by hand", "[segdata][metrics]") {
  // rows = labels, columns = predictions; class 2 never occurs and is never predicted.
  const std::vector<double> cm = {8, 2, 0,  //
                                  1, 4, 0,  //
                                  0, 0, 0};
  const train::SegScores s = train::seg_scores(cm, 3);
  REQUIRE(s.class_iou[0] == Approx(100.0 * 8 / (10 + 9 - 8)));
  REQUIRE(s.class_iou[1] == Approx(100.0 * 4 / (5 + 6 - 4)));
  REQUIRE(std::isnan(s.class_iou[2]));
  REQUIRE(s.classes_scored == 2);
  REQUIRE(s.miou == Approx((s.class_iou[0] + s.class_iou[1]) / 2));
  REQUIRE(s.pixel_acc == Approx(100.0 * 12 / 15));
  // A class predicted but never labelled has IoU 0 and counts in the mean.
  const train::SegScores t = train::seg_scores({5, 1, 0, 0}, 2);
  REQUIRE(t.class_iou[1] == 0.0);
  REQUIRE(t.miou == Approx((100.0 * 5 / 6 + 0.0) / 2));
  REQUIRE(train::seg_scores(std::vector<double>(4, 0.0), 2).miou == 0.0);

  // The confusion matrix of tensors leaves label 255 out.
  const torch::Tensor labels = torch::tensor({0, 0, 1, 255, 2, 1}, torch::kInt64);
  const torch::Tensor pred = torch::tensor({0, 1, 1, 2, 2, 0}, torch::kInt64);
  std::vector<double> m(9, 0.0);
  train::add_confusion(m.data(), pred, labels, 3, 255);
  REQUIRE(m == std::vector<double>{1, 1, 0, 1, 1, 0, 0, 0, 1});
}

TEST_CASE("segmentation task: loss, hits and scores leave label 255 out", "[segdata][metrics]") {
  const train::Task& task = train::segmentation_task();
  torch::manual_seed(3);
  const torch::Tensor logits = torch::randn({2, 4, 5, 6});
  torch::Tensor labels = torch::randint(0, 4, {2, 5, 6}, torch::kInt64);
  labels.index_put_({0, 1}, 255);
  labels.index_put_({1, torch::indexing::Slice(), 2}, 255);
  const torch::Tensor keep = labels.ne(255);
  // Reference: cross-entropy of the kept pixels only.
  const torch::Tensor flat_logits = logits.permute({0, 2, 3, 1}).reshape({-1, 4});
  const torch::Tensor idx = keep.reshape({-1}).nonzero().squeeze(1);
  const torch::Tensor ref = torch::nn::functional::cross_entropy(flat_logits.index_select(0, idx),
                                                                 labels.reshape({-1}).index_select(0, idx));
  REQUIRE(task.loss(logits, labels, 0.0).item<double>() == Approx(ref.item<double>()).epsilon(1e-5));
  const auto [right, counted] = task.hits(logits, labels);
  REQUIRE(counted == keep.sum().item<int64_t>());
  REQUIRE(right == logits.argmax(1).eq(labels).logical_and(keep).sum().item<int64_t>());
  // A batch of ignored pixels only: loss 0, not NaN.
  const torch::Tensor all_ignored = torch::full({2, 5, 6}, 255, torch::kInt64);
  REQUIRE(task.loss(logits, all_ignored, 0.0).item<double>() == 0.0);
  // Evaluation: perfect logits give 100% on the classes present.
  auto ev = task.evaluation(4);
  const torch::Tensor perfect =
      torch::one_hot(labels.clamp_max(3), 4).permute({0, 3, 1, 2}).to(torch::kFloat32);
  ev->add(perfect * 10, labels);
  const json r = ev->record();
  REQUIRE(r["test_miou"].get<double>() == Approx(100.0));
  REQUIRE(r["test_pixel_acc"].get<double>() == Approx(100.0));
  REQUIRE(r["test_class_iou"].size() == 4);
  // Wrong shapes are one clear error.
  REQUIRE_THAT(test::error_of([&] {
                 task.loss(torch::randn({2, 4}), labels, 0.0);
               }),
               Catch::Contains("[N, classes, H, W]"));
  REQUIRE_THAT(test::error_of([&] {
                 task.loss(torch::randn({2, 3, 5, 6}), labels, 0.0);
               }),
               Catch::Contains("num_classes"));
}

TEST_CASE("the schema validator's anyOf takes either alternative", "[segdata][schema]") {
  const json schema =
      json::parse(R"({"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}]})");
  REQUIRE(schema_errors(schema, json::parse(R"({"a": 1})")).empty());
  REQUIRE(schema_errors(schema, json::parse(R"({"b": 1})")).empty());
  const auto errors = schema_errors(schema, json::parse(R"({"c": 1})"));
  REQUIRE(errors.size() == 1);
  REQUIRE_THAT(errors[0], Catch::Contains("none of the alternatives") && Catch::Contains("'b'"));
}

// ---- The folders -------------------------------------------------------------------------------

TEST_CASE("cityscapes and voc folders: pairs, sizes, options, labels aligned with images",
          "[segdata][data]") {
  TempDir dir("espbench-segsets");
  write_cityscapes(dir.path / "cs", 6, 3, 64);
  write_voc(dir.path / "voc", 6, 3, 64);
  for (const auto& [name, root] :
       {std::pair<std::string, std::string>{"cityscapes", dir / "cs"}, {"voc", dir / "voc"}}) {
    CAPTURE(name);
    const DataSplits d = open_json(seg_data(name, root));
    REQUIRE(d.name == name);
    REQUIRE((d.train->size() == 6 && d.test->size() == 3));
    REQUIRE(d.train->dense_labels());
    REQUIRE((d.train->height() == 48 && d.train->width() == 48));  // the crop
    REQUIRE((d.test->height() == 64 && d.test->width() == 64));    // seg_size
    REQUIRE(d.info()["task"] == "segmentation");
    // A folder given as the name is recognised.
    REQUIRE(open_json({{"name", root}, {"num_classes", 3}}).name == name);

    LoaderOptions lo;
    lo.batch_size = 6;
    lo.seed = 11;
    Loader loader(d.train, lo);
    loader.start_epoch(0);
    Batch b;
    REQUIRE(loader.next(b));
    REQUIRE(b.labels.sizes().vec() == std::vector<int64_t>{6, 48, 48});
    const torch::Tensor l = b.labels;
    REQUIRE(l.ne(255).logical_and(l.lt(0).logical_or(l.gt(2))).sum().item<int64_t>() == 0);
    REQUIRE(l.eq(255).any().item<bool>());  // rims (and any padding)
    // Aligned: disc pixels (label 1) are red, the others not (red channel after normalisation).
    const torch::Tensor red = b.images.select(1, 0) > 0.5;
    const double disc_red = red.masked_select(l.eq(1)).to(torch::kFloat64).mean().item<double>();
    const double rest_red =
        red.masked_select(l.eq(0).logical_or(l.eq(2))).to(torch::kFloat64).mean().item<double>();
    CAPTURE(disc_red, rest_red);
    REQUIRE(disc_red > 0.95);
    REQUIRE(rest_red < 0.05);
    // Reproducible from the seed, whatever the workers.
    lo.workers = 3;
    Loader again(d.train, lo);
    again.start_epoch(0);
    Batch c;
    REQUIRE(again.next(c));
    REQUIRE(torch::equal(b.images, c.images));
    REQUIRE(torch::equal(b.labels, c.labels));
  }
  // The sets' own defaults: cityscapes 19 classes at 1024x512, voc 21 at 512x512; 20 classes for
  // cityscapes add "background" (never labelled; 255 stays ignored).
  const DataSplits cs = open_json({{"name", "cityscapes"}, {"root", dir / "cs"}});
  REQUIRE((cs.train->num_classes() == 19 && cs.test->width() == 1024 && cs.test->height() == 512));
  REQUIRE(cs.train->class_names().size() == 19);
  REQUIRE(open_json({{"name", "voc"}, {"root", dir / "voc"}}).train->num_classes() == 21);
  json j20 = seg_data("cityscapes", dir / "cs", 20);
  const DataSplits cs20 = open_json(j20);
  REQUIRE(cs20.train->class_names().back() == "background");
  std::vector<float> img(3 * 64 * 64);
  std::vector<int64_t> lab(64 * 64);
  cs20.test->get_dense(0, false, 0, img.data(), lab.data());
  REQUIRE(std::count(lab.begin(), lab.end(), 255) > 0);
  REQUIRE(std::count(lab.begin(), lab.end(), 19) == 0);
  // Options of the segmentation sets stay out of other sets' configs (and run ids).
  REQUIRE_FALSE(to_json(data_spec_from_json({{"name", "synthetic"}})).contains("seg_size"));
  REQUIRE(to_json(data_spec_from_json({{"name", "voc"}})).contains("seg_size"));
  REQUIRE_THAT(test::error_of([&] {
                 open_json({{"name", "voc"}, {"root", dir / "voc"}, {"seg_crop", {4, 4}}});
               }),
               Catch::Contains("seg_crop"));
}

TEST_CASE("bad segmentation folders are one-line errors naming the file", "[segdata][data][errors]") {
  TempDir dir("espbench-segbad");
  auto fresh = [&](const std::string& name) {
    const fs::path root = dir.path / name;
    write_cityscapes(root, 3, 2, 32);
    return root;
  };
  auto label_of = [](const fs::path& root, int i) {
    return root / "gtFine/train/city0" / fmt::format("s{:03}_gtFine_labelTrainIds.png", i);
  };
  auto image_of = [](const fs::path& root, int i) {
    return root / "leftImg8bit/train/city0" / fmt::format("s{:03}_leftImg8bit.png", i);
  };
  auto error_for = [&](const fs::path& root) {
    const std::string e = test::error_of([&] { open_json(seg_data("cityscapes", root.string())); });
    REQUIRE(e.find('\n') == std::string::npos);
    return e;
  };
  {  // a label value outside the classes
    const fs::path root = fresh("range");
    const Scene s = draw_scene(32, 32, 1);
    std::vector<uint8_t> l = s.labels;
    l[5 * 32 + 7] = 7;
    write_png(label_of(root, 1).string(), l.data(), 32, 32, 1);
    const std::string e = error_for(root);
    REQUIRE_THAT(
        e, Catch::Contains(label_of(root, 1).string()) && Catch::Contains("label value 7 at pixel (7, 5)"));
  }
  {  // a truncated label PNG, a truncated image PNG
    const fs::path root = fresh("cut");
    std::vector<uint8_t> b = file_bytes(label_of(root, 2));
    b.resize(b.size() - 20);
    write_bytes(label_of(root, 2), b);
    REQUIRE_THAT(error_for(root),
                 Catch::Contains(label_of(root, 2).string()) && Catch::Contains("truncated"));
    std::vector<uint8_t> im = file_bytes(image_of(root, 0));
    im.resize(im.size() / 2);
    write_bytes(image_of(root, 0), im);
    REQUIRE_THAT(error_for(root),
                 Catch::Contains(image_of(root, 0).string()) && Catch::Contains("truncated"));
  }
  {  // an image without its label; a folder with no labels at all
    const fs::path root = fresh("missing");
    fs::remove(label_of(root, 1));
    REQUIRE_THAT(error_for(root),
                 Catch::Contains(image_of(root, 1).string()) && Catch::Contains("no label map"));
    fs::remove_all(root / "gtFine");
    REQUIRE_THAT(error_for(root),
                 Catch::Contains(image_of(root, 0).string()) && Catch::Contains("no label map"));
  }
  {  // sizes that do not match; an RGB label
    const fs::path root = fresh("size");
    const Scene s = draw_scene(40, 32, 2);
    write_png(label_of(root, 0).string(), s.labels.data(), 40, 32, 1);
    REQUIRE_THAT(error_for(root), Catch::Contains(label_of(root, 0).string()) && Catch::Contains("40x32"));
    write_png(label_of(root, 0).string(), s.rgb.data(), 40, 32, 3);
    REQUIRE_THAT(error_for(root),
                 Catch::Contains(label_of(root, 0).string()) && Catch::Contains("not a label map"));
  }
  {  // VOC: a listed id without its image
    const fs::path root = dir.path / "voc";
    write_voc(root, 2, 2, 32);
    std::ofstream(root / "ImageSets/Segmentation/train.txt", std::ios::app) << "2008_000001\n";
    REQUIRE_THAT(test::error_of([&] { open_json(seg_data("voc", root.string())); }),
                 Catch::Contains("train.txt") && Catch::Contains("2008_000001"));
  }
}

// ---- Training -----------------------------------------------------------------------------------

TEST_CASE("a toy network trained on drawn shapes: mIoU far above an untrained one's", "[segdata][train]") {
  ScopedRegistration<ModelEntry> model(model_registry(), toy_seg_entry());
  TempDir dir("espbench-segtrain");
  write_cityscapes(dir.path / "cs", 32, 12, 64);
  write_voc(dir.path / "voc", 24, 8, 64);
  for (const auto& [name, root, epochs] :
       {std::tuple<std::string, std::string, int>{"cityscapes", dir / "cs", 8}, {"voc", dir / "voc", 3}}) {
    CAPTURE(name);
    const json config = {{"model", {{"name", "test_seg_toy"}}},
                         {"data", seg_data(name, root)},
                         {"train",
                          {{"epochs", epochs},
                           {"batch_size", 8},
                           {"lr", 0.05},
                           {"schedule", "constant"},
                           {"eval_batch_size", 16},
                           {"checkpoint", false}}},
                         {"runtime", {{"threads", 1}, {"seed", 5}}}};
    const train::RunConfig cfg = train::resolve_run_config(config, "seg.json");
    REQUIRE(cfg.model.options["num_classes"] == 3);  // from the data set

    // The untrained network's mIoU on the same test split (chance level).
    auto splits = train::open_data_shared(cfg.data);
    torch::manual_seed(5);
    NetworkPtr untrained = build_model(resolve_model(cfg.model));
    LoaderOptions eo;
    eo.batch_size = 16;
    eo.shuffle = false;
    eo.augment = false;
    Loader test_loader(splits->test, eo);
    const double chance = train::evaluate(*untrained, test_loader, 3, torch::kCPU, nullptr).primary;

    train::TrainOptions opt;
    opt.progress.mode = train::ProgressOptions::Mode::Quiet;
    const json report = train::train_run(cfg, dir / ("run-" + name), opt);
    INFO(report["epochs"].dump());
    const auto errors = schema_errors(report_schema(), report);
    CAPTURE(errors);
    REQUIRE(errors.empty());
    REQUIRE(report["status"] == "done");
    const json& fin = report["final"];
    REQUIRE(fin.contains("test_miou"));
    REQUIRE_FALSE(fin.contains("test_top1"));
    REQUIRE(fin["test_class_iou"].size() == 3);
    const double miou = fin["test_miou"].get<double>();
    INFO(name << ": untrained mIoU " << chance << "%, after " << epochs << " epochs " << miou
              << "% (pixel acc " << fin["test_pixel_acc"].get<double>() << "%)");
    if (name == "cityscapes") {
      REQUIRE(miou > 70.0);
      REQUIRE(miou > chance + 30.0);
    } else {
      REQUIRE(miou > chance + 10.0);  // fewer epochs: the layout trains, not how far
    }
  }
}

TEST_CASE("segment_image writes the colour labels of an image", "[segdata][infer]") {
  TempDir dir("espbench-segimage");
  const Scene s = draw_scene(40, 30, 9);
  write_jpeg(dir / "in.jpg", s.rgb.data(), 40, 30, 3, 95);
  torch::manual_seed(1);
  ToySegNet net(3, 5);
  const json r = train::segment_image(net, dir / "in.jpg", dir / "out.png", {32, 24, true});
  REQUIRE(r["input"] == json({32, 24}));
  REQUIRE(r["output"] == json({40, 30}));
  const std::vector<uint8_t> b = file_bytes(dir / "out.png");
  LabelImage labels;
  std::string error;
  REQUIRE(decode_png_labels(b.data(), b.size(), labels, error));
  REQUIRE((labels.width == 40 && labels.height == 30));
  int64_t total = 0;
  for (const auto& c : r["pixels_per_class"]) total += c.get<int64_t>();
  REQUIRE(total == 40 * 30);
  // The labels are the network's argmax at the input size (nearest pixel up to the file's size).
  const ModelInput in = load_model_input(dir / "in.jpg", 32, 24);
  net.eval();
  const torch::Tensor pred =
      net.forward(torch::from_blob(const_cast<float*>(in.chw.data()), {1, 3, 24, 32})).argmax(1)[0];
  REQUIRE(labels.values[0] == pred[0][0].item<int64_t>());
  REQUIRE(labels.values[29 * 40 + 39] == pred[23][31].item<int64_t>());
  REQUIRE_THAT(test::error_of([&] { train::segment_image(net, dir / "nothing.jpg", dir / "x.png"); }),
               Catch::Contains("nothing.jpg"));
  REQUIRE_FALSE(fs::exists(dir / "x.png"));
}

TEST_CASE("espbench train on a bad segmentation folder: exit 2, one line, nothing written",
          "[segdata][cli]") {
  TempDir dir("espbench-segcli");
  write_cityscapes(dir.path / "cs", 2, 2, 32);
  fs::remove(dir.path / "cs/gtFine/val/city0/s001_gtFine_labelTrainIds.png");
  const std::string out = dir / "out";
  auto [code, text] =
      test::run_command(test::espbench_binary() + " train espnetv2 --data cityscapes --data-root " +
                        (dir / "cs") + " --epochs 1 --threads 1 --out " + out + " 2>&1");
  CAPTURE(text);
  REQUIRE(code == 2);
  REQUIRE_THAT(text, Catch::Contains("s001_leftImg8bit.png") && Catch::Contains("no label map"));
  REQUIRE(std::count(text.begin(), text.end(), '\n') == 1);
  REQUIRE_FALSE(fs::exists(out));
}

TEST_CASE("espbench train espnetv2_seg --data cityscapes runs end to end", "[segdata][cli]") {
  if (!model_registry().find("espnetv2_seg")) {
    WARN("espnetv2_seg is not registered: end-to-end CLI run skipped");
    return;
  }
  TempDir dir("espbench-segcli2");
  write_cityscapes(dir.path / "cs", 8, 4, 64);
  const json config = {{"model", {{"name", "espnetv2_seg"}, {"options", {{"scale", 0.5}}}}},
                       {"data", seg_data("cityscapes", dir / "cs")},
                       {"train", {{"epochs", 1}, {"batch_size", 4}, {"lr", 0.01}, {"eval_batch_size", 4}}},
                       {"runtime", {{"threads", 1}}}};
  std::ofstream(dir / "run.json") << config.dump();
  int code = 0;
  std::string text;
  std::tie(code, text) = test::run_command(test::espbench_binary() + " train --config " + (dir / "run.json") +
                                           " --quiet --out " + (dir / "out") + " 2>&1");
  CAPTURE(text);
  REQUIRE(code == 0);
  REQUIRE_THAT(text, Catch::Contains("test mIoU"));
  const json report = train::load_json_file(dir / "out/report.json");
  REQUIRE(schema_errors(report_schema(), report).empty());
  REQUIRE(report["final"]["test_class_iou"].size() == 3);

  // infer: the trained weights on one image, its labels as a colour PNG at the image's size.
  const std::string image = dir / "cs/leftImg8bit/val/city0/s000_leftImg8bit.png";
  std::tie(code, text) = test::run_command(
      test::espbench_binary() + " infer espnetv2_seg --set scale=0.5 --set num_classes=3 --weights " +
      (dir / "out/checkpoint_last.pt") + " --image " + image + " --image-size 48 48 --colour-png " +
      (dir / "pred.png") + " 2>&1");
  CAPTURE(text);
  REQUIRE(code == 0);
  const std::vector<uint8_t> b = file_bytes(dir / "pred.png");
  LabelImage labels;
  std::string error;
  REQUIRE(decode_png_labels(b.data(), b.size(), labels, error));
  REQUIRE((labels.width == 64 && labels.height == 64));
  REQUIRE(*std::max_element(labels.values.begin(), labels.values.end()) < 3);
  std::tie(code, text) = test::run_command(test::espbench_binary() + " infer espnetv2_seg --weights " +
                                           (dir / "out/checkpoint_last.pt") + " --image " + image + " 2>&1");
  REQUIRE(code == 2);
  REQUIRE_THAT(text, Catch::Contains("--colour-png"));
}
