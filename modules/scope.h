// A per-thread stack of the modules whose forward is running. Blocks open a ModuleScope at the top
// of forward(); the complexity counter uses it to attribute every executed op to a module path
// (the --breakdown view). When nothing listens, a scope costs one thread-local push and pop.
#pragma once
#include <vector>

namespace torch::nn {
class Module;
}

namespace espbench {

class ModuleScope {
 public:
  explicit ModuleScope(const torch::nn::Module* module) {
    stack().push_back(module);
    if (Listener l = listener()) l(module);
  }
  ~ModuleScope() { stack().pop_back(); }
  ModuleScope(const ModuleScope&) = delete;
  ModuleScope& operator=(const ModuleScope&) = delete;

  // Called on every scope entry while set (the counter counts forward calls with it).
  using Listener = void (*)(const void* module);
  static Listener& listener() {
    thread_local Listener l = nullptr;
    return l;
  }

  // Innermost first is stack().back(); empty outside any scoped forward.
  static std::vector<const void*>& stack() {
    thread_local std::vector<const void*> s;
    return s;
  }
};

}  // namespace espbench
