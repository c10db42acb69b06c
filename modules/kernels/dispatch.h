// How espbench picks the build of its hand-written CPU kernels. Every kernel's loops live in a
// per-ISA source (modules/kernels/*_isa.cpp) that the build compiles three times: for AVX-512
// (-mavx512f -mfma), for AVX2+FMA and for baseline x86-64 ("generic"; the only build elsewhere).
// Each build registers its loops in the kernel's IsaTable from a static initialiser; the kernel's
// dispatcher, compiled once for baseline x86-64, threads the work and calls the loops of the
// active ISA through that table.
//
// The active ISA is chosen once, when the program loads: AVX-512F if the CPU has it, else
// AVX2+FMA, else generic. ESPBENCH_ISA=avx512|avx2|generic in the environment overrides the
// choice (a value this CPU cannot run, or an unknown one, makes the first kernel call throw an
// espbench::Error naming the variable); ScopedIsa overrides it for the tests.
#pragma once
#include <vector>

namespace espbench::kernels {

enum class Isa { Generic = 0, Avx2 = 1, Avx512 = 2 };
inline constexpr int kIsaCount = 3;

// "avx512f", "avx2+fma" or "generic": the name reports record.
const char* isa_name(Isa isa);

// "avx512", "avx2" or "generic": the value ESPBENCH_ISA takes.
const char* isa_option(Isa isa);

// Whether this program has a build for `isa` and this CPU can run it.
bool isa_runnable(Isa isa);

// Every runnable ISA, best first.
std::vector<Isa> runnable_isas();

// The ISA the kernels run now: a live ScopedIsa's, else the one chosen at load time. Throws
// espbench::Error when ESPBENCH_ISA holds a bad value.
Isa active_isa();

// isa_name(active_isa()), for reports.
const char* kernel_isa();

// Runs every kernel on `isa` while it lives (the whole process, every thread); restores the
// previous choice when it ends. Throws espbench::Error when `isa` is not runnable. For tests and
// benchmarks that compare the builds.
class ScopedIsa {
 public:
  explicit ScopedIsa(Isa isa);
  ~ScopedIsa();
  ScopedIsa(const ScopedIsa&) = delete;
  ScopedIsa& operator=(const ScopedIsa&) = delete;

 private:
  int previous_;
};

// One kernel's builds. The per-ISA sources call add() (out of line, so that no code of this class
// is compiled with their flags); the dispatcher calls get(). A namespace-scope table is
// zero-initialised before any static initialiser runs, so registration order does not matter.
class IsaTableBase {
 public:
  void add(Isa isa, const void* loops);

 protected:
  const void* find(const char* kernel) const;

 private:
  const void* loops_[kIsaCount] = {};
};

// Loops: a struct of function pointers, one per loop of the kernel.
template <typename Loops>
class IsaTable : public IsaTableBase {
 public:
  explicit constexpr IsaTable(const char* kernel) : kernel_(kernel) {}
  // The active ISA's loops.
  const Loops& get() const { return *static_cast<const Loops*>(find(kernel_)); }

 private:
  const char* kernel_;
};

}  // namespace espbench::kernels
