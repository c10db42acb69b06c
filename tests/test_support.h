// Helpers shared by the test files.
#pragma once
#include <sys/types.h>
#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "modules/registry.h"

namespace espbench::test {

inline NetworkPtr build(const std::string& name, const json& options = json::object()) {
  return build_model(resolve_model(ModelSpec{name, options}));
}

inline int64_t param_count(torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

// The one tolerance rule for comparing tensors in the tests: max |actual - expected| divided by
// max |expected| (relative to the largest expected magnitude, so elements near zero cannot blow it
// up). Catch2's WithinRel serves scalars.
double max_rel_error(const torch::Tensor& actual, const torch::Tensor& expected);

// REQUIREs equal shapes and max_rel_error(actual, expected) <= rel_tol; `what` names the comparison.
void require_close(const torch::Tensor& actual, const torch::Tensor& expected, double rel_tol,
                   const std::string& what = "");

// Gives every BatchNorm2d non-trivial statistics and affine terms and every PReLU distinct slopes,
// so that folding and fusing (--fast) have something to get wrong.
void randomize_inference_state(torch::nn::Module& m, uint64_t seed);

// Copies of a module's parameters and buffers; same_state compares two such copies exactly.
std::vector<torch::Tensor> module_state(const torch::nn::Module& m);
bool same_state(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b);

// Path of the espbench binary built beside the test binary.
std::string espbench_binary();

// Runs a shell command, returns {exit code, stdout+stderr}.
std::pair<int, std::string> run_command(const std::string& cmd);

// A fresh folder under the system temp folder, removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "espbench");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// The message of the espbench::Error `f` throws ("" when it throws none).
std::string error_of(const std::function<void()>& f);

// A RunConfig (JSON) for a run of about a second: ESPNetv2 s=0.5 for 1 epoch on 64 synthetic
// 1x16x16 images of 10 classes (32 test images), batch 32, lr 0.02, 1 thread. Resolving it touches
// no file; callers set what their case is about.
json synthetic_run();

// Writes `text` to `path`, creating its folders (fixtures; no atomic rename needed in a temp dir).
void put(const std::filesystem::path& path, const std::string& text);

// Starts argv[0] with arguments argv[1..] as a child process, its output discarded; returns its pid.
pid_t spawn_quiet(const std::vector<std::string>& argv);

// A file's whole content ("" when unreadable).
std::string read_text(const std::string& path);

// Repository root (compile-time).
inline std::string source_dir() { return ESPBENCH_SOURCE_DIR; }

}  // namespace espbench::test
