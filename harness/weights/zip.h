// A minimal, bounds-checked reader of the zip archives PyTorch and LibTorch write (entries stored
// uncompressed, 64-byte aligned; zip64 records when large). Deflated entries (an archive repacked
// by a zip tool) are inflated with zlib. Every entry's CRC-32 is checked when it is read.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace espbench::weights {

struct ZipEntry {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflated
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0, size = 0;
  uint64_t data_offset = 0;  // of the entry's (compressed) bytes in the archive
};

class ZipArchive {
 public:
  // Parses the central directory of `bytes` (which must outlive the archive); `source` names the
  // file in errors.
  ZipArchive(std::string_view bytes, std::string source);

  static bool looks_like_zip(std::string_view bytes);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(const std::string& name) const;
  // The entry's content (inflated, CRC checked).
  std::string read(const ZipEntry& entry) const;

 private:
  [[noreturn]] void fail(const std::string& what) const;
  void read_directory(uint64_t offset, uint64_t size, uint64_t count);

  std::string_view bytes_;
  std::string source_;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, size_t> index_;  // name -> first entry of that name
};

}  // namespace espbench::weights
