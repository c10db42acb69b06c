#include "tests/test_support.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/error.h"

namespace espbench::test {

std::string espbench_binary() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "espbench").string();
}

std::pair<int, std::string> run_command(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TempDir::TempDir(const std::string& prefix) {
  std::string t = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
  REQUIRE(mkdtemp(t.data()) != nullptr);
  path = t;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

json synthetic_run() {
  return {{"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}}}}},
          {"data",
           {{"name", "synthetic"},
            {"synthetic_train", 64},
            {"synthetic_test", 32},
            {"synthetic_channels", 1},
            {"synthetic_height", 16},
            {"synthetic_width", 16},
            {"synthetic_classes", 10}}},
          {"train", {{"epochs", 1}, {"batch_size", 32}, {"lr", 0.02}}},
          {"runtime", {{"threads", 1}}}};
}

void put(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

pid_t spawn_quiet(const std::vector<std::string>& argv) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void randomize_inference_state(torch::nn::Module& m, uint64_t seed) {
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  auto uniform = [&](const torch::Tensor& t, double lo, double hi) {
    t.copy_(torch::rand(t.sizes(), gen) * (hi - lo) + lo);
  };
  auto visit = [&](torch::nn::Module& sub) {
    if (auto* bn = sub.as<torch::nn::BatchNorm2d>()) {
      uniform(bn->running_mean, -0.2, 0.2);
      uniform(bn->running_var, 0.5, 1.5);
      uniform(bn->weight, 0.5, 1.5);
      uniform(bn->bias, -0.2, 0.2);
    } else if (auto* p = sub.as<torch::nn::PReLU>()) {
      uniform(p->weight, 0.05, 0.5);
    }
  };
  // The module itself apart: modules() with itself included needs it held by a shared_ptr.
  visit(m);
  for (const auto& sub : m.modules(/*include_self=*/false)) visit(*sub);
}

std::vector<torch::Tensor> module_state(const torch::nn::Module& m) {
  std::vector<torch::Tensor> out;
  for (const auto& p : m.parameters()) out.push_back(p.detach().clone());
  for (const auto& b : m.buffers()) out.push_back(b.detach().clone());
  return out;
}

bool same_state(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i], b[i])) return false;
  return true;
}

double max_rel_error(const torch::Tensor& actual, const torch::Tensor& expected) {
  const double scale = std::max(1e-12, expected.abs().max().item<double>());
  return (actual - expected).abs().max().item<double>() / scale;
}

void require_close(const torch::Tensor& actual, const torch::Tensor& expected, double rel_tol,
                   const std::string& what) {
  INFO(what << ": shapes " << actual.sizes() << " vs " << expected.sizes());
  REQUIRE(actual.sizes() == expected.sizes());
  const double err = max_rel_error(actual, expected);
  INFO(what << ": max relative error " << err << " (tolerance " << rel_tol << ")");
  REQUIRE(err <= rel_tol);
}

}  // namespace espbench::test
