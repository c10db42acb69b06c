#include "harness/weights/zip.h"

#include <fmt/format.h>
#include <zlib.h>

#include "harness/weights/pickle.h"
#include "modules/error.h"

namespace espbench::weights {

namespace {

constexpr uint32_t kLocalHeader = 0x04034b50, kCentralHeader = 0x02014b50, kEnd = 0x06054b50,
                   kEnd64Locator = 0x07064b50, kEnd64 = 0x06064b50;

uint64_t le(std::string_view b, uint64_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

uint32_t crc_of(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes 32-bit lengths: feed large data in pieces.
  for (size_t done = 0; done < data.size();) {
    const size_t n = std::min<size_t>(data.size() - done, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + done), static_cast<uInt>(n));
    done += n;
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace

bool ZipArchive::looks_like_zip(std::string_view bytes) {
  return bytes.size() >= 4 && le(bytes, 0, 4) == kLocalHeader;
}

void ZipArchive::fail(const std::string& what) const {
  throw Error(fmt::format("{}: corrupt zip archive: {}", source_, what));
}

ZipArchive::ZipArchive(std::string_view bytes, std::string source)
    : bytes_(bytes), source_(std::move(source)) {
  const uint64_t n = bytes_.size();
  if (n < 22) fail("shorter than an end-of-directory record");
  // The end record is the last 22 bytes plus a comment of at most 64 KiB.
  uint64_t end = n - 22;
  const uint64_t lowest = n - 22 > 0xffff ? n - 22 - 0xffff : 0;
  while (le(bytes_, end, 4) != kEnd || end + 22 + le(bytes_, end + 20, 2) != n) {
    if (end == lowest) fail("no end-of-directory record (truncated?)");
    --end;
  }
  uint64_t count = le(bytes_, end + 10, 2), dir_size = le(bytes_, end + 12, 4),
           dir_offset = le(bytes_, end + 16, 4);
  if (end >= 20 && le(bytes_, end - 20, 4) == kEnd64Locator) {
    const uint64_t at = le(bytes_, end - 12, 8);
    if (at > n || n - at < 56 || le(bytes_, at, 4) != kEnd64) fail("bad zip64 end-of-directory record");
    count = le(bytes_, at + 32, 8);
    dir_size = le(bytes_, at + 40, 8);
    dir_offset = le(bytes_, at + 48, 8);
  }
  if (dir_offset > n || dir_size > n - dir_offset) fail("central directory outside the file (truncated?)");
  if (count > dir_size / 46)
    fail(fmt::format("{} entries cannot fit a directory of {} bytes", count, dir_size));
  read_directory(dir_offset, dir_size, count);
}

void ZipArchive::read_directory(uint64_t offset, uint64_t size, uint64_t count) {
  const uint64_t stop = offset + size, n = bytes_.size();
  uint64_t at = offset;
  for (uint64_t i = 0; i < count; ++i) {
    if (stop - at < 46 || le(bytes_, at, 4) != kCentralHeader) fail(fmt::format("bad directory entry {}", i));
    ZipEntry e;
    const uint64_t flags = le(bytes_, at + 8, 2);
    e.method = static_cast<uint16_t>(le(bytes_, at + 10, 2));
    e.crc32 = static_cast<uint32_t>(le(bytes_, at + 16, 4));
    e.compressed_size = le(bytes_, at + 20, 4);
    e.size = le(bytes_, at + 24, 4);
    const uint64_t name_len = le(bytes_, at + 28, 2), extra_len = le(bytes_, at + 30, 2),
                   comment_len = le(bytes_, at + 32, 2);
    uint64_t local = le(bytes_, at + 42, 4);
    if (stop - at - 46 < name_len + extra_len + comment_len)
      fail(fmt::format("directory entry {} overruns", i));
    e.name = std::string(bytes_.substr(at + 46, name_len));
    // zip64: the 64-bit values replace the 32-bit ones that are all ones, in this order.
    for (uint64_t x = at + 46 + name_len, x_end = x + extra_len; x + 4 <= x_end;) {
      const uint64_t id = le(bytes_, x, 2), len = le(bytes_, x + 2, 2);
      if (len > x_end - x - 4) fail(fmt::format("entry '{}': bad extra field", printable(e.name)));
      uint64_t field = x + 4;
      auto wide = [&](uint64_t& v) {
        if (v != 0xffffffffu) return;
        if (field + 8 > x + 4 + len) fail(fmt::format("entry '{}': short zip64 field", printable(e.name)));
        v = le(bytes_, field, 8);
        field += 8;
      };
      if (id == 1) {
        wide(e.size);
        wide(e.compressed_size);
        wide(local);
      }
      x += 4 + len;
    }
    if (flags & 1) fail(fmt::format("entry '{}' is encrypted", printable(e.name)));
    if (e.method != 0 && e.method != 8)
      fail(fmt::format("entry '{}' uses compression method {} (stored or deflated expected)",
                       printable(e.name), e.method));
    if (local > n || n - local < 30 || le(bytes_, local, 4) != kLocalHeader)
      fail(fmt::format("entry '{}': bad local header", printable(e.name)));
    const uint64_t header = 30 + le(bytes_, local + 26, 2) + le(bytes_, local + 28, 2);
    if (n - local < header || n - local - header < e.compressed_size)
      fail(fmt::format("entry '{}' runs past the end of the file (truncated?)", printable(e.name)));
    if (e.method == 0 && e.compressed_size != e.size)
      fail(fmt::format("stored entry '{}' has two different sizes", printable(e.name)));
    e.data_offset = local + header;
    index_.emplace(e.name, entries_.size());
    entries_.push_back(std::move(e));
    at += 46 + name_len + extra_len + comment_len;
  }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::string ZipArchive::read(const ZipEntry& e) const {
  const std::string_view raw = bytes_.substr(e.data_offset, e.compressed_size);
  std::string out;
  if (e.method == 0) {
    out = std::string(raw);
  } else {
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail("zlib cannot start");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.avail_in = static_cast<uInt>(std::min<uint64_t>(raw.size(), 0xffffffffu));
    int rc = Z_OK;
    // Grows with what is inflated (never by the declared size alone), and stops at it.
    while (rc == Z_OK && out.size() < e.size) {
      const size_t before = out.size();
      out.resize(before + std::min<uint64_t>(e.size - before, 1 << 20));
      z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
      z.avail_out = static_cast<uInt>(out.size() - before);
      rc = inflate(&z, Z_NO_FLUSH);
      out.resize(out.size() - z.avail_out);
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END && !(rc == Z_OK && out.size() == e.size))
      fail(fmt::format("entry '{}' does not inflate", printable(e.name)));
  }
  if (out.size() != e.size)
    fail(fmt::format("entry '{}' has {} bytes, not {}", printable(e.name), out.size(), e.size));
  if (crc_of(out) != e.crc32) fail(fmt::format("entry '{}' fails its CRC-32 check", printable(e.name)));
  return out;
}

}  // namespace espbench::weights
