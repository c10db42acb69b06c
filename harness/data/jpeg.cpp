#include "harness/data/jpeg.h"

#include <fmt/format.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "modules/error.h"

namespace espbench::data {

namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void on_message(j_common_ptr) {}  // warnings and traces: silent

void install(ErrorManager& err) {
  jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.output_message = on_message;
  err.message[0] = '\0';
}

constexpr int64_t kMaxPixels = int64_t(1) << 28;

}  // namespace

// No object with a non-trivial destructor is created between setjmp and the last libjpeg call, so
// the longjmp skips no destructor; `out` belongs to the caller.
bool decode_jpeg(const uint8_t* data, size_t size, RgbImage& out, std::string& error,
                 const JpegScaleChooser& choose_scale) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  install(err);
  cinfo.err = &err.pub;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    error = err.message;
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  if (static_cast<int64_t>(cinfo.image_width) * cinfo.image_height > kMaxPixels) {
    jpeg_destroy_decompress(&cinfo);
    error = fmt::format("image of {}x{} pixels is too large", cinfo.image_width, cinfo.image_height);
    return false;
  }
  if (choose_scale) {
    int denom = choose_scale(static_cast<int>(cinfo.image_width), static_cast<int>(cinfo.image_height));
    if (denom == 2 || denom == 4 || denom == 8) {
      cinfo.scale_num = 1;
      cinfo.scale_denom = static_cast<unsigned>(denom);
    }
  }
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_components != 3) {
    jpeg_destroy_decompress(&cinfo);
    error = fmt::format("unsupported colour layout ({} components)", cinfo.output_components);
    return false;
  }
  out.width = static_cast<int>(cinfo.output_width);
  out.height = static_cast<int>(cinfo.output_height);
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * 3);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * out.width * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

bool read_file(const std::string& path, std::vector<uint8_t>& bytes, std::string& error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = std::strerror(errno);
    return false;
  }
  bytes.clear();
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  bool ok = !std::ferror(f);
  if (!ok) error = std::strerror(errno);
  std::fclose(f);
  return ok;
}

void write_jpeg(const std::string& path, const uint8_t* pixels, int width, int height, int channels,
                int quality) {
  if (channels != 1 && channels != 3)
    throw Error(fmt::format("{}: cannot write a JPEG with {} channels (expected 1 or 3)", path, channels));
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  jpeg_compress_struct cinfo;
  ErrorManager err;
  install(err);
  cinfo.err = &err.pub;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    std::fclose(f);
    throw Error(fmt::format("{}: JPEG encoding failed: {}", path, err.message));
  }
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, f);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = channels;
  cinfo.in_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(pixels) + static_cast<size_t>(cinfo.next_scanline) * width * channels;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  if (std::fclose(f) != 0) throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
}

}  // namespace espbench::data
