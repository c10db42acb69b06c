#include "harness/data/idx.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "modules/error.h"

namespace espbench::data {

namespace {

struct GzFile {
  gzFile f = nullptr;
  ~GzFile() {
    if (f) gzclose(f);
  }
};

// Reads exactly n bytes or explains why not.
void read_exact(GzFile& gz, const std::string& path, uint8_t* dst, int64_t n, const char* what) {
  int64_t done = 0;
  while (done < n) {
    unsigned chunk = static_cast<unsigned>(std::min<int64_t>(n - done, 1 << 30));
    int got = gzread(gz.f, dst + done, chunk);
    if (got < 0) {
      int errnum = 0;
      const char* msg = gzerror(gz.f, &errnum);
      throw Error(fmt::format("{}: corrupt or truncated file while reading {}: {}", path, what,
                              errnum == Z_ERRNO ? std::strerror(errno) : msg));
    }
    if (got == 0) {
      int errnum = 0;
      const char* msg = gzerror(gz.f, &errnum);
      throw Error(fmt::format("{}: truncated file: expected {} bytes of {}, got {}{}", path, n, what, done,
                              errnum != Z_OK ? std::string(" (") + msg + ")" : ""));
    }
    done += got;
  }
}

}  // namespace

IdxArray read_idx_ubyte(const std::string& path, int ndims) {
  if (!std::filesystem::is_regular_file(path))
    throw Error(fmt::format("{}: missing file (expected an IDX file{})", path,
                            path.size() > 3 && path.substr(path.size() - 3) == ".gz" ? ", gzipped" : ""));
  GzFile gz;
  gz.f = gzopen(path.c_str(), "rb");
  if (!gz.f) throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  gzbuffer(gz.f, 1 << 18);

  uint8_t header[4];
  read_exact(gz, path, header, 4, "the IDX header");
  uint32_t magic =
      (uint32_t(header[0]) << 24) | (uint32_t(header[1]) << 16) | (uint32_t(header[2]) << 8) | header[3];
  uint32_t expected = 0x800u | static_cast<uint32_t>(ndims);
  if (magic != expected)
    throw Error(
        fmt::format("{}: wrong IDX magic number 0x{:08x} (expected 0x{:08x}: unsigned bytes "
                    "in {} dimensions, i.e. {})",
                    path, magic, expected, ndims, ndims == 1 ? "labels" : "images"));

  IdxArray out;
  int64_t total = 1;
  for (int d = 0; d < ndims; ++d) {
    uint8_t b[4];
    read_exact(gz, path, b, 4, "the IDX dimensions");
    int64_t v = (int64_t(b[0]) << 24) | (int64_t(b[1]) << 16) | (int64_t(b[2]) << 8) | b[3];
    if (v <= 0 || v > (int64_t(1) << 28))
      throw Error(fmt::format("{}: corrupt IDX header: dimension {} is {} (expected 1..2^28)", path, d, v));
    out.dims.push_back(v);
    total *= v;
    if (total > (int64_t(1) << 34))
      throw Error(fmt::format("{}: corrupt IDX header: {} bytes of data is implausible", path, total));
  }
  out.data = torch::empty(out.dims, torch::kUInt8);
  read_exact(gz, path, out.data.data_ptr<uint8_t>(), total, "data");

  // The stream must end here; reading on also verifies the gzip trailer (CRC and length).
  uint8_t extra;
  int got = gzread(gz.f, &extra, 1);
  if (got != 0) {
    int errnum = 0;
    const char* msg = gzerror(gz.f, &errnum);
    if (got > 0)
      throw Error(fmt::format("{}: unexpected bytes after the {} declared by the IDX header", path, total));
    throw Error(fmt::format("{}: corrupt or truncated file after the data: {}", path, msg));
  }
  int errnum = 0;
  const char* msg = gzerror(gz.f, &errnum);
  if (errnum != Z_OK && errnum != Z_BUF_ERROR) throw Error(fmt::format("{}: corrupt file: {}", path, msg));
  if (errnum == Z_BUF_ERROR) throw Error(fmt::format("{}: truncated gzip stream: {}", path, msg));
  return out;
}

}  // namespace espbench::data
