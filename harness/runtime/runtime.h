// Explicit runtime inputs recorded in every report: intra-op thread count and device.
// This machine's LibTorch starts with ONE intra-op thread, so espbench always sets it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace espbench {

// Cores LibTorch may use by default (all online cores).
int64_t default_threads();

// Sets LibTorch's intra-op threads; throws espbench::Error for n < 1 (names `option`).
void set_threads(int64_t n, const std::string& option = "--threads");

// Validates a device string ("cpu", "cuda", "cuda:1") and that it is available in this build.
std::string check_device(const std::string& device, const std::string& option = "--device");

// Parses "CxHxW" (e.g. 3x224x224) into {1, C, H, W}; errors name `option`.
std::vector<int64_t> parse_input_shape(const std::string& text, const std::string& option = "--input");

}  // namespace espbench
