// PNG decoding and encoding through libpng, for segmentation data (label maps and images) and the
// colour label images `infer` writes.
//
// libpng reports fatal errors by longjmp-ing back to the caller's setjmp; every libpng call here sits
// in one small C-style function per direction (plain structs, malloc'ed buffers, nothing with a
// destructor between setjmp and the last libpng call), so an error frees what it allocated and
// skips no destructor. A corrupt or truncated file only makes the decoder return false with
// libpng's message (or ours, e.g. "file ends early"); warnings are silent.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/data/jpeg.h"  // RgbImage

namespace espbench::data {

// An 8-bit label map: one byte per pixel (a grey level or a palette index), row-major.
struct LabelImage {
  int width = 0, height = 0;
  std::vector<uint8_t> values;  // height * width
};

// The header of a PNG (its IHDR chunk).
struct PngHeader {
  int width = 0, height = 0;
  int bit_depth = 0;    // 1, 2, 4, 8 or 16
  int colour_type = 0;  // 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA (PNG specification)
};

// Whether `data` starts with the 8-byte PNG signature.
bool is_png(const uint8_t* data, size_t size);

// Walks the chunks of a PNG held in memory without inflating anything: signature, IHDR first, every
// chunk's length and CRC, an IEND at the end (anything after IEND is ignored). Fills `header` from
// IHDR. False (and `error`) for a truncated or corrupt file. Cheap: used to check every image of a
// data set when it is opened.
bool check_png(const uint8_t* data, size_t size, PngHeader& header, std::string& error);

// Decodes any PNG to 8-bit RGB: palettes expanded, grey copied to the three channels, 16-bit
// channels reduced to 8, alpha dropped. False (and `error`) on any libpng error.
bool decode_png_rgb(const uint8_t* data, size_t size, RgbImage& out, std::string& error);

// Decodes a label PNG: 8-bit (or 1/2/4-bit) grey, whose grey level is the label, or a palette PNG,
// whose palette index is the label (the palette itself is not applied). Any other colour type or a
// 16-bit grey PNG is an error naming what the file is.
bool decode_png_labels(const uint8_t* data, size_t size, LabelImage& out, std::string& error);

// Encodes to PNG in memory (throws espbench::Error on failure).
//   channels 1: grey, 3: RGB; `pixels` is height * width * channels bytes, interleaved.
std::string encode_png(const uint8_t* pixels, int width, int height, int channels);
//   A palette PNG: `indices` is height * width bytes, each < palette.size() <= 256.
std::string encode_png_palette(const uint8_t* indices, int width, int height,
                               const std::vector<std::array<uint8_t, 3>>& palette);

// The same, written atomically to `path` (temporary file + rename); errors name the path.
void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels);
void write_png_palette(const std::string& path, const uint8_t* indices, int width, int height,
                       const std::vector<std::array<uint8_t, 3>>& palette);

}  // namespace espbench::data
