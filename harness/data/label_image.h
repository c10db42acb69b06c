// Label maps as pictures, and image files as a segmentation model's input (`infer --colour-png`
// and the tests use them).
//
// Colours: for 19 classes (20 with background) the Cityscapes colours of the train ids (background
// black); otherwise the PASCAL VOC colour map (class bits spread over the high bits of R, G and B;
// 255, the ignored label, is its cream (224, 224, 192)). Written as palette PNGs whose index is the
// class, so a written map reads back as labels too (decode_png_labels).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace espbench::data {

// 256 colours, index = label value.
std::vector<std::array<uint8_t, 3>> label_palette(int64_t num_classes);

// Writes `labels` (height * width values, each < num_classes or 255) as a palette PNG, atomically.
// Throws espbench::Error naming the path or the bad value.
void write_label_png(const std::string& path, const uint8_t* labels, int width, int height,
                     int64_t num_classes);

// An image file (JPEG or PNG) as the segmentation sets feed it to a model: resized to width x
// height (0, 0: the file's size) with the antialiased bilinear filter, normalised with the ImageNet
// mean and standard deviation, CHW float32.
struct ModelInput {
  int width = 0, height = 0;            // of `chw`
  int file_width = 0, file_height = 0;  // of the file
  std::vector<float> chw;               // 3 * height * width
};
ModelInput load_model_input(const std::string& path, int width = 0, int height = 0);

}  // namespace espbench::data
