#include "modules/kernels/dispatch.h"

#include <atomic>
#include <cstdlib>
#include <string>

#include "modules/error.h"

namespace espbench::kernels {

namespace {

constexpr Isa kAll[] = {Isa::Avx512, Isa::Avx2, Isa::Generic};

// What CMakeLists.txt builds: all three sets on x86-64, the generic build elsewhere.
bool cpu_supports(Isa isa) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();  // static initialisers (the load-time choice) may run before libgcc's
  switch (isa) {
    case Isa::Avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    case Isa::Avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Generic:
      return true;
  }
  return false;
#else
  return isa == Isa::Generic;
#endif
}

std::string runnable_list() {
  std::string s;
  for (Isa isa : runnable_isas()) s += (s.empty() ? "" : ", ") + std::string(isa_option(isa));
  return s;
}

// The load-time choice, or why ESPBENCH_ISA could not be honoured.
struct Choice {
  Isa isa = Isa::Generic;
  std::string error;
};

Choice choose() {
  Choice c;
  c.isa = runnable_isas().front();
  const char* env = std::getenv("ESPBENCH_ISA");
  if (!env || !*env) return c;
  const std::string value = env;
  for (Isa isa : kAll) {
    if (value != isa_option(isa)) continue;
    if (isa_runnable(isa))
      c.isa = isa;
    else
      c.error = "ESPBENCH_ISA=" + value + ": this CPU cannot run the " + isa_name(isa) +
                " kernels; valid here: " + runnable_list();
    return c;
  }
  c.error = "ESPBENCH_ISA=" + value +
            ": unknown instruction set; valid: avx512, avx2, generic (this CPU: " + runnable_list() + ")";
  return c;
}

const Choice& load_time_choice() {
  static const Choice choice = choose();
  return choice;
}

// Made while the program loads, so that every kernel call of a run sees the same choice.
[[maybe_unused]] const bool chosen_at_load = (load_time_choice(), true);

// A ScopedIsa's choice (an Isa as int), or -1.
std::atomic<int> scoped_isa{-1};

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512f";
    case Isa::Avx2:
      return "avx2+fma";
    case Isa::Generic:
      break;
  }
  return "generic";
}

const char* isa_option(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    case Isa::Generic:
      break;
  }
  return "generic";
}

bool isa_runnable(Isa isa) { return cpu_supports(isa); }

std::vector<Isa> runnable_isas() {
  std::vector<Isa> out;
  for (Isa isa : kAll)
    if (isa_runnable(isa)) out.push_back(isa);
  return out;
}

Isa active_isa() {
  const int scoped = scoped_isa.load(std::memory_order_relaxed);
  if (scoped >= 0) return static_cast<Isa>(scoped);
  const Choice& c = load_time_choice();
  if (!c.error.empty()) throw Error(c.error);
  return c.isa;
}

const char* kernel_isa() { return isa_name(active_isa()); }

ScopedIsa::ScopedIsa(Isa isa) : previous_(scoped_isa.load()) {
  if (!isa_runnable(isa))
    throw Error(std::string("ScopedIsa: this CPU cannot run the ") + isa_name(isa) +
                " kernels; valid here: " + runnable_list());
  scoped_isa = static_cast<int>(isa);
}

ScopedIsa::~ScopedIsa() { scoped_isa = previous_; }

void IsaTableBase::add(Isa isa, const void* loops) { loops_[static_cast<int>(isa)] = loops; }

const void* IsaTableBase::find(const char* kernel) const {
  const Isa isa = active_isa();
  const void* loops = loops_[static_cast<int>(isa)];
  if (!loops)
    throw Error(std::string("kernel ") + kernel + ": no " + isa_name(isa) +
                " build in this program (see the kernel block of CMakeLists.txt)");
  return loops;
}

}  // namespace espbench::kernels
