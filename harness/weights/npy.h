// NumPy's .npy format for tensors in and out of espbench (`espbench infer`): float32, little-endian,
// C order, any shape; format versions 1.0, 2.0 and 3.0 are read, 1.0 is written (2.0 when the
// header needs it). Anything else, a truncated file or extra bytes is a one-line espbench::Error
// naming the file and the header key.
#pragma once
#include <ATen/core/Tensor.h>

#include <string>
#include <string_view>

namespace espbench::weights {

at::Tensor parse_npy(std::string_view bytes, const std::string& source);
at::Tensor read_npy(const std::string& path);

// The file's bytes for a float32 tensor (any layout and device; written contiguous).
std::string npy_bytes(const at::Tensor& t);
// Writes atomically (harness/report/atomic_file.h).
void write_npy(const std::string& path, const at::Tensor& t);

}  // namespace espbench::weights
