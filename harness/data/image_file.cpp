#include "harness/data/image_file.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/data/png.h"
#include "modules/error.h"

namespace espbench::data {

namespace {

int be16(const uint8_t* p) { return (int{p[0]} << 8) | int{p[1]}; }

bool is_sof(int marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Walks the marker segments up to the frame header (SOFn) for the size.
bool jpeg_size(const uint8_t* data, size_t size, int& width, int& height, std::string& error) {
  size_t pos = 2;
  while (true) {
    while (pos < size && data[pos] == 0xFF && pos + 1 < size && data[pos + 1] == 0xFF) ++pos;  // fill
    if (pos + 4 > size) {
      error = "file ends early (truncated before the frame header)";
      return false;
    }
    if (data[pos] != 0xFF) {
      error = "corrupt JPEG (no marker where a segment should start)";
      return false;
    }
    const int marker = data[pos + 1];
    pos += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) {
      error = "corrupt JPEG (no frame header before the image data)";
      return false;
    }
    const size_t len = static_cast<size_t>(be16(data + pos));
    if (len < 2 || pos + len > size) {
      error = "file ends early (truncated in a header segment)";
      return false;
    }
    if (is_sof(marker)) {
      if (len < 7) {
        error = "corrupt JPEG (short frame header)";
        return false;
      }
      height = be16(data + pos + 3);
      width = be16(data + pos + 5);
      if (width < 1 || height < 1) {
        error = "corrupt JPEG (zero width or height in the frame header)";
        return false;
      }
      return true;
    }
    pos += len;
  }
}

// An end-of-image marker (FF D9) within the last kilobyte: entropy-coded data never holds FF D9
// (an FF there is followed by 00 or a restart marker), so a file cut short lacks it.
bool jpeg_has_end(const uint8_t* data, size_t size) {
  const size_t from = size > 1024 ? size - 1024 : 2;
  for (size_t i = size; i-- > from + 1;)
    if (data[i - 1] == 0xFF && data[i] == 0xD9) return true;
  return false;
}

}  // namespace

ImageFormat image_format(const uint8_t* data, size_t size) {
  if (is_png(data, size)) return ImageFormat::Png;
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat::Jpeg;
  return ImageFormat::Unknown;
}

bool check_image(const uint8_t* data, size_t size, int& width, int& height, std::string& error) {
  switch (image_format(data, size)) {
    case ImageFormat::Png: {
      PngHeader h;
      if (!check_png(data, size, h, error)) return false;
      width = h.width;
      height = h.height;
      return true;
    }
    case ImageFormat::Jpeg:
      if (!jpeg_size(data, size, width, height, error)) return false;
      if (!jpeg_has_end(data, size)) {
        error = "file ends early (truncated: no end-of-image marker)";
        return false;
      }
      return true;
    case ImageFormat::Unknown:
      break;
  }
  error = "neither a JPEG nor a PNG";
  return false;
}

bool decode_image(const uint8_t* data, size_t size, RgbImage& out, std::string& error) {
  switch (image_format(data, size)) {
    case ImageFormat::Png:
      return decode_png_rgb(data, size, out, error);
    case ImageFormat::Jpeg:
      return decode_jpeg(data, size, out, error);
    case ImageFormat::Unknown:
      break;
  }
  error = "neither a JPEG nor a PNG";
  return false;
}

RgbImage read_image(const std::string& path) {
  std::vector<uint8_t> bytes;
  std::string error;
  RgbImage img;
  if (!read_file(path, bytes, error)) throw Error(fmt::format("{}: cannot read: {}", path, error));
  if (!decode_image(bytes.data(), bytes.size(), img, error))
    throw Error(fmt::format("{}: cannot decode: {}", path, error));
  return img;
}

}  // namespace espbench::data
