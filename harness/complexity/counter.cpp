#include "harness/complexity/counter.h"

#include <ATen/record_function.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <unordered_map>
#include <unordered_set>

#include "modules/error.h"
#include "modules/kernels/avg_pool.h"
#include "modules/kernels/depthwise.h"
#include "modules/network.h"
#include "modules/scope.h"

namespace espbench {

namespace {

enum class Kind { None, Conv, Linear, AddMM, MatMul, Elementwise, Pool, InputReduce };

Kind classify(const std::string& op) {
  static const std::unordered_map<std::string, Kind> table = [] {
    std::unordered_map<std::string, Kind> t;
    for (const char* n : {"aten::conv1d", "aten::conv2d", "aten::conv3d", "aten::convolution",
                          "aten::_convolution", "aten::mkldnn_convolution", "aten::thnn_conv2d",
                          "aten::_slow_conv2d_forward", "aten::_conv_depthwise2d", "aten::cudnn_convolution",
                          "aten::conv_transpose2d", kernels::kDepthwiseOpName})
      t[n] = Kind::Conv;
    t["aten::linear"] = Kind::Linear;
    t["aten::addmm"] = Kind::AddMM;
    for (const char* n : {"aten::mm", "aten::matmul", "aten::bmm"}) t[n] = Kind::MatMul;
    for (const char* n : {"aten::batch_norm",
                          "aten::_batch_norm_impl_index",
                          "aten::native_batch_norm",
                          "aten::_native_batch_norm_legit",
                          "aten::_native_batch_norm_legit_no_training",
                          "aten::instance_norm",
                          "aten::layer_norm",
                          "aten::group_norm",
                          "aten::relu",
                          "aten::relu_",
                          "aten::relu6",
                          "aten::relu6_",
                          "aten::hardtanh",
                          "aten::hardtanh_",
                          "aten::prelu",
                          "aten::_prelu_kernel",
                          "aten::leaky_relu",
                          "aten::leaky_relu_",
                          "aten::elu",
                          "aten::selu",
                          "aten::gelu",
                          "aten::silu",
                          "aten::silu_",
                          "aten::sigmoid",
                          "aten::tanh",
                          "aten::hardswish",
                          "aten::hardswish_",
                          "aten::hardsigmoid",
                          "aten::softmax",
                          "aten::log_softmax",
                          "aten::add",
                          "aten::add_",
                          "aten::sub",
                          "aten::sub_",
                          "aten::mul",
                          "aten::mul_",
                          "aten::div",
                          "aten::div_",
                          "aten::upsample_bilinear2d"})
      t[n] = Kind::Elementwise;
    for (const char* n : {"aten::avg_pool2d", "aten::max_pool2d", "aten::max_pool2d_with_indices",
                          "aten::mkldnn_max_pool2d", kernels::kAvgPoolOpName})
      t[n] = Kind::Pool;
    for (const char* n : {"aten::adaptive_avg_pool2d", "aten::_adaptive_avg_pool2d",
                          "aten::mkldnn_adaptive_avg_pool2d", "aten::mean"})
      t[n] = Kind::InputReduce;
    return t;
  }();
  auto it = table.find(op);
  return it == table.end() ? Kind::None : it->second;
}

struct Collector {
  std::unordered_map<const void*, size_t> module_index;  // module pointer -> breakdown row
  std::vector<ModuleCost> rows;
  std::unordered_map<const void*, std::string> names;  // registered modules by pointer
  std::unordered_map<const void*, std::string> types;
  std::unordered_set<const c10::TensorImpl*> read_tensors;
  std::map<std::string, int64_t> uncounted;
  int depth = 0;  // > 0 while inside a counted op
};

thread_local Collector* active = nullptr;

size_t row_for(Collector& c, const void* key);

void on_module_enter(const void* module) {
  if (active && active->names.count(module)) active->rows[row_for(*active, module)].calls += 1;
}

struct OpContext : at::ObserverContext {
  Kind kind = Kind::None;
  int64_t factor = 1;       // reduction size per output element (MAC kinds), window area (pool)
  int64_t dead_factor = 0;  // conv: the part of `factor` on taps that read only padding
  int64_t input_numel = 0;  // for InputReduce
  bool bias = false;
  size_t row = 0;
};

size_t current_row(Collector& c) {
  const auto& stack = ModuleScope::stack();
  const void* key = nullptr;
  for (auto it = stack.rbegin(); it != stack.rend(); ++it)
    if (c.names.count(*it)) {
      key = *it;
      break;
    }
  return row_for(c, key);
}

size_t row_for(Collector& c, const void* key) {
  auto found = c.module_index.find(key);
  if (found != c.module_index.end()) return found->second;
  ModuleCost row;
  row.module = key ? c.names[key] : "(outside any module)";
  if (row.module.empty()) row.module = "(model)";
  row.type = key ? c.types[key] : "";
  c.rows.push_back(row);
  c.module_index[key] = c.rows.size() - 1;
  return c.rows.size() - 1;
}

int64_t tail_product(const at::Tensor& t, int64_t from) {
  int64_t p = 1;
  for (int64_t d = from; d < t.dim(); ++d) p *= t.size(d);
  return p;
}

// Kernel taps along one axis that read the input at some output position: tap t reads i = o *
// stride + t * dilation - pad, and is live when 0 <= i < in for some 0 <= o < out.
int64_t live_taps(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad, int64_t dilation) {
  int64_t live = 0;
  for (int64_t t = 0; t < k; ++t) {
    const int64_t offset = t * dilation - pad;
    bool reads = false;
    for (int64_t o = 0; o < out && !reads; ++o) reads = o * stride + offset >= 0 && o * stride + offset < in;
    live += reads;
  }
  return live;
}

// {stride, padding, dilation} of a conv op along height and width, from its IValue arguments at
// `first` (int lists for ATen's convs, ints for espbench's depth-wise kernel); false if absent.
bool conv_geometry(c10::ArrayRef<const c10::IValue> in, size_t first, int64_t g[3][2]) {
  if (in.size() < first + 3) return false;
  for (size_t a = 0; a < 3; ++a) {
    const c10::IValue& v = in[first + a];
    if (v.isInt()) {
      g[a][0] = g[a][1] = v.toInt();
    } else if (v.isIntList()) {
      const auto l = v.toIntVector();
      if (l.empty()) return false;
      g[a][0] = l[0], g[a][1] = l.size() > 1 ? l[1] : l[0];
    } else {
      return false;
    }
  }
  return true;
}

// Cin/groups x (taps reading only padding) for a 2-D conv, or 0 when its geometry is unknown (or
// it is transposed).
int64_t padding_only_factor(const std::string& name, c10::ArrayRef<const c10::IValue> inputs,
                            const at::Tensor& x, const at::Tensor& w) {
  if (!x.defined() || !w.defined() || x.dim() != 4 || w.dim() != 4) return 0;
  if (name == "aten::convolution" || name == "aten::_convolution")
    if (inputs.size() > 6 && inputs[6].isBool() && inputs[6].toBool()) return 0;
  if (name == "aten::conv_transpose2d") return 0;
  int64_t g[3][2];
  if (!conv_geometry(inputs, name == kernels::kDepthwiseOpName ? 2 : 3, g)) return 0;
  int64_t live[2];
  for (int a = 0; a < 2; ++a) {
    const int64_t in = x.size(2 + a), k = w.size(2 + a);
    const int64_t out = cx::out_size(in, k, g[0][a], g[1][a], g[2][a]);
    live[a] = live_taps(in, out, k, g[0][a], g[1][a], g[2][a]);
  }
  return w.size(1) * (w.size(2) * w.size(3) - live[0] * live[1]);
}

void note_tensor(Collector& c, const c10::IValue& v) {
  if (v.isTensor()) {
    if (v.toTensor().defined()) c.read_tensors.insert(v.toTensor().unsafeGetTensorImpl());
  } else if (v.isTensorList()) {
    for (const at::Tensor& t : v.toTensorList().vec())
      if (t.defined()) c.read_tensors.insert(t.unsafeGetTensorImpl());
  }
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  Collector* c = active;
  if (!c) return nullptr;
  auto inputs = fn.inputs();
  for (const auto& v : inputs) note_tensor(*c, v);
  if (c->depth > 0) return nullptr;
  const std::string name = fn.name();
  const Kind kind = classify(name);
  if (kind == Kind::None) {
    c->uncounted[name] += 1;
    return nullptr;
  }
  auto ctx = std::make_unique<OpContext>();
  ctx->kind = kind;
  auto tensor_at = [&](size_t i) {
    return i < inputs.size() && inputs[i].isTensor() ? inputs[i].toTensor() : at::Tensor();
  };
  switch (kind) {
    case Kind::Conv: {
      at::Tensor w = tensor_at(1);
      ctx->factor = tail_product(w, 1);
      ctx->dead_factor = padding_only_factor(name, inputs, tensor_at(0), w);
      ctx->bias = tensor_at(2).defined();
      break;
    }
    case Kind::Linear:
      ctx->factor = tensor_at(1).size(-1);
      ctx->bias = tensor_at(2).defined();
      break;
    case Kind::AddMM:
      ctx->factor = tensor_at(1).size(-1);
      ctx->bias = true;
      break;
    case Kind::MatMul:
      ctx->factor = tensor_at(0).size(-1);
      break;
    case Kind::Pool: {
      ctx->factor = 1;
      if (inputs.size() > 1 && inputs[1].isIntList()) {
        auto k = inputs[1].toIntVector();
        ctx->factor = k.size() == 1 ? k[0] * k[0] : k[0] * k[1];
      }
      break;
    }
    case Kind::InputReduce:
      ctx->input_numel = tensor_at(0).defined() ? tensor_at(0).numel() : 0;
      break;
    default:
      break;
  }
  ctx->row = current_row(*c);
  c->depth += 1;
  return ctx;
}

void on_end(const at::RecordFunction& fn, at::ObserverContext* raw) {
  Collector* c = active;
  if (!c || !raw) return;
  auto* ctx = static_cast<OpContext*>(raw);
  c->depth -= 1;
  const auto& outs = fn.outputs();
  const int64_t out_numel = !outs.empty() && outs[0].isTensor() ? outs[0].toTensor().numel() : 0;
  Complexity& cost = c->rows[ctx->row].cost;
  switch (ctx->kind) {
    case Kind::Conv:
      cost.conv_macs += out_numel * ctx->factor;
      c->rows[ctx->row].padding_only_macs += out_numel * ctx->dead_factor;
      break;
    case Kind::Linear:
    case Kind::AddMM:
    case Kind::MatMul:
      cost.linear_macs += out_numel * ctx->factor;
      break;
    case Kind::Elementwise:
      cost.elementwise_ops += out_numel;
      break;
    case Kind::Pool:
      cost.elementwise_ops += out_numel * ctx->factor;
      break;
    case Kind::InputReduce:
      cost.elementwise_ops += ctx->input_numel;
      break;
    default:
      break;
  }
  if (ctx->bias) cost.elementwise_ops += out_numel;
}

// Restores the model's training flag however the forward ends.
struct TrainingFlagGuard {
  torch::nn::Module& m;
  bool was_training;
  explicit TrainingFlagGuard(torch::nn::Module& model) : m(model), was_training(model.is_training()) {}
  ~TrainingFlagGuard() { m.train(was_training); }
};

}  // namespace

CountResult count_complexity(Network& model, const std::vector<int64_t>& input) {
  if (input.size() != 4 || input[0] < 1)
    throw Error(fmt::format("count_complexity: input must be [N,C,H,W] with N >= 1"));
  Collector collector;
  collector.names[static_cast<const torch::nn::Module*>(&model)] = "";
  collector.types[static_cast<const torch::nn::Module*>(&model)] = model.name();
  for (const auto& item : model.named_modules("", /*include_self=*/false)) {
    collector.names[item.value().get()] = item.key();
    collector.types[item.value().get()] = item.value()->name();
  }
  torch::Device device = torch::kCPU;
  for (const auto& p : model.parameters()) {
    device = p.device();
    break;
  }
  const auto x = torch::ones(input, torch::TensorOptions().dtype(torch::kFloat32).device(device));

  TrainingFlagGuard restore(model);
  model.eval();
  auto handle = at::addThreadLocalCallback(at::RecordFunctionCallback(&on_start, &on_end)
                                               .needsInputs(true)
                                               .needsOutputs(true)
                                               .scopes({at::RecordScope::FUNCTION}));
  struct Detach {
    at::CallbackHandle handle;
    ~Detach() {
      active = nullptr;
      ModuleScope::listener() = nullptr;
      at::removeCallback(handle);
    }
  } detach{handle};
  active = &collector;
  ModuleScope::listener() = &on_module_enter;
  model.forward(x);

  CountResult r;
  r.input = input;
  const int64_t n = input[0];
  for (auto& row : collector.rows) {
    row.cost.conv_macs /= n, row.cost.linear_macs /= n, row.cost.elementwise_ops /= n;
    row.padding_only_macs /= n;
    r.per_image += row.cost;
    r.padding_only_macs += row.padding_only_macs;
  }
  for (const auto& item : model.named_parameters(/*recurse=*/true)) {
    r.per_image.params += item.value().numel();
    if (!collector.read_tensors.count(item.value().unsafeGetTensorImpl())) {
      r.params_unused += item.value().numel();
      r.unused_parameters.push_back(item.key());
    }
  }
  r.breakdown = std::move(collector.rows);
  r.uncounted_ops = std::move(collector.uncounted);
  return r;
}

}  // namespace espbench
