#include "harness/data/png.h"

#include <fmt/format.h>
#include <png.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "harness/report/atomic_file.h"
#include "modules/error.h"

namespace espbench::data {

namespace {

// ---- The libpng side: plain C structs and functions only. ------------------------------------

constexpr uint64_t kMaxPixels = uint64_t{1} << 28;

struct ErrorText {
  char text[256];
};

void on_png_error(png_structp png, png_const_charp message) {
  auto* err = static_cast<ErrorText*>(png_get_error_ptr(png));
  std::snprintf(err->text, sizeof err->text, "%s", message);
  png_longjmp(png, 1);
}

void on_png_warning(png_structp, png_const_charp) {}  // silent

struct MemReader {
  const unsigned char* data;
  size_t size, pos;
};

void read_mem(png_structp png, png_bytep out, size_t n) {
  auto* r = static_cast<MemReader*>(png_get_io_ptr(png));
  if (n > r->size - r->pos) png_error(png, "file ends early (truncated)");
  std::memcpy(out, r->data + r->pos, n);
  r->pos += n;
}

enum DecodeMode { kDecodeRgb, kDecodeLabels };

struct Decoded {
  int width, height, channels;
  unsigned char* pixels;  // malloc'ed: height * width * channels
  unsigned char** rows;   // malloc'ed row pointers (freed before returning)
  ErrorText err;
};

// The transformations of one mode, after png_read_info; errors go through png_error.
void set_transforms(png_structp png, png_infop info, int mode, Decoded* d) {
  const int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
  if (mode == kDecodeLabels) {
    if (type != PNG_COLOR_TYPE_GRAY && type != PNG_COLOR_TYPE_PALETTE) {
      const char* what = type == PNG_COLOR_TYPE_RGB         ? "an RGB"
                         : type == PNG_COLOR_TYPE_RGB_ALPHA ? "an RGBA"
                                                            : "a grey+alpha";
      char message[160];
      std::snprintf(message, sizeof message,
                    "%s PNG is not a label map (expected 8-bit grey or palette indices)", what);
      png_error(png, message);
    }
    if (depth == 16) png_error(png, "a 16-bit grey PNG is not a label map (expected 8-bit grey or palette)");
    if (depth < 8) png_set_packing(png);  // one byte per pixel, values unscaled
    d->channels = 1;
  } else {
    png_set_expand(png);  // palette -> RGB, grey < 8 bit -> 8 bit, tRNS -> alpha
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    d->channels = 3;
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
}

// Returns 1 and fills `d` (the caller frees d->pixels), or 0 with d->err.text set and nothing
// allocated.
int decode_c(const unsigned char* data, size_t size, int mode, Decoded* d) {
  d->width = d->height = d->channels = 0;
  d->pixels = nullptr;
  d->rows = nullptr;
  d->err.text[0] = '\0';
  MemReader reader = {data, size, 0};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d->err, on_png_error, on_png_warning);
  if (!png) {
    std::snprintf(d->err.text, sizeof d->err.text, "out of memory");
    return 0;
  }
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    std::snprintf(d->err.text, sizeof d->err.text, "out of memory");
    return 0;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    std::free(d->rows);
    std::free(d->pixels);
    d->rows = nullptr;
    d->pixels = nullptr;
    return 0;
  }
  png_set_read_fn(png, &reader, read_mem);
  png_read_info(png, info);
  const png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  if (static_cast<uint64_t>(w) * h > kMaxPixels) png_error(png, "image too large (over 2^28 pixels)");
  set_transforms(png, info, mode, d);
  const size_t row_bytes = static_cast<size_t>(w) * static_cast<size_t>(d->channels);
  if (png_get_rowbytes(png, info) != row_bytes) png_error(png, "unexpected row size after conversion");
  d->pixels = static_cast<unsigned char*>(std::malloc(row_bytes * h + 1));
  d->rows = static_cast<unsigned char**>(std::malloc(sizeof(unsigned char*) * (h + 1)));
  if (!d->pixels || !d->rows) png_error(png, "out of memory");
  for (png_uint_32 y = 0; y < h; ++y) d->rows[y] = d->pixels + row_bytes * y;
  png_read_image(png, d->rows);
  png_read_end(png, nullptr);  // the chunks after the image data, up to IEND
  png_destroy_read_struct(&png, &info, nullptr);
  std::free(d->rows);
  d->rows = nullptr;
  d->width = static_cast<int>(w);
  d->height = static_cast<int>(h);
  return 1;
}

struct MemWriter {
  unsigned char* data;  // malloc'ed
  size_t size, cap;
};

void write_mem(png_structp png, png_bytep in, size_t n) {
  auto* w = static_cast<MemWriter*>(png_get_io_ptr(png));
  if (n > w->cap - w->size) {
    size_t cap = w->cap ? w->cap : 4096;
    while (cap - w->size < n) cap *= 2;
    void* p = std::realloc(w->data, cap);
    if (!p) png_error(png, "out of memory");
    w->data = static_cast<unsigned char*>(p);
    w->cap = cap;
  }
  std::memcpy(w->data + w->size, in, n);
  w->size += n;
}

void flush_mem(png_structp) {}

struct Encoded {
  MemWriter out;  // the caller frees out.data
  ErrorText err;
};

// channels 1 (grey), 3 (RGB) or 1 with a palette (palette_size > 0). Returns 1, or 0 with
// e->err.text set and e->out.data freed.
int encode_c(const unsigned char* pixels, int width, int height, int channels, const png_color* palette,
             int palette_size, Encoded* e) {
  e->out.data = nullptr;
  e->out.size = e->out.cap = 0;
  e->err.text[0] = '\0';
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e->err, on_png_error, on_png_warning);
  if (!png) {
    std::snprintf(e->err.text, sizeof e->err.text, "out of memory");
    return 0;
  }
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    std::snprintf(e->err.text, sizeof e->err.text, "out of memory");
    return 0;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::free(e->out.data);
    e->out.data = nullptr;
    e->out.size = 0;
    return 0;
  }
  png_set_write_fn(png, &e->out, write_mem, flush_mem);
  const int type = palette_size > 0 ? PNG_COLOR_TYPE_PALETTE
                   : channels == 3  ? PNG_COLOR_TYPE_RGB
                                    : PNG_COLOR_TYPE_GRAY;
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, type,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (palette_size > 0) png_set_PLTE(png, info, palette, palette_size);
  png_write_info(png, info);
  const size_t stride = static_cast<size_t>(width) * static_cast<size_t>(channels);
  for (int y = 0; y < height; ++y) png_write_row(png, pixels + stride * static_cast<size_t>(y));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return 1;
}

// ---- The C++ side. ---------------------------------------------------------------------------

bool decode(const uint8_t* data, size_t size, int mode, int& width, int& height, std::vector<uint8_t>& out,
            std::string& error) {
  Decoded d;
  if (!decode_c(data, size, mode, &d)) {
    error = d.err.text;
    return false;
  }
  width = d.width;
  height = d.height;
  const size_t n = static_cast<size_t>(d.width) * d.height * d.channels;
  try {
    out.assign(d.pixels, d.pixels + n);
  } catch (...) {
    std::free(d.pixels);
    throw;
  }
  std::free(d.pixels);
  return true;
}

std::string encode(const uint8_t* pixels, int width, int height, int channels, const png_color* palette,
                   int palette_size) {
  if (width < 1 || height < 1 || width > (1 << 24) || height > (1 << 24))
    throw Error(fmt::format("cannot encode a PNG of {}x{} pixels", width, height));
  Encoded e;
  if (!encode_c(pixels, width, height, channels, palette, palette_size, &e))
    throw Error(fmt::format("PNG encoding failed: {}", e.err.text));
  std::string bytes;
  try {
    bytes.assign(reinterpret_cast<const char*>(e.out.data), e.out.size);
  } catch (...) {
    std::free(e.out.data);
    throw;
  }
  std::free(e.out.data);
  return bytes;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

}  // namespace

bool is_png(const uint8_t* data, size_t size) { return size >= 8 && std::memcmp(data, kSignature, 8) == 0; }

bool check_png(const uint8_t* data, size_t size, PngHeader& header, std::string& error) {
  if (!is_png(data, size)) {
    error = "not a PNG (no PNG signature)";
    return false;
  }
  size_t pos = 8;
  for (bool first = true;; first = false) {
    if (size - pos < 12) {
      error = "file ends early (truncated)";
      return false;
    }
    const uint32_t len = be32(data + pos);
    const std::string type(reinterpret_cast<const char*>(data + pos + 4), 4);
    if (len > 0x7FFFFFFFu || size - pos - 12 < len) {
      error = fmt::format("file ends early (truncated in chunk {})", type);
      return false;
    }
    const uint32_t crc = static_cast<uint32_t>(crc32(0L, data + pos + 4, static_cast<uInt>(len + 4)));
    if (crc != be32(data + pos + 8 + len)) {
      error = fmt::format("corrupt data (CRC mismatch in chunk {})", type);
      return false;
    }
    if (first) {
      if (type != "IHDR" || len != 13) {
        error = "corrupt header (the first chunk is not IHDR)";
        return false;
      }
      const uint8_t* p = data + pos + 8;
      header.width = static_cast<int>(std::min<uint32_t>(be32(p), 0x7FFFFFFF));
      header.height = static_cast<int>(std::min<uint32_t>(be32(p + 4), 0x7FFFFFFF));
      header.bit_depth = p[8];
      header.colour_type = p[9];
      if (header.width < 1 || header.height < 1) {
        error = "corrupt header (zero width or height)";
        return false;
      }
    }
    if (type == "IEND") return true;
    pos += 12 + static_cast<size_t>(len);
  }
}

bool decode_png_rgb(const uint8_t* data, size_t size, RgbImage& out, std::string& error) {
  return decode(data, size, kDecodeRgb, out.width, out.height, out.pixels, error);
}

bool decode_png_labels(const uint8_t* data, size_t size, LabelImage& out, std::string& error) {
  return decode(data, size, kDecodeLabels, out.width, out.height, out.values, error);
}

std::string encode_png(const uint8_t* pixels, int width, int height, int channels) {
  if (channels != 1 && channels != 3)
    throw Error(fmt::format("cannot encode a PNG with {} channels (expected 1 or 3)", channels));
  return encode(pixels, width, height, channels, nullptr, 0);
}

std::string encode_png_palette(const uint8_t* indices, int width, int height,
                               const std::vector<std::array<uint8_t, 3>>& palette) {
  if (palette.empty() || palette.size() > 256)
    throw Error(fmt::format("cannot encode a palette of {} colours (expected 1 to 256)", palette.size()));
  const size_t n = static_cast<size_t>(std::max(width, 0)) * static_cast<size_t>(std::max(height, 0));
  for (size_t i = 0; i < n; ++i)
    if (indices[i] >= palette.size())
      throw Error(fmt::format("palette index {} at pixel {} is outside the {} colours", int{indices[i]}, i,
                              palette.size()));
  std::vector<png_color> colours(palette.size());
  for (size_t i = 0; i < palette.size(); ++i) colours[i] = {palette[i][0], palette[i][1], palette[i][2]};
  return encode(indices, width, height, 1, colours.data(), static_cast<int>(colours.size()));
}

void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels) {
  std::string bytes;
  try {
    bytes = encode_png(pixels, width, height, channels);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", path, e.what()));
  }
  write_file_atomic(path, bytes);
}

void write_png_palette(const std::string& path, const uint8_t* indices, int width, int height,
                       const std::vector<std::array<uint8_t, 3>>& palette) {
  std::string bytes;
  try {
    bytes = encode_png_palette(indices, width, height, palette);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", path, e.what()));
  }
  write_file_atomic(path, bytes);
}

}  // namespace espbench::data
