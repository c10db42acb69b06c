// JPEG decoding and encoding through libjpeg(-turbo)'s libjpeg API. libjpeg reports fatal errors by
// calling error_exit, which by default exits the process; here it longjmps back, so a corrupt file
// only makes decode_jpeg return false with libjpeg's message. Warnings (e.g. premature end of
// data, which libjpeg fills with grey) are accepted silently.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace espbench::data {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // height * width * 3, RGB interleaved (HWC)
};

// Chooses libjpeg's DCT scale-down from the full image size: returns 1, 2, 4 or 8 (decode at
// 1/denominator of the size, rounded up).
using JpegScaleChooser = std::function<int(int width, int height)>;

// Decodes a JPEG held in memory to RGB (grayscale is expanded). Returns false and sets `error` on
// any libjpeg error, an unsupported colour space or an image over 2^28 pixels.
bool decode_jpeg(const uint8_t* data, size_t size, RgbImage& out, std::string& error,
                 const JpegScaleChooser& choose_scale = {});

// Reads a whole file; false (and `error`) when it cannot be read.
bool read_file(const std::string& path, std::vector<uint8_t>& bytes, std::string& error);

// Writes `pixels` (height * width * channels bytes, channels 1 or 3, interleaved) as a baseline
// JPEG. Throws espbench::Error naming the path on failure. Used for test fixtures and tools.
void write_jpeg(const std::string& path, const uint8_t* pixels, int width, int height, int channels,
                int quality = 90);

}  // namespace espbench::data
