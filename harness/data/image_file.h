// Image files of either format the data sets read (JPEG through libjpeg-turbo, PNG through libpng),
// recognised by their first bytes rather than by their names.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "harness/data/jpeg.h"  // RgbImage

namespace espbench::data {

enum class ImageFormat { Unknown, Jpeg, Png };

ImageFormat image_format(const uint8_t* data, size_t size);

// Width and height from the header, after checking that the file is whole without decoding its
// pixels: a PNG's chunks and CRCs up to IEND (check_png), a JPEG's markers up to its frame header
// and an end-of-image marker near the end of the file. False (and `error`) otherwise.
bool check_image(const uint8_t* data, size_t size, int& width, int& height, std::string& error);

// Decodes a JPEG or PNG to 8-bit RGB; false (and `error`) for anything else or a decoding error.
bool decode_image(const uint8_t* data, size_t size, RgbImage& out, std::string& error);

// Reads and decodes `path`; throws espbench::Error "PATH: message" when it cannot.
RgbImage read_image(const std::string& path);

}  // namespace espbench::data
