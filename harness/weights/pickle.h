// A restricted reader of Python pickles, for PyTorch weight files (.pth, LibTorch archives).
// It understands the binary opcodes of protocols 2-5 that torch.save and LibTorch's archive writer
// emit and builds plain data only: None, bools, ints, floats, strings, bytes, tuples, lists, dicts,
// plus three records of its own: storage references (torch's persistent ids), tensor references
// (torch._utils._rebuild_tensor_v2 and friends) and archive objects (`__torch__.*` classes, whose
// attributes are kept as a dict). Every other global is refused by name; nothing is imported,
// called or executed. Every length, count and index is checked against the data before use, so a
// truncated or corrupted pickle ends in espbench::Error, never in a crash or a huge allocation.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace espbench::weights {

// Element types of torch storages, as their pickled class names give them (torch.FloatStorage ...).
enum class DType : uint8_t { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };
int64_t element_size(DType t);
const char* dtype_name(DType t);  // "float32", ...

// A value in the pickle's arena; Ref indexes Pickle::values. Containers refer to their elements by
// Ref, so shared and even cyclic structures need no ownership.
using Ref = uint32_t;

struct Value {
  enum class Kind : uint8_t {
    None,
    Bool,
    Int,
    BigInt,  // an integer that does not fit int64: `text` holds its little-endian two's complement
    Float,
    String,
    Bytes,
    Tuple,
    List,
    Dict,     // items: key, value, key, value, ...
    Global,   // an allowed global: text = "module.name"
    Object,   // an archive object: text = its class; items: attribute name, value, ...
    Storage,  // integer = index into Pickle::storages
    Tensor,   // integer = index into Pickle::tensors
  };
  Kind kind = Kind::None;
  int64_t integer = 0;  // Bool (0/1), Int, Storage, Tensor
  double real = 0.0;    // Float
  std::string text;     // String, Bytes, BigInt, Global, Object
  std::vector<Ref> items;
};

struct StorageInfo {
  std::string key;       // the storage's name in the file (its record / position)
  std::string location;  // "cpu", "cuda:0", ... (ignored: everything loads on the CPU)
  DType dtype = DType::Float32;
  int64_t numel = 0;  // elements
};

struct TensorInfo {
  int64_t storage = 0;  // index into Pickle::storages
  int64_t offset = 0;   // in elements
  std::vector<int64_t> sizes, strides;
};

struct Pickle {
  std::vector<Value> values;
  std::vector<StorageInfo> storages;
  std::vector<TensorInfo> tensors;
  Ref root = 0;
  const Value& operator[](Ref r) const { return values.at(r); }
};

// Reads one pickle that starts at data[pos] up to its STOP opcode and moves `pos` past it.
// `source` (a file name, or "file: record") starts every error message.
Pickle read_pickle(std::string_view data, size_t& pos, const std::string& source);

// `text` made safe for a one-line message: control and non-ASCII bytes escaped, at most 160 chars.
std::string printable(std::string_view text);

}  // namespace espbench::weights
