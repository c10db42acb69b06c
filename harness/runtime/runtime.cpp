#include "harness/runtime/runtime.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/types.h>

#include <thread>

#include "modules/error.h"

namespace espbench {

int64_t default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int64_t>(n);
}

void set_threads(int64_t n, const std::string& option) {
  if (n < 1)
    throw Error(fmt::format("option {}: thread count must be >= 1, got {} (default: all {} cores)", option, n,
                            default_threads()));
  at::set_num_threads(static_cast<int>(n));
}

std::string check_device(const std::string& device, const std::string& option) {
  try {
    torch::Device d(device);
    if (d.is_cuda() && !torch::cuda::is_available())
      throw Error(
          fmt::format("option {}: '{}' requested but this build of LibTorch has no usable "
                      "CUDA device; valid here: cpu",
                      option, device));
    if (!d.is_cpu() && !d.is_cuda())
      throw Error(
          fmt::format("option {}: unsupported device '{}'; valid: cpu, cuda, cuda:N", option, device));
    return d.str();
  } catch (const c10::Error&) {
    throw Error(fmt::format("option {}: invalid device '{}'; valid: cpu, cuda, cuda:N", option, device));
  }
}

std::vector<int64_t> parse_input_shape(const std::string& text, const std::string& option) {
  std::vector<int64_t> dims;
  size_t start = 0;
  auto bad = [&]() {
    return Error(fmt::format("option {}: '{}' is not CxHxW with three positive integers (e.g. 3x224x224)",
                             option, text));
  };
  while (start <= text.size()) {
    size_t x = text.find('x', start);
    std::string part = text.substr(start, x == std::string::npos ? std::string::npos : x - start);
    if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos)
      throw bad();
    int64_t v = std::stoll(part);
    if (v <= 0) throw bad();
    dims.push_back(v);
    if (x == std::string::npos) break;
    start = x + 1;
  }
  if (dims.size() != 3) throw bad();
  return {1, dims[0], dims[1], dims[2]};
}

}  // namespace espbench
