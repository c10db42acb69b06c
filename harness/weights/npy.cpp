#include "harness/weights/npy.h"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "harness/report/atomic_file.h"
#include "harness/weights/pickle.h"
#include "modules/error.h"

namespace espbench::weights {

namespace {

constexpr char kMagic[] = "\x93NUMPY";

// The header: a Python dict literal with 'descr', 'fortran_order' and 'shape'.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : s_(text), source_(source) {}

  void parse() {
    expect('{');
    while (true) {
      space();
      if (peek() == '}') break;
      const std::string key = quoted();
      expect(':');
      if (key == "descr") {
        once(has_descr_, key);
        descr = quoted();
      } else if (key == "fortran_order") {
        once(has_order_, key);
        fortran_order = boolean(key);
      } else if (key == "shape") {
        once(has_shape_, key);
        shape = tuple();
      } else {
        fail(fmt::format("unknown header key '{}' (expected descr, fortran_order, shape)", printable(key)));
      }
      separator('}');
    }
    ++i_;
    for (; i_ < s_.size(); ++i_)
      if (s_[i_] != ' ' && s_[i_] != '\n') fail("text after the header dict");
    if (!has_descr_ || !has_order_ || !has_shape_)
      fail("the header lacks one of descr, fortran_order, shape");
  }

  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("{}: not a valid .npy header: {}", source_, what));
  }
  char peek() const {
    if (i_ >= s_.size()) fail("the header ends early");
    return s_[i_];
  }
  void space() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  void expect(char c) {
    space();
    if (peek() != c) fail(fmt::format("expected '{}' at header byte {}", c, i_));
    ++i_;
  }
  // After an item: a comma, or the closing bracket (left for the caller).
  void separator(char close) {
    space();
    if (peek() == ',')
      ++i_;
    else if (peek() != close)
      fail(fmt::format("expected ',' or '{}' at header byte {}", close, i_));
  }
  void once(bool& seen, const std::string& key) {
    if (seen) fail(fmt::format("key '{}' given twice", key));
    seen = true;
  }
  std::string quoted() {
    space();
    const char q = peek();
    if (q != '\'' && q != '"') fail(fmt::format("expected a quoted string at header byte {}", i_));
    const size_t end = s_.find(q, i_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string out(s_.substr(i_ + 1, end - i_ - 1));
    i_ = end + 1;
    return out;
  }
  bool boolean(const std::string& key) {
    space();
    for (const auto& [word, value] : {std::pair<std::string_view, bool>{"True", true}, {"False", false}})
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return value;
      }
    fail(fmt::format("key '{}': expected True or False", key));
  }
  std::vector<int64_t> tuple() {
    expect('(');
    std::vector<int64_t> dims;
    while (true) {
      space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') fail("key 'shape': expected a tuple of non-negative integers");
      int64_t v = 0;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
        if (v > (int64_t{1} << 48)) fail("key 'shape': a dimension too large");
        v = v * 10 + (s_[i_++] - '0');
      }
      if (dims.size() == 32) fail("key 'shape': more than 32 dimensions");
      dims.push_back(v);
      separator(')');
    }
    ++i_;
    return dims;
  }

  std::string_view s_;
  const std::string& source_;
  size_t i_ = 0;
  bool has_descr_ = false, has_order_ = false, has_shape_ = false;
};

uint64_t le(std::string_view b, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

}  // namespace

at::Tensor parse_npy(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 10 || bytes.substr(0, 6) != std::string_view(kMagic, 6))
    throw Error(fmt::format("{}: not a .npy file (no \\x93NUMPY magic)", source));
  const int major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3 || bytes[7] != 0)
    throw Error(fmt::format("{}: .npy format version {}.{} (1.0, 2.0 and 3.0 are read)", source, major,
                            static_cast<int>(static_cast<unsigned char>(bytes[7]))));
  const size_t len_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + len_bytes) throw Error(fmt::format("{}: truncated .npy header", source));
  const uint64_t header_len = le(bytes, 8, static_cast<int>(len_bytes));
  const size_t start = 8 + len_bytes;
  if (header_len > bytes.size() - start) throw Error(fmt::format("{}: truncated .npy header", source));
  HeaderParser h(bytes.substr(start, header_len), source);
  h.parse();
  if (h.descr != "<f4")
    throw Error(
        fmt::format("{}: header key 'descr': '{}' (float32, '<f4', is expected: x.astype(numpy.float32))",
                    source, printable(h.descr)));
  if (h.fortran_order)
    throw Error(fmt::format(
        "{}: header key 'fortran_order': True (C order is expected: numpy.ascontiguousarray)", source));
  int64_t numel = 1;
  for (int64_t d : h.shape)
    if (__builtin_mul_overflow(numel, d, &numel) || numel > (int64_t{1} << 40))
      throw Error(fmt::format("{}: header key 'shape': ({}) is too large", source, fmt::join(h.shape, ", ")));
  const size_t data = start + static_cast<size_t>(header_len);
  const uint64_t have = bytes.size() - data, need = static_cast<uint64_t>(numel) * 4;
  if (have != need)
    throw Error(fmt::format("{}: shape ({}) needs {} data bytes, the file has {}{}", source,
                            fmt::join(h.shape, ", "), need, have, have < need ? " (truncated?)" : ""));
  at::Tensor t = at::empty(h.shape, at::TensorOptions().dtype(at::kFloat));
  if (need) std::memcpy(t.data_ptr<float>(), bytes.data() + data, static_cast<size_t>(need));
  return t;
}

at::Tensor read_npy(const std::string& path) {
  const std::optional<std::string> bytes = read_file(path);
  if (!bytes) throw Error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  return parse_npy(*bytes, path);
}

std::string npy_bytes(const at::Tensor& t) {
  if (t.scalar_type() != at::kFloat)
    throw Error(fmt::format(".npy output: float32 tensors only, got {}", c10::toString(t.scalar_type())));
  const at::Tensor c = t.to(at::kCPU).contiguous();
  std::string dims = fmt::format("{}", fmt::join(c.sizes(), ", "));
  if (c.dim() == 1) dims += ',';  // a one-element tuple, as Python writes it: (5,)
  std::string header = fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}), }}", dims);
  const bool wide = header.size() + 11 > 0xffff;
  const size_t prefix = wide ? 12 : 10;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += static_cast<char>(wide ? 2 : 1);
  out += '\0';
  for (size_t i = 0; i < (wide ? 4u : 2u); ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  out += header;
  out.append(static_cast<const char*>(c.data_ptr()), static_cast<size_t>(c.numel()) * sizeof(float));
  return out;
}

void write_npy(const std::string& path, const at::Tensor& t) { write_file_atomic(path, npy_bytes(t)); }

}  // namespace espbench::weights
