// Weight files as named tensors: PyTorch's .pth in both of its formats (the legacy stream of
// pickles and raw storages written before PyTorch 1.6, and the zip archive since) and LibTorch
// archives, which is what espbench's own checkpoints are (harness/train/checkpoint.h). All are read
// by espbench's restricted pickle reader (pickle.h): only tensors, storages and plain containers
// are accepted, nothing in the file is executed, and any damage ends in a one-line espbench::Error
// naming the file (and the key, where one is known).
//
// The tensors are the root's, flattened with dotted names: a state dict's own keys; a dict that
// holds one under "state_dict" (a training checkpoint) is unwrapped; an espbench checkpoint gives
// its model's parameters and buffers (its `meta` document is kept aside). Every tensor is
// materialised on the CPU, contiguous, in its stored dtype.
#pragma once
#include <ATen/core/Tensor.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "modules/options.h"

namespace espbench::weights {

struct WeightFile {
  std::string source;  // the file name, as used in messages
  std::string format;  // "pytorch legacy", "pytorch zip", "espbench checkpoint", "libtorch archive"
  std::vector<std::pair<std::string, at::Tensor>> tensors;  // in file order, names unique
  json meta;                                                // an espbench checkpoint's meta; else null
};

// Reads `path` (errors name it).
WeightFile read_weights(const std::string& path);

// The same for bytes already in memory; `source` names them in messages.
WeightFile parse_weights(std::string_view bytes, const std::string& source);

}  // namespace espbench::weights
