// The two container formats of torch_file.h, and what they share: from a weight file's pickle and
// the bytes of each of its storages to the named tensors of a WeightFile.
#pragma once
#include <string_view>
#include <vector>

#include "harness/weights/pickle.h"
#include "harness/weights/torch_file.h"

namespace espbench::weights {

// `storages[i]` holds the bytes of p.storages[i] (at least numel * element size of them). Fills
// file.tensors (and file.meta, file.format for an espbench checkpoint); file.source names the file.
void assemble(const Pickle& p, const std::vector<std::string_view>& storages, WeightFile& file);

// PyTorch's legacy format (legacy.cpp): magic number, protocol and system pickles, the object
// pickle, the storage keys, then each storage as an 8-byte element count and its raw bytes.
void read_legacy(std::string_view bytes, WeightFile& file);

// PyTorch's and LibTorch's zip archive (torch_zip.cpp): DIR/data.pkl and one entry DIR/data/KEY
// per storage.
void read_torch_zip(std::string_view bytes, WeightFile& file);

}  // namespace espbench::weights
