#include "harness/weights/pickle.h"

#include <fmt/format.h>

#include <cstring>
#include <unordered_map>

#include "modules/error.h"

namespace espbench::weights {

int64_t element_size(DType t) {
  switch (t) {
    case DType::Float64:
    case DType::Int64:
      return 8;
    case DType::Float32:
    case DType::Int32:
      return 4;
    case DType::Float16:
    case DType::BFloat16:
    case DType::Int16:
      return 2;
    default:
      return 1;
  }
}

const char* dtype_name(DType t) {
  static const char* names[] = {"float32", "float64", "float16", "bfloat16", "int64",
                                "int32",   "int16",   "int8",    "uint8",    "bool"};
  return names[static_cast<int>(t)];
}

std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 160)) {
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  if (text.size() > 160) out += "...";
  return out;
}

namespace {

using Kind = Value::Kind;

// Storage classes torch pickles by name, and their element types.
bool storage_dtype(const std::string& global, DType& out) {
  static const std::pair<const char*, DType> table[] = {
      {"torch.FloatStorage", DType::Float32}, {"torch.DoubleStorage", DType::Float64},
      {"torch.HalfStorage", DType::Float16},  {"torch.BFloat16Storage", DType::BFloat16},
      {"torch.LongStorage", DType::Int64},    {"torch.IntStorage", DType::Int32},
      {"torch.ShortStorage", DType::Int16},   {"torch.CharStorage", DType::Int8},
      {"torch.ByteStorage", DType::UInt8},    {"torch.BoolStorage", DType::Bool}};
  for (const auto& [name, dtype] : table)
    if (global == name) {
      out = dtype;
      return true;
    }
  return false;
}

// Globals that are data, not code: the reader interprets each itself (see reduce()).
bool allowed_global(const std::string& name) {
  static const char* allowed[] = {
      "collections.OrderedDict",
      "torch._utils._rebuild_tensor",
      "torch._utils._rebuild_tensor_v2",
      "torch._utils._rebuild_parameter",
      "torch._utils._rebuild_parameter_with_state",
      "torch._tensor._rebuild_from_type_v2",
      "torch.Tensor",
      "torch.nn.parameter.Parameter",
      "torch.jit._pickle.build_intlist",
      "torch.jit._pickle.build_doublelist",
      "torch.jit._pickle.build_boollist",
      "torch.jit._pickle.build_tensorlist",
      "torch.jit._pickle.restore_type_tag",
  };
  for (const char* a : allowed)
    if (name == a) return true;
  DType unused;
  // LibTorch archives name the class of every saved module under __torch__ (attributes only).
  return storage_dtype(name, unused) || name.rfind("__torch__.", 0) == 0;
}

class Reader {
 public:
  Reader(std::string_view data, size_t pos, const std::string& source)
      : data_(data), pos_(pos), source_(source) {}

  Pickle run();
  size_t position() const { return pos_; }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("{}: corrupt or unsupported pickle at byte {}: {}", source_, op_pos_, what));
  }
  // Bytes [pos_, pos_ + n), checked against the end of the data.
  std::string_view take(uint64_t n) {
    if (n > data_.size() - pos_)
      fail(fmt::format("needs {} more bytes, the data ends after {}", n, data_.size() - pos_));
    std::string_view s = data_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return s;
  }
  uint64_t uint_le(int bytes) {
    std::string_view s = take(bytes);
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[i]);
    return v;
  }
  std::string line() {
    const size_t end = data_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256) fail("unterminated GLOBAL name");
    std::string s(data_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }

  Ref make(Value v) {
    if (p_.values.size() >= 0xffffffffu) fail("too many values");
    p_.values.push_back(std::move(v));
    return static_cast<Ref>(p_.values.size() - 1);
  }
  Ref make_kind(Kind k) {
    Value v;
    v.kind = k;
    return make(std::move(v));
  }
  Ref make_int(int64_t i) {
    Value v;
    v.kind = Kind::Int;
    v.integer = i;
    return make(std::move(v));
  }
  Ref make_text(Kind k, std::string_view s) {
    Value v;
    v.kind = k;
    v.text = std::string(s);
    return make(std::move(v));
  }

  Ref pop() {
    if (stack_.size() <= floor()) fail("stack underflow");
    Ref r = stack_.back();
    stack_.pop_back();
    return r;
  }
  Ref& top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  // The items above the topmost mark, which is removed.
  std::vector<Ref> pop_mark() {
    if (marks_.empty()) fail("no MARK on the stack");
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Ref> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }
  Value& at(Ref r) { return p_.values[r]; }
  Value& container(Ref r, Kind k, const char* op) {
    Value& v = at(r);
    if (v.kind != k)
      fail(fmt::format("{} on a value that is not a {}", op, k == Kind::List ? "list" : "dict"));
    return v;
  }

  void memo_put(uint64_t index) {
    if (memo_.size() > data_.size()) fail("memo larger than the data");
    memo_[index] = top();
  }
  void memo_get(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail(fmt::format("memo entry {} was never stored", index));
    stack_.push_back(it->second);
  }

  void global(const std::string& module, const std::string& name);
  void persistent_id();
  void reduce();
  Ref apply(const std::string& fn, const std::vector<Ref>& args);
  Ref tensor(const std::vector<Ref>& args, bool v2);
  std::vector<int64_t> int_tuple(Ref r, const char* what);
  void new_object();
  void build();
  bool scalar(unsigned char op);
  void long_int(std::string_view bytes);
  bool aggregate(unsigned char op);
  bool step();

  std::string_view data_;
  size_t pos_, op_pos_ = 0;
  const std::string& source_;
  Pickle p_;
  std::vector<Ref> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, Ref> memo_;
  std::unordered_map<std::string, int64_t> storage_index_;
};

void Reader::global(const std::string& module, const std::string& name) {
  const std::string full = module + "." + name;
  if (!allowed_global(full))
    throw Error(fmt::format(
        "{}: refuses pickle global '{}' at byte {}: a weight file may hold only tensors, storages and "
        "plain containers (nothing in it is ever executed)",
        source_, printable(full), op_pos_));
  stack_.push_back(make_text(Kind::Global, full));
}

// ('storage', torch.XStorage, key, location, numel[, view metadata]) -> a Storage value.
void Reader::persistent_id() {
  const Value& pid = at(pop());
  auto item = [&](size_t i) -> const Value& { return p_.values[pid.items[i]]; };
  if (pid.kind != Kind::Tuple || pid.items.size() < 5 || pid.items.size() > 6 ||
      item(0).kind != Kind::String || item(0).text != "storage")
    fail("a persistent id that is not ('storage', type, key, location, numel)");
  DType dtype;
  if (item(1).kind != Kind::Global || !storage_dtype(item(1).text, dtype))
    fail("a storage whose type is not a torch storage class");
  if (item(2).kind != Kind::String || item(3).kind != Kind::String || item(4).kind != Kind::Int ||
      item(4).integer < 0)
    fail("a storage record with a bad key, location or element count");
  if (pid.items.size() == 6 && item(5).kind != Kind::None)
    fail(fmt::format("storage '{}' is a view of another storage (not supported)", printable(item(2).text)));
  const std::string key = item(2).text;
  auto [it, fresh] = storage_index_.emplace(key, static_cast<int64_t>(p_.storages.size()));
  if (fresh) {
    p_.storages.push_back(StorageInfo{key, item(3).text, dtype, item(4).integer});
  } else {
    const StorageInfo& s = p_.storages[static_cast<size_t>(it->second)];
    if (s.dtype != dtype || s.numel != item(4).integer)
      fail(fmt::format("storage '{}' is described twice with different types or sizes", printable(key)));
  }
  Value v;
  v.kind = Kind::Storage;
  v.integer = it->second;
  stack_.push_back(make(std::move(v)));
}

std::vector<int64_t> Reader::int_tuple(Ref r, const char* what) {
  const Value& v = at(r);
  if (v.kind != Kind::Tuple && v.kind != Kind::List) fail(fmt::format("tensor {} is not a tuple", what));
  std::vector<int64_t> out;
  for (Ref e : v.items) {
    if (at(e).kind != Kind::Int || at(e).integer < 0)
      fail(fmt::format("tensor {} holds a value that is not a non-negative integer", what));
    out.push_back(at(e).integer);
  }
  return out;
}

// _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]) or
// _rebuild_tensor(storage, offset, size, stride). The tensor's extent is checked later, against
// the storage's actual bytes.
Ref Reader::tensor(const std::vector<Ref>& args, bool v2) {
  if (v2 ? (args.size() < 6 || args.size() > 7) : args.size() != 4)
    fail(fmt::format("{} with {} arguments", v2 ? "_rebuild_tensor_v2" : "_rebuild_tensor", args.size()));
  if (at(args[0]).kind != Kind::Storage) fail("a tensor whose first argument is not a storage");
  if (at(args[1]).kind != Kind::Int || at(args[1]).integer < 0) fail("a tensor with a bad storage offset");
  TensorInfo t;
  t.storage = at(args[0]).integer;
  t.offset = at(args[1]).integer;
  t.sizes = int_tuple(args[2], "size");
  t.strides = int_tuple(args[3], "stride");
  if (t.sizes.size() != t.strides.size()) fail("a tensor whose size and stride differ in length");
  if (t.sizes.size() > 16) fail("a tensor with more than 16 dimensions");
  p_.tensors.push_back(std::move(t));
  Value v;
  v.kind = Kind::Tensor;
  v.integer = static_cast<int64_t>(p_.tensors.size() - 1);
  return make(std::move(v));
}

// The value of allowed global `fn` applied to `args` (already checked to be a tuple's items).
Ref Reader::apply(const std::string& fn, const std::vector<Ref>& args) {
  if (fn == "collections.OrderedDict") {
    if (!args.empty()) fail("OrderedDict built from arguments");
    return make_kind(Kind::Dict);
  }
  if (fn == "torch._utils._rebuild_tensor_v2") return tensor(args, true);
  if (fn == "torch._utils._rebuild_tensor") return tensor(args, false);
  if (fn == "torch._utils._rebuild_parameter" || fn == "torch._utils._rebuild_parameter_with_state") {
    if (args.size() < 3 || args.size() > 4 || at(args[0]).kind != Kind::Tensor)
      fail("a parameter whose data is not a tensor");
    return args[0];
  }
  if (fn == "torch._tensor._rebuild_from_type_v2") {
    // (function, type, arguments, state): a plain tensor or parameter saved through its type.
    if (args.size() != 4 || at(args[0]).kind != Kind::Global || at(args[1]).kind != Kind::Global ||
        at(args[2]).kind != Kind::Tuple)
      fail("_rebuild_from_type_v2 with unexpected arguments");
    const std::string& type = at(args[1]).text;
    if (type != "torch.Tensor" && type != "torch.nn.parameter.Parameter")
      fail(fmt::format("a tensor of type '{}'", printable(type)));
    const std::string inner = at(args[0]).text;
    if (inner == fn) fail("_rebuild_from_type_v2 applied to itself");
    const std::vector<Ref> inner_args = at(args[2]).items;
    return apply(inner, inner_args);
  }
  if (fn.rfind("torch.jit._pickle.", 0) == 0) {
    // build_*list(list) and restore_type_tag(value, type): the value itself.
    const bool tag = fn == "torch.jit._pickle.restore_type_tag";
    if (args.size() != (tag ? 2u : 1u)) fail(fmt::format("{} with {} arguments", fn, args.size()));
    return args[0];
  }
  fail(fmt::format("'{}' cannot be called", printable(fn)));
}

void Reader::reduce() {
  const Ref args = pop();
  const Ref fn = pop();
  if (at(fn).kind != Kind::Global) fail("REDUCE on a value that is not a global");
  if (at(args).kind != Kind::Tuple) fail("REDUCE with arguments that are not a tuple");
  const std::string name = at(fn).text;
  const std::vector<Ref> items = at(args).items;
  stack_.push_back(apply(name, items));
}

// NEWOBJ on an archive class: an object with no attributes yet (BUILD sets them).
void Reader::new_object() {
  const Ref args = pop();
  const Ref cls = pop();
  if (at(cls).kind != Kind::Global || at(cls).text.rfind("__torch__.", 0) != 0)
    fail("NEWOBJ on a class that is not an archive class");
  if (at(args).kind != Kind::Tuple || !at(args).items.empty()) fail("NEWOBJ with arguments");
  stack_.push_back(make_text(Kind::Object, at(cls).text));
}

// BUILD: an archive object takes its attribute dict; a dict's own attributes (an OrderedDict's
// `_metadata`) are dropped.
void Reader::build() {
  const Ref state = pop();
  Value& obj = at(top());
  if (obj.kind == Kind::Dict) return;
  if (obj.kind != Kind::Object || at(state).kind != Kind::Dict)
    fail("BUILD on a value that is not an object");
  obj.items = at(state).items;
}

// Opcodes that push a scalar (None, bool, int, float, string, bytes); false for any other.
bool Reader::scalar(unsigned char op) {
  switch (op) {
    case 'N':
      stack_.push_back(make_kind(Kind::None));
      return true;
    case 0x88:    // NEWTRUE
    case 0x89: {  // NEWFALSE
      Value v;
      v.kind = Kind::Bool;
      v.integer = op == 0x88;
      stack_.push_back(make(std::move(v)));
      return true;
    }
    case 'J':  // BININT
      stack_.push_back(make_int(static_cast<int32_t>(static_cast<uint32_t>(uint_le(4)))));
      return true;
    case 'K':  // BININT1
      stack_.push_back(make_int(static_cast<int64_t>(uint_le(1))));
      return true;
    case 'M':  // BININT2
      stack_.push_back(make_int(static_cast<int64_t>(uint_le(2))));
      return true;
    case 0x8a:  // LONG1
    case 0x8b:  // LONG4
      long_int(take(uint_le(op == 0x8a ? 1 : 4)));
      return true;
    case 'G': {  // BINFLOAT, big-endian
      std::string_view b = take(8);
      uint64_t bits = 0;
      for (char c : b) bits = (bits << 8) | static_cast<unsigned char>(c);
      Value v;
      v.kind = Kind::Float;
      std::memcpy(&v.real, &bits, sizeof bits);
      stack_.push_back(make(std::move(v)));
      return true;
    }
    case 'X':   // BINUNICODE
    case 0x8c:  // SHORT_BINUNICODE
    case 0x8d:  // BINUNICODE8
    case 'U':   // SHORT_BINSTRING
    case 'T':   // BINSTRING
      stack_.push_back(make_text(Kind::String, take(uint_le(op == 0x8c || op == 'U' ? 1
                                                            : op == 0x8d            ? 8
                                                                                    : 4))));
      return true;
    case 'C':   // SHORT_BINBYTES
    case 'B':   // BINBYTES
    case 0x8e:  // BINBYTES8
      stack_.push_back(make_text(Kind::Bytes, take(uint_le(op == 'C' ? 1 : op == 'B' ? 4 : 8))));
      return true;
    default:
      return false;
  }
}

// LONG1 / LONG4 payload: little-endian two's complement; wider than 8 bytes stays a BigInt.
void Reader::long_int(std::string_view b) {
  const size_t n = b.size();
  if (n == 0) {
    stack_.push_back(make_int(0));
  } else if (n <= 8) {
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[i]);
    if (n < 8 && (static_cast<unsigned char>(b[n - 1]) & 0x80)) v |= ~uint64_t{0} << (8 * n);  // sign
    stack_.push_back(make_int(static_cast<int64_t>(v)));
  } else {
    stack_.push_back(make_text(Kind::BigInt, b));
  }
}

// Opcodes that build or fill tuples, lists and dicts; false for any other.
bool Reader::aggregate(unsigned char op) {
  switch (op) {
    case ')':
      stack_.push_back(make_kind(Kind::Tuple));
      return true;
    case 't':     // TUPLE
    case 0x85:    // TUPLE1
    case 0x86:    // TUPLE2
    case 0x87: {  // TUPLE3
      Value v;
      v.kind = Kind::Tuple;
      if (op == 't') {
        v.items = pop_mark();
      } else {
        v.items.resize(op - 0x84);
        for (size_t i = v.items.size(); i-- > 0;) v.items[i] = pop();
      }
      stack_.push_back(make(std::move(v)));
      return true;
    }
    case ']':
      stack_.push_back(make_kind(Kind::List));
      return true;
    case '}':
      stack_.push_back(make_kind(Kind::Dict));
      return true;
    case 'l':    // LIST
    case 'd': {  // DICT
      Value v;
      v.kind = op == 'l' ? Kind::List : Kind::Dict;
      v.items = pop_mark();
      if (op == 'd' && v.items.size() % 2) fail("a dict with an odd number of keys and values");
      stack_.push_back(make(std::move(v)));
      return true;
    }
    case 'a': {  // APPEND
      const Ref item = pop();
      container(top(), Kind::List, "APPEND").items.push_back(item);
      return true;
    }
    case 'e': {  // APPENDS
      std::vector<Ref> items = pop_mark();
      Value& list = container(top(), Kind::List, "APPENDS");
      list.items.insert(list.items.end(), items.begin(), items.end());
      return true;
    }
    case 's': {  // SETITEM
      const Ref value = pop();
      const Ref key = pop();
      Value& dict = container(top(), Kind::Dict, "SETITEM");
      dict.items.push_back(key);
      dict.items.push_back(value);
      return true;
    }
    case 'u': {  // SETITEMS
      std::vector<Ref> items = pop_mark();
      if (items.size() % 2) fail("a dict with an odd number of keys and values");
      Value& dict = container(top(), Kind::Dict, "SETITEMS");
      dict.items.insert(dict.items.end(), items.begin(), items.end());
      return true;
    }
    default:
      return false;
  }
}

// One opcode; false at STOP.
bool Reader::step() {
  op_pos_ = pos_;
  const auto op = static_cast<unsigned char>(take(1)[0]);
  if (scalar(op) || aggregate(op)) return true;
  switch (op) {
    case 0x80:  // PROTO
      if (const uint64_t v = uint_le(1); v < 2 || v > 5) fail(fmt::format("pickle protocol {}", v));
      break;
    case 0x95:  // FRAME
      uint_le(8);
      break;
    case '.':  // STOP
      return false;
    case '(':  // MARK
      marks_.push_back(stack_.size());
      break;
    case '0':  // POP
      pop();
      break;
    case '1':  // POP_MARK
      pop_mark();
      break;
    case '2':  // DUP
      stack_.push_back(top());
      break;
    case 'c': {  // GLOBAL
      const std::string module = line();
      global(module, line());
      break;
    }
    case 0x93: {  // STACK_GLOBAL
      const Ref name = pop();
      const Ref module = pop();
      if (at(module).kind != Kind::String || at(name).kind != Kind::String)
        fail("STACK_GLOBAL on non-strings");
      global(at(module).text, at(name).text);
      break;
    }
    case 'q':  // BINPUT
    case 'r':  // LONG_BINPUT
      memo_put(uint_le(op == 'q' ? 1 : 4));
      break;
    case 0x94:  // MEMOIZE
      memo_put(memo_.size());
      break;
    case 'h':  // BINGET
    case 'j':  // LONG_BINGET
      memo_get(uint_le(op == 'h' ? 1 : 4));
      break;
    case 'Q':  // BINPERSID
      persistent_id();
      break;
    case 'R':
      reduce();
      break;
    case 0x81:  // NEWOBJ
      new_object();
      break;
    case 'b':
      build();
      break;
    default:
      fail(fmt::format("opcode 0x{:02x} is not one a weight file uses", op));
  }
  return true;
}

Pickle Reader::run() {
  while (step()) {
  }
  if (stack_.size() != 1 || !marks_.empty())
    fail(fmt::format("STOP with {} values and {} marks on the stack (expected one value)", stack_.size(),
                     marks_.size()));
  p_.root = stack_.back();
  return std::move(p_);
}

}  // namespace

Pickle read_pickle(std::string_view data, size_t& pos, const std::string& source) {
  if (pos > data.size()) throw Error(fmt::format("{}: pickle starts past the end of the data", source));
  Reader r(data, pos, source);
  Pickle p = r.run();
  pos = r.position();
  return p;
}

}  // namespace espbench::weights
