// PyTorch's legacy .pth format (torch.save before 1.6, or with _use_new_zipfile_serialization=False).
#include <fmt/format.h>

#include <map>

#include "harness/weights/assemble.h"
#include "modules/error.h"

namespace espbench::weights {

namespace {

// 0x1950a86a20f9469cfc6c, little-endian, as the first pickle's LONG1 carries it.
constexpr unsigned char kMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

bool is_magic(const Value& v) {
  return v.kind == Value::Kind::BigInt &&
         v.text == std::string(reinterpret_cast<const char*>(kMagic), sizeof kMagic);
}

uint64_t read_u64(std::string_view b, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

void check_header(std::string_view bytes, size_t& pos, const std::string& source) {
  const Pickle magic = read_pickle(bytes, pos, source);
  if (!is_magic(magic[magic.root]))
    throw Error(
        fmt::format("{}: not a PyTorch weight file (neither a zip archive nor the legacy format's magic "
                    "number)",
                    source));
  const Pickle protocol = read_pickle(bytes, pos, source);
  if (protocol[protocol.root].kind != Value::Kind::Int || protocol[protocol.root].integer != 1001)
    throw Error(fmt::format("{}: legacy format protocol is not 1001", source));
  const Pickle info = read_pickle(bytes, pos, source);
  const Value& d = info[info.root];
  for (size_t i = 0; d.kind == Value::Kind::Dict && i + 1 < d.items.size(); i += 2)
    if (info[d.items[i]].text == "little_endian" && info[d.items[i + 1]].kind == Value::Kind::Bool &&
        info[d.items[i + 1]].integer == 0)
      throw Error(fmt::format("{}: written on a big-endian machine (not supported)", source));
}

}  // namespace

void read_legacy(std::string_view bytes, WeightFile& file) {
  const std::string& source = file.source;
  size_t pos = 0;
  check_header(bytes, pos, source);
  const Pickle state = read_pickle(bytes, pos, source);
  const Pickle keys = read_pickle(bytes, pos, source);
  const Value& list = keys[keys.root];
  if (list.kind != Value::Kind::List) throw Error(fmt::format("{}: the storage key list is missing", source));
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < state.storages.size(); ++i) index[state.storages[i].key] = i;
  std::vector<std::string_view> data(state.storages.size());
  std::vector<bool> found(state.storages.size());
  for (Ref k : list.items) {
    const Value& key = keys[k];
    auto it = key.kind == Value::Kind::String ? index.find(key.text) : index.end();
    if (it == index.end())
      throw Error(fmt::format("{}: storage '{}' is stored but no tensor names it", source,
                              key.kind == Value::Kind::String ? printable(key.text) : "?"));
    const StorageInfo& s = state.storages[it->second];
    if (bytes.size() - pos < 8)
      throw Error(fmt::format("{}: storage '{}': the file ends (truncated?)", source, printable(s.key)));
    const uint64_t count = read_u64(bytes, pos);
    pos += 8;
    if (count != static_cast<uint64_t>(s.numel))
      throw Error(fmt::format("{}: storage '{}' holds {} elements, its record says {}", source,
                              printable(s.key), count, s.numel));
    if (count > (bytes.size() - pos) / static_cast<uint64_t>(element_size(s.dtype)))
      throw Error(
          fmt::format("{}: storage '{}' needs {} elements of {}, the file ends after {} bytes (truncated?)",
                      source, printable(s.key), count, dtype_name(s.dtype), bytes.size() - pos));
    const uint64_t size = count * static_cast<uint64_t>(element_size(s.dtype));
    if (found[it->second])
      throw Error(fmt::format("{}: storage '{}' is stored twice", source, printable(s.key)));
    found[it->second] = true;
    data[it->second] = bytes.substr(pos, static_cast<size_t>(size));
    pos += static_cast<size_t>(size);
  }
  for (size_t i = 0; i < found.size(); ++i)
    if (!found[i])
      throw Error(fmt::format("{}: storage '{}' is named by a tensor but not stored (truncated?)", source,
                              printable(state.storages[i].key)));
  if (pos != bytes.size())
    throw Error(fmt::format("{}: {} unexpected bytes after the last storage", source, bytes.size() - pos));
  file.format = "pytorch legacy";
  assemble(state, data, file);
}

}  // namespace espbench::weights
