// Contracts every registered network keeps: clone() of a --fast network is a deep copy with the same
// outputs (LibTorch's Cloneable contract: every fast module creates its state in reset()), and
// the modules a forward pass never runs are exactly those its model entry documents (`never_run`,
// as the official ESPNetv2 has them) and nothing else.
#include <ATen/record_function.h>
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "harness/complexity/counter.h"
#include "modules/block_network.h"
#include "modules/blocks/eesp.h"
#include "modules/error.h"
#include "modules/inference/fast_eesp.h"
#include "modules/inference/fast_model.h"
#include "modules/scope.h"
#include "tests/test_support.h"

using namespace espbench;

namespace {

std::set<const void*> storages(const torch::nn::Module& m) {
  std::set<const void*> out;
  for (const auto& t : m.parameters()) out.insert(t.storage().unsafeGetStorageImpl());
  for (const auto& t : m.buffers()) out.insert(t.storage().unsafeGetStorageImpl());
  return out;
}

void require_deep_copy(const torch::nn::Module& original, const torch::nn::Module& copy) {
  REQUIRE(test::same_state(test::module_state(original), test::module_state(copy)));
  const auto a = storages(original), b = storages(copy);
  for (const void* p : b) REQUIRE(a.count(p) == 0);
}

// What a forward pass ran: the modules whose forward opened a ModuleScope, and each executed op
// with the innermost such module at the time.
struct Trace {
  std::set<const void*> entered;
  std::set<std::pair<const void*, std::string>> ops;
};
thread_local Trace* g_trace = nullptr;

void on_enter(const void* module) { g_trace->entered.insert(module); }

std::unique_ptr<at::ObserverContext> on_op(const at::RecordFunction& fn) {
  const auto& stack = ModuleScope::stack();
  g_trace->ops.emplace(stack.empty() ? nullptr : stack.back(), std::string(fn.name()));
  return nullptr;
}

Trace trace_forward(Network& net, const torch::Tensor& x) {
  Trace t;
  g_trace = &t;
  ModuleScope::listener() = &on_enter;
  auto handle =
      at::addThreadLocalCallback(at::RecordFunctionCallback(&on_op).scopes({at::RecordScope::FUNCTION}));
  struct Detach {
    at::CallbackHandle handle;
    ~Detach() {
      at::removeCallback(handle);
      ModuleScope::listener() = nullptr;
      g_trace = nullptr;
    }
  } detach{handle};
  torch::NoGradGuard no_grad;
  net.forward(x);
  return t;
}

// Parameter-free LibTorch modules open no ModuleScope: they count as run when their op ran inside
// their nearest scoped ancestor (two of one type under one scope are not told apart). A type
// missing here shows up as never run (add it).
const std::map<std::string, std::string> kOpOfParameterFree = {
    {"torch::nn::AdaptiveAvgPool2dImpl", "aten::adaptive_avg_pool2d"},
    {"torch::nn::AvgPool2dImpl", "aten::avg_pool2d"},
    {"torch::nn::MaxPool2dImpl", "aten::max_pool2d"},
    {"torch::nn::ReLUImpl", "aten::relu"},
    {"torch::nn::SigmoidImpl", "aten::sigmoid"},
};

struct DeadFinder {
  const Trace& trace;
  std::set<std::string> unused_parameters;
  std::vector<std::string> dead;  // top-most modules that never ran

  static std::string join_path(const std::string& a, const std::string& b) {
    return a.empty() ? b : a + "." + b;
  }

  // Whether `m` (at `path`) or anything in it ran; records its dead parts.
  bool visit(const std::string& path, const torch::nn::Module& m, const void* scoped_ancestor) {
    const bool scoped = trace.entered.count(&m) > 0;
    bool runs = scoped;
    const auto own = m.named_parameters(/*recurse=*/false);
    for (const auto& p : own) runs |= unused_parameters.count(join_path(path, p.key())) == 0;
    if (!scoped && own.is_empty() && m.children().empty()) {
      auto it = kOpOfParameterFree.find(m.name());
      runs |= it != kOpOfParameterFree.end() && trace.ops.count({scoped_ancestor, it->second}) > 0;
    }
    std::vector<std::string> dead_children;
    std::swap(dead, dead_children);
    for (const auto& c : m.named_children())
      runs |= visit(join_path(path, c.key()), *c.value(), scoped ? &m : scoped_ancestor);
    std::swap(dead, dead_children);
    if (runs)
      dead.insert(dead.end(), dead_children.begin(), dead_children.end());
    else
      dead.push_back(path);
    return runs;
  }
};

// A network with a parameter-free module and a linear layer it runs, and one of each it never runs
// (the pool, like a strided unit's pool whose pooling runs on another kernel).
class HalfDead : public Network {
 public:
  HalfDead() {
    relu = register_module("relu", torch::nn::ReLU());
    unused_pool = register_module("unused_pool", torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(2)));
    fc = register_module("fc", torch::nn::Linear(3, 2));
    dead_fc = register_module("dead_fc", torch::nn::Linear(3, 2));
  }
  torch::Tensor forward(torch::Tensor x) override {
    ModuleScope scope(this);
    return fc->forward(relu->forward(x).mean({2, 3}));
  }
  torch::nn::ReLU relu{nullptr};
  torch::nn::AvgPool2d unused_pool{nullptr};
  torch::nn::Linear fc{nullptr}, dead_fc{nullptr};
};

std::vector<std::string> dead_modules(Network& net, const std::vector<int64_t>& input) {
  net.eval();
  const CountResult counted = count_complexity(net, input);
  const Trace trace = trace_forward(net, torch::ones(input));
  DeadFinder finder{trace, {counted.unused_parameters.begin(), counted.unused_parameters.end()}, {}};
  REQUIRE(finder.visit("", net, nullptr));
  std::sort(finder.dead.begin(), finder.dead.end());
  return finder.dead;
}

}  // namespace

TEST_CASE(
    "clone() of every --fast network (default, all and each part alone) is a deep copy with the same outputs",
    "[latency][clone]") {
  for (const auto& name : model_registry().names()) {
    for (const char* parts : {"default", "all", "fold_bn", "eesp_kernel", "fuse", "channels_last", "gemm"}) {
      CAPTURE(name, parts);
      torch::manual_seed(21);
      const ResolvedModel m = resolve_model(ModelSpec{name, json::object()});
      NetworkPtr plain = build_model(m);
      test::randomize_inference_state(*plain, 22);
      plain->eval();
      const FastResult fast = make_fast(m, *plain, parse_fast_parts(parts));
      auto copy = std::dynamic_pointer_cast<Network>(fast.net->clone());
      REQUIRE(copy);
      require_deep_copy(*fast.net, *copy);
      auto x = torch::randn({2, 3, 64, 64});
      if (fast.channels_last) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
      c10::InferenceMode guard;
      REQUIRE(torch::equal(copy->forward(x), fast.net->forward(x)));
    }
  }
}

TEST_CASE("clone() of a plain network and of a FastEESP module copies all state", "[latency][clone]") {
  torch::manual_seed(23);
  NetworkPtr plain = test::build("espnetv2", {{"scale", 0.5}});
  test::randomize_inference_state(*plain, 24);
  plain->eval();
  auto copy = std::dynamic_pointer_cast<Network>(plain->clone());
  REQUIRE(copy);
  require_deep_copy(*plain, *copy);
  const auto x = torch::randn({1, 3, 64, 64});
  {
    torch::NoGradGuard no_grad;
    REQUIRE(torch::equal(copy->forward(x), plain->forward(x)));
  }
  for (const int64_t stride : {1, 2}) {
    CAPTURE(stride);
    BlockArgs a;
    a.in_channels = 32, a.out_channels = stride == 1 ? 32 : 64, a.stride = stride;
    auto block = std::make_shared<BlockNetwork>("eesp", a);
    test::randomize_inference_state(*block, 25);
    block->eval();
    FastEESP f(*block->block().ptr()->as<EESPImpl>(), /*fuse=*/true, /*gemm=*/true);
    auto fc = std::dynamic_pointer_cast<FastEESPImpl>(f->clone());
    REQUIRE(fc);
    require_deep_copy(*f, *fc);
    const auto y = torch::randn({2, 32, 13, 11});
    REQUIRE(torch::equal(fc->forward(y), f->forward(y)));
  }
}

TEST_CASE("the modules a forward pass never runs are exactly those the model documents", "[models]") {
  for (const auto& [name, entry] : model_registry().all()) {
    CAPTURE(name);
    const ResolvedModel m = resolve_model(ModelSpec{name, json::object()});
    NetworkPtr net = build_model(m);
    std::vector<std::string> documented =
        entry.never_run ? entry.never_run(m.options) : std::vector<std::string>{};
    std::sort(documented.begin(), documented.end());
    REQUIRE(dead_modules(*net, {1, m.options.value("in_channels", int64_t{3}), 64, 64}) == documented);
  }
  // ESPNetv2 filled with every registered block (those that fit its widths).
  for (const auto& block : block_registry().names()) {
    CAPTURE(block);
    ResolvedModel m;
    try {
      m = resolve_model(ModelSpec{"espnetv2", {{"block", block}}});
    } catch (const Error&) {
      continue;  // the block cannot take ESPNetv2's widths or branch count
    }
    NetworkPtr net = build_model(m);
    std::vector<std::string> documented = model_registry().at("espnetv2").never_run(m.options);
    std::sort(documented.begin(), documented.end());
    REQUIRE(dead_modules(*net, {1, 3, 64, 64}) == documented);
  }
  // The finder sees parameter-free modules that never run, too.
  auto half = std::make_shared<HalfDead>();
  REQUIRE(dead_modules(*half, {1, 3, 8, 8}) == std::vector<std::string>{"dead_fc", "unused_pool"});
  // The documented list follows the options: no reinforcement, no dead reinforcement.
  const ResolvedModel m = resolve_model(ModelSpec{"espnetv2", {{"input_reinforcement", false}}});
  REQUIRE(model_registry().at("espnetv2").never_run(m.options).size() == 4);
}
