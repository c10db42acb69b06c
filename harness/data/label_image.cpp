#include "harness/data/label_image.h"

#include <fmt/format.h>

#include "harness/data/image_file.h"
#include "harness/data/png.h"
#include "harness/data/resample.h"
#include "modules/error.h"

namespace espbench::data {

namespace {

// The Cityscapes colours of train ids 0..18 (road ... bicycle).
const std::array<uint8_t, 3> kCityscapes[19] = {
    {128, 64, 128},  {244, 35, 232}, {70, 70, 70},  {102, 102, 156}, {190, 153, 153},
    {153, 153, 153}, {250, 170, 30}, {220, 220, 0}, {107, 142, 35},  {152, 251, 152},
    {70, 130, 180},  {220, 20, 60},  {255, 0, 0},   {0, 0, 142},     {0, 0, 70},
    {0, 60, 100},    {0, 80, 100},   {0, 0, 230},   {119, 11, 32}};

// Bit j of (R, G, B) of label v comes from bits 3j, 3j+1, 3j+2 of v, filled from the top bit down.
std::array<uint8_t, 3> voc_colour(int v) {
  std::array<uint8_t, 3> c{0, 0, 0};
  for (int bit = 7; v > 0; --bit, v >>= 3)
    for (int ch = 0; ch < 3; ++ch) c[ch] = static_cast<uint8_t>(c[ch] | (((v >> ch) & 1) << bit));
  return c;
}

// As the segmentation sets normalise (seg_folder.cpp).
const double kMean[3] = {0.485, 0.456, 0.406};
const double kStd[3] = {0.229, 0.224, 0.225};

}  // namespace

std::vector<std::array<uint8_t, 3>> label_palette(int64_t num_classes) {
  std::vector<std::array<uint8_t, 3>> p(256);
  for (int v = 0; v < 256; ++v) p[v] = voc_colour(v);
  if (num_classes == 19 || num_classes == 20) {
    for (int v = 0; v < 19; ++v) p[v] = kCityscapes[v];
    p[19] = {0, 0, 0};
  }
  return p;
}

void write_label_png(const std::string& path, const uint8_t* labels, int width, int height,
                     int64_t num_classes) {
  const size_t n = static_cast<size_t>(std::max(width, 0)) * static_cast<size_t>(std::max(height, 0));
  for (size_t i = 0; i < n; ++i)
    if (labels[i] >= num_classes && labels[i] != 255)
      throw Error(fmt::format("{}: label {} at pixel {} is not one of the {} classes", path, int{labels[i]},
                              i, num_classes));
  write_png_palette(path, labels, width, height, label_palette(num_classes));
}

ModelInput load_model_input(const std::string& path, int width, int height) {
  const RgbImage img = read_image(path);
  ModelInput in;
  in.file_width = img.width;
  in.file_height = img.height;
  in.width = width > 0 ? width : img.width;
  in.height = height > 0 ? height : img.height;
  float mul[3], add[3];
  for (int c = 0; c < 3; ++c) {
    mul[c] = static_cast<float>(1.0 / (255.0 * kStd[c]));
    add[c] = static_cast<float>(-kMean[c] / kStd[c]);
  }
  in.chw.resize(3 * static_cast<size_t>(in.width) * in.height);
  resample(img, 0, 0, img.width, img.height, in.width, in.height, /*flip=*/false, mul, add, in.chw.data());
  return in;
}

}  // namespace espbench::data
