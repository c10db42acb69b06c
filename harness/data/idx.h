// IDX files (the MNIST / Fashion-MNIST format: big-endian magic 0x0000TTNN with type TT and NN
// dimensions, NN big-endian uint32 sizes, then the data), gzipped or plain, read with zlib.
#pragma once
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace espbench::data {

struct IdxArray {
  std::vector<int64_t> dims;
  torch::Tensor data;  // uint8, shape dims
};

// Reads an unsigned-byte IDX file with `ndims` dimensions (magic 0x0000080N). Throws espbench::Error
// naming `path` for a missing file, a wrong magic number, a truncated or corrupt gzip stream, a
// short payload or trailing bytes.
IdxArray read_idx_ubyte(const std::string& path, int ndims);

}  // namespace espbench::data
