#include "tests/pth_writer.h"

#include <zlib.h>

namespace espbench::test {

namespace {

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

const char* storage_class(torch::ScalarType t) {
  switch (t) {
    case torch::kLong:
      return "LongStorage";
    case torch::kDouble:
      return "DoubleStorage";
    case torch::kBool:
      return "BoolStorage";
    default:
      return "FloatStorage";
  }
}

}  // namespace

PickleWriter& PickleWriter::str(const std::string& s) {
  bytes += 'X';
  put_le(bytes, s.size(), 4);
  bytes += s;
  return *this;
}

PickleWriter& PickleWriter::integer(int64_t v) {
  if (v >= 0 && v < 256) {
    bytes += 'K';
    put_le(bytes, static_cast<uint64_t>(v), 1);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    bytes += 'J';
    put_le(bytes, static_cast<uint32_t>(static_cast<int32_t>(v)), 4);
  } else {
    bytes += "\x8a\x08";
    put_le(bytes, static_cast<uint64_t>(v), 8);
  }
  return *this;
}

std::string tensor_bytes(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), static_cast<size_t>(c.nbytes()));
}

std::string state_dict_pickle(const NamedTensors& tensors, bool legacy) {
  PickleWriter w;
  w.proto().global("collections", "OrderedDict").op(')').op('R').mark();
  for (size_t i = 0; i < tensors.size(); ++i) {
    const torch::Tensor& t = tensors[i].second;
    w.str(tensors[i].first).global("torch._utils", "_rebuild_tensor_v2").mark();
    w.mark().str("storage").global("torch", storage_class(t.scalar_type())).str(std::to_string(i)).str("cpu");
    w.integer(t.numel());
    if (legacy) w.op('N');
    w.tuple().op('Q');
    w.integer(0).mark();
    for (int64_t s : t.sizes()) w.integer(s);
    w.tuple().mark();
    for (int64_t s : t.contiguous().strides()) w.integer(s);
    w.tuple().op('\x89').global("collections", "OrderedDict").op(')').op('R').tuple().op('R');
  }
  return w.op('u').stop().bytes;
}

std::string legacy_file(const std::string& state_pickle, const std::vector<Storage>& storages) {
  PickleWriter magic;
  magic.proto().op('\x8a').op('\x0a');
  magic.bytes += std::string("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10);
  magic.stop();
  PickleWriter protocol;
  protocol.proto().integer(1001).stop();
  PickleWriter info;
  info.proto().op('}').mark().str("protocol_version").integer(1001).str("little_endian").op('\x88');
  info.op('u').stop();
  PickleWriter keys;
  keys.proto().op(']').mark();
  for (size_t i = 0; i < storages.size(); ++i) keys.str(std::to_string(i));
  keys.op('e').stop();
  std::string out = magic.bytes + protocol.bytes + info.bytes + state_pickle + keys.bytes;
  for (const auto& [count, bytes] : storages) {
    put_le(out, static_cast<uint64_t>(count), 8);
    out += bytes;
  }
  return out;
}

namespace {

uint32_t crc(const std::string& s) {
  return static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

std::string deflate_raw(const std::string& s) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(s.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

std::string legacy_pth(const NamedTensors& tensors) {
  std::vector<Storage> storages;
  for (const auto& [name, t] : tensors) storages.emplace_back(t.numel(), tensor_bytes(t));
  return legacy_file(state_dict_pickle(tensors, true), storages);
}

std::string zip_file(const std::vector<std::pair<std::string, std::string>>& entries, bool deflate) {
  std::string out, dir;
  for (const auto& [name, content] : entries) {
    const std::string data = deflate ? deflate_raw(content) : content;
    const uint64_t offset = out.size();
    const uint16_t method = deflate ? 8 : 0;
    std::string header;
    put_le(header, 0x04034b50, 4);
    put_le(header, 20, 2);
    put_le(header, 0, 2);
    put_le(header, method, 2);
    put_le(header, 0, 4);  // time, date
    put_le(header, crc(content), 4);
    put_le(header, data.size(), 4);
    put_le(header, content.size(), 4);
    put_le(header, name.size(), 2);
    put_le(header, 0, 2);
    out += header + name + data;
    put_le(dir, 0x02014b50, 4);
    put_le(dir, 20, 2);
    put_le(dir, 20, 2);
    put_le(dir, 0, 2);
    put_le(dir, method, 2);
    put_le(dir, 0, 4);
    put_le(dir, crc(content), 4);
    put_le(dir, data.size(), 4);
    put_le(dir, content.size(), 4);
    put_le(dir, name.size(), 2);
    put_le(dir, 0, 2);  // extra
    put_le(dir, 0, 2);  // comment
    put_le(dir, 0, 2);  // disk
    put_le(dir, 0, 2);  // internal attributes
    put_le(dir, 0, 4);  // external attributes
    put_le(dir, offset, 4);
    dir += name;
  }
  const uint64_t dir_offset = out.size();
  out += dir;
  put_le(out, 0x06054b50, 4);
  put_le(out, 0, 4);
  put_le(out, entries.size(), 2);
  put_le(out, entries.size(), 2);
  put_le(out, dir.size(), 4);
  put_le(out, dir_offset, 4);
  put_le(out, 0, 2);
  return out;
}

std::string zip_pth_from(const std::string& state_pickle, const std::vector<std::string>& storages,
                         bool deflate) {
  std::vector<std::pair<std::string, std::string>> entries{{"model/data.pkl", state_pickle}};
  for (size_t i = 0; i < storages.size(); ++i)
    entries.emplace_back("model/data/" + std::to_string(i), storages[i]);
  entries.emplace_back("model/version", "3\n");
  return zip_file(entries, deflate);
}

std::string zip_pth(const NamedTensors& tensors, bool deflate) {
  std::vector<std::string> storages;
  for (const auto& [name, t] : tensors) storages.push_back(tensor_bytes(t));
  return zip_pth_from(state_dict_pickle(tensors, false), storages, deflate);
}

NamedTensors named_state(torch::nn::Module& m) {
  NamedTensors out;
  for (const auto& p : m.named_parameters(true)) out.emplace_back(p.key(), p.value().detach().clone());
  for (const auto& b : m.named_buffers(true)) out.emplace_back(b.key(), b.value().detach().clone());
  return out;
}

}  // namespace espbench::test
