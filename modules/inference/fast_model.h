// --fast: the inference transform. make_fast() returns a NEW network with the same function as the
// plain one in eval mode (outputs equal within 1e-4 relative; tests/test_latency.cpp); the plain
// network is never modified. Each part is switchable and the result records what was applied:
//   fold_bn        BatchNorm folded into the preceding convolution (every ConvBNAct, any model)
//   eesp_kernel    every EESP (stride 1 and the strided branches) replaced by FastEESP: batched-GEMM
//                  group point-wise convs and one kernel for the K dilated branches + HFF + BN + PReLU
//   fuse           ESPNetv2 skeleton as FastESPNetv2 (every ConvBNAct through oneDNN with in-place
//                  activation, shared image pyramid, strided units' add+PReLU in one pass) and, with
//                  eesp_kernel, FastEESP's bias+residual+PReLU in one pass
//   channels_last  weights and input in NHWC memory format (oneDNN's preferred layout); skipped
//                  where fuse built a FastESPNetv2 (NCHW kernels)
//   gemm           our own grouped 1x1 GEMM kernel (pointwise_kernel.h) instead of oneDNN in
//                  FastEESP (with fuse: bias, residual and PReLU in its epilogue) and in the fused
//                  ESPNetv2's 1x1 convolutions
// Blocks and networks get their fast forms from registries (fast_forms.h), never by type here. The
// result's clone() works (Network::make_twin re-runs the transform on a fresh twin).
// `--fast` alone selects kDefaultFastParts: the parts that measured faster on this machine (README).
#pragma once
#include <string>
#include <vector>

#include "modules/network.h"
#include "modules/options.h"

namespace espbench {

struct ResolvedModel;

struct FastParts {
  bool fold_bn = false, eesp_kernel = false, fuse = false, channels_last = false, gemm = false;
  bool any() const { return fold_bn || eesp_kernel || fuse || channels_last || gemm; }
  std::vector<std::string> names() const;
};

inline const char* kFastPartNames = "fold_bn, eesp_kernel, fuse, channels_last, gemm";
inline const char* kDefaultFastParts = "fold_bn,eesp_kernel,fuse,channels_last,gemm";

// "" or "none" -> nothing; "default" -> kDefaultFastParts; "all"; or a comma list of part names.
// Throws espbench::Error naming `option`, the bad part and the valid ones.
FastParts parse_fast_parts(const std::string& text, const std::string& option = "--fast");

struct FastResult {
  NetworkPtr net;
  json applied = json::array();   // parts that changed something
  json skipped = json::object();  // part -> why it did nothing on this model
  bool channels_last = false;     // feed the input in channels-last format
};

// Builds a copy of `plain` (same resolved spec, parameters and buffers copied) and transforms it.
// The copy is in eval mode.
FastResult make_fast(const ResolvedModel& model, const Network& plain, const FastParts& parts);

// The same for a network that is not in the model registry (a BlockNetwork, say): the caller
// hands a freshly built twin of `plain`, which is overwritten with plain's state and transformed.
// `model` names the twin's model entry, for its fused network form ("": none).
FastResult make_fast_from_twin(const Network& plain, NetworkPtr twin, const FastParts& parts,
                               const std::string& model = "");

}  // namespace espbench
