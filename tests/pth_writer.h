// Test-only writers of PyTorch weight files (legacy and zip formats) and of raw pickles, for
// round trips, hostile files (foreign globals) and the fuzz test's seeds (tests/test_weights.cpp).
#pragma once
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace espbench::test {

// Builds a protocol-2 pickle opcode by opcode.
struct PickleWriter {
  std::string bytes;
  PickleWriter& op(char c) {
    bytes += c;
    return *this;
  }
  PickleWriter& proto() { return op('\x80').op('\x02'); }
  PickleWriter& global(const std::string& module, const std::string& name) {
    bytes += "c" + module + "\n" + name + "\n";
    return *this;
  }
  PickleWriter& str(const std::string& s);
  PickleWriter& integer(int64_t v);
  PickleWriter& mark() { return op('('); }
  PickleWriter& tuple() { return op('t'); }
  PickleWriter& stop() { return op('.'); }
};

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// A state-dict pickle (OrderedDict of _rebuild_tensor_v2 records), storages keyed "0", "1", ...;
// legacy persistent ids carry a sixth (None) item. Each tensor has its own storage.
std::string state_dict_pickle(const NamedTensors& tensors, bool legacy);
// Raw little-endian bytes of a tensor's elements (contiguous).
std::string tensor_bytes(const torch::Tensor& t);

// The legacy .pth format around `state_pickle`; storage i (key "i") as its element count and bytes.
using Storage = std::pair<int64_t, std::string>;
std::string legacy_file(const std::string& state_pickle, const std::vector<Storage>& storages);
std::string legacy_pth(const NamedTensors& tensors);

// A zip archive of (name, content) entries, stored or deflated, with correct CRCs.
std::string zip_file(const std::vector<std::pair<std::string, std::string>>& entries, bool deflate = false);
// The zip .pth format around `state_pickle`.
std::string zip_pth_from(const std::string& state_pickle, const std::vector<std::string>& storages,
                         bool deflate = false);
std::string zip_pth(const NamedTensors& tensors, bool deflate = false);

// A model's parameters and buffers by name.
NamedTensors named_state(torch::nn::Module& m);

}  // namespace espbench::test
