#include "harness/weights/assemble.h"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cstring>
#include <set>
#include <unordered_set>

#include "modules/error.h"

namespace espbench::weights {

namespace {

using Kind = Value::Kind;

at::ScalarType scalar_type(DType t) {
  switch (t) {
    case DType::Float32:
      return at::kFloat;
    case DType::Float64:
      return at::kDouble;
    case DType::Float16:
      return at::kHalf;
    case DType::BFloat16:
      return at::kBFloat16;
    case DType::Int64:
      return at::kLong;
    case DType::Int32:
      return at::kInt;
    case DType::Int16:
      return at::kShort;
    case DType::Int8:
      return at::kChar;
    case DType::UInt8:
      return at::kByte;
    case DType::Bool:
      return at::kBool;
  }
  return at::kFloat;
}

// Walks the chosen root, naming every tensor by its dotted path (dict keys, object attributes,
// list positions). Bounded: depth, total visits (shared sub-structures), no cycles.
class Flattener {
 public:
  Flattener(const Pickle& p, const std::string& source)
      : p_(p), source_(source), budget_(2 * p.values.size() + 1024) {}

  void walk(Ref r, const std::string& name, int depth) {
    if (depth > 48)
      throw Error(fmt::format("{}: key '{}': nested deeper than 48 levels", source_, printable(name)));
    if (budget_-- == 0) throw Error(fmt::format("{}: the pickle's structure is too large to walk", source_));
    const Value& v = p_[r];
    if (v.kind == Kind::Tensor) {
      if (!seen_.insert(name).second)
        throw Error(fmt::format("{}: key '{}' appears twice", source_, printable(name)));
      out.emplace_back(name, v.integer);
      return;
    }
    const bool keyed = v.kind == Kind::Dict || v.kind == Kind::Object;
    if (!keyed && v.kind != Kind::List && v.kind != Kind::Tuple) return;
    if (!on_path_.insert(r).second)
      throw Error(
          fmt::format("{}: key '{}': the pickle's structure contains itself", source_, printable(name)));
    for (size_t i = 0; i < v.items.size(); i += keyed ? 2 : 1) {
      std::string key;
      if (!keyed) {
        key = std::to_string(i);
      } else if (p_[v.items[i]].kind == Kind::String) {
        key = p_[v.items[i]].text;
      } else if (p_[v.items[i]].kind == Kind::Int) {
        key = std::to_string(p_[v.items[i]].integer);
      } else {
        continue;  // a key that cannot name a tensor
      }
      walk(v.items[i + (keyed ? 1 : 0)], name.empty() ? key : name + "." + key, depth + 1);
    }
    on_path_.erase(r);
  }

  std::vector<std::pair<std::string, int64_t>> out;  // name, index into p.tensors

 private:
  const Pickle& p_;
  const std::string& source_;
  size_t budget_;
  std::set<Ref> on_path_;
  std::unordered_set<std::string> seen_;
};

// The value under `key` in a dict or object, or null.
const Value* member(const Pickle& p, const Value& v, const std::string& key) {
  if (v.kind != Kind::Dict && v.kind != Kind::Object) return nullptr;
  for (size_t i = 0; i + 1 < v.items.size(); i += 2)
    if (p[v.items[i]].kind == Kind::String && p[v.items[i]].text == key) return &p[v.items[i + 1]];
  return nullptr;
}

class Builder {
 public:
  Builder(const Pickle& p, const std::vector<std::string_view>& bytes, const std::string& source)
      : p_(p), bytes_(bytes), source_(source), cache_(p.storages.size()) {
    for (const auto& b : bytes_) stored_ += b.size();
  }

  // Tensor `index` of the pickle as a contiguous CPU tensor; `name` for messages.
  at::Tensor tensor(int64_t index, const std::string& name) {
    const TensorInfo& t = p_.tensors.at(static_cast<size_t>(index));
    const StorageInfo& s = p_.storages.at(static_cast<size_t>(t.storage));
    auto bad = [&](const std::string& what) {
      return Error(fmt::format("{}: key '{}': {}", source_, printable(name), what));
    };
    // Elements the view covers, and the furthest one it reaches; both must stay in the storage.
    int64_t numel = 1, last = t.offset;
    bool empty = false;
    for (size_t d = 0; d < t.sizes.size(); ++d) {
      empty = empty || t.sizes[d] == 0;
      if (__builtin_mul_overflow(numel, t.sizes[d], &numel)) throw bad("tensor size overflows");
      int64_t reach = 0;
      if (t.sizes[d] > 0 && (__builtin_mul_overflow(t.sizes[d] - 1, t.strides[d], &reach) ||
                             __builtin_add_overflow(last, reach, &last)))
        throw bad("tensor extent overflows");
    }
    if (!empty && (last >= s.numel || numel > s.numel))
      throw bad(fmt::format("tensor of size [{}] at offset {} does not fit its storage of {} elements",
                            fmt::join(t.sizes, ","), t.offset, s.numel));
    if (empty) return at::empty(t.sizes, at::TensorOptions().dtype(scalar_type(s.dtype)));
    const at::Tensor& data = storage(static_cast<size_t>(t.storage));  // checks its bytes first
    // Tensors may share a storage (tied weights), but a file cannot make us hold much more than
    // its own size: many overlapping views of one storage are refused.
    materialised_ += static_cast<uint64_t>(numel) * static_cast<uint64_t>(element_size(s.dtype));
    if (materialised_ > 8 * stored_ + (1u << 20))
      throw bad("the file's tensors overlap far more than tied weights do (over 8x the file's data)");
    return data.as_strided(t.sizes, t.strides, t.offset).contiguous();
  }

 private:
  const at::Tensor& storage(size_t i) {
    if (cache_[i].defined()) return cache_[i];
    const StorageInfo& s = p_.storages[i];
    const std::string_view b = bytes_.at(i);
    if (static_cast<uint64_t>(s.numel) > b.size() / static_cast<uint64_t>(element_size(s.dtype)))
      throw Error(fmt::format("{}: storage '{}' holds {} bytes, too few for its {} elements of {}", source_,
                              printable(s.key), b.size(), s.numel, dtype_name(s.dtype)));
    const size_t n = static_cast<size_t>(s.numel * element_size(s.dtype));
    at::Tensor t = at::empty({s.numel}, at::TensorOptions().dtype(scalar_type(s.dtype)));
    std::memcpy(t.data_ptr(), b.data(), n);
    if (s.dtype == DType::Bool) {  // any byte other than 0 or 1 would be an invalid bool
      auto* d = static_cast<unsigned char*>(t.data_ptr());
      for (size_t k = 0; k < n; ++k) d[k] = d[k] != 0;
    }
    return cache_[i] = t;
  }

  const Pickle& p_;
  const std::vector<std::string_view>& bytes_;
  const std::string& source_;
  std::vector<at::Tensor> cache_;
  uint64_t materialised_ = 0, stored_ = 0;
};

json parse_meta(const at::Tensor& t, const std::string& source) {
  if (t.scalar_type() != at::kByte || t.dim() != 1)
    throw Error(fmt::format("{}: key 'meta': not the byte record of an espbench checkpoint", source));
  const std::string text(static_cast<const char*>(t.data_ptr()), static_cast<size_t>(t.numel()));
  json meta = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (meta.is_discarded() || !meta.is_object())
    throw Error(fmt::format("{}: key 'meta': not a JSON object (a damaged espbench checkpoint?)", source));
  return meta;
}

}  // namespace

void assemble(const Pickle& p, const std::vector<std::string_view>& storages, WeightFile& file) {
  Builder builder(p, storages, file.source);
  const Value* root = &p[p.root];
  if (const Value* sd = member(p, *root, "state_dict");
      sd && (sd->kind == Kind::Dict || sd->kind == Kind::Object))
    root = sd;  // a training checkpoint: {"state_dict": ..., "epoch": ...}
  const Value* model = member(p, *root, "model");
  const Value* meta = member(p, *root, "meta");
  if (root->kind == Kind::Object && model && model->kind == Kind::Object && meta &&
      meta->kind == Kind::Tensor) {
    file.meta = parse_meta(builder.tensor(meta->integer, "meta"), file.source);
    file.format = "espbench checkpoint";
    root = model;
  }
  if (root->kind != Kind::Dict && root->kind != Kind::Object)
    throw Error(fmt::format("{}: holds no dict of tensors (a state dict is expected)", file.source));
  Flattener flat(p, file.source);
  flat.walk(static_cast<Ref>(root - p.values.data()), "", 0);
  for (const auto& [name, index] : flat.out) file.tensors.emplace_back(name, builder.tensor(index, name));
}

}  // namespace espbench::weights
