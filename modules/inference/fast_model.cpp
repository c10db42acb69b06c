#include "modules/inference/fast_model.h"

#include <fmt/format.h>
#include <torch/nn/modules/container/sequential.h>

#include <sstream>

#include "modules/block_network.h"
#include "modules/blocks/eesp.h"
#include "modules/blocks/strided_unit.h"
#include "modules/error.h"
#include "modules/inference/fast_eesp.h"
#include "modules/inference/fast_espnetv2.h"
#include "modules/inference/fold_bn.h"
#include "modules/nets/espnetv2.h"
#include "modules/registry.h"

namespace espbench {

std::vector<std::string> FastParts::names() const {
  std::vector<std::string> out;
  if (fold_bn) out.push_back("fold_bn");
  if (eesp_kernel) out.push_back("eesp_kernel");
  if (fuse) out.push_back("fuse");
  if (channels_last) out.push_back("channels_last");
  if (gemm) out.push_back("gemm");
  return out;
}

FastParts parse_fast_parts(const std::string& text, const std::string& option) {
  FastParts p;
  if (text.empty() || text == "none") return p;
  if (text == "default") return parse_fast_parts(kDefaultFastParts, option);
  if (text == "all") return parse_fast_parts("fold_bn,eesp_kernel,fuse,channels_last,gemm", option);
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (part == "fold_bn")
      p.fold_bn = true;
    else if (part == "eesp_kernel")
      p.eesp_kernel = true;
    else if (part == "fuse")
      p.fuse = true;
    else if (part == "channels_last")
      p.channels_last = true;
    else if (part == "gemm")
      p.gemm = true;
    else
      throw Error(fmt::format("option {}: unknown part '{}' in '{}'; valid: {} (or default, all, none)",
                              option, part, text, kFastPartNames));
  }
  return p;
}

namespace {

void copy_state(const torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  auto dst_p = to.named_parameters();
  for (const auto& kv : from.named_parameters()) dst_p[kv.key()].copy_(kv.value());
  auto dst_b = to.named_buffers();
  for (const auto& kv : from.named_buffers()) dst_b[kv.key()].copy_(kv.value());
}

// A copy of `seq` with every EESP replaced by a FastEESP (same order, other modules shared).
torch::nn::Sequential with_fast_eesp(const torch::nn::Sequential& seq, bool fuse, bool gemm, int& replaced) {
  torch::nn::Sequential fresh;
  for (const auto& any : *seq) {
    if (auto* e = any.ptr()->as<EESPImpl>()) {
      fresh->push_back(FastEESP(*e, fuse, gemm));
      ++replaced;
    } else {
      fresh->push_back(any);
    }
  }
  return fresh;
}

// Replaces every EESP in the ESPNetv2 levels and in every StridedUnit's branch; returns how many.
int replace_eesp(Network& net, bool fuse, bool gemm) {
  int replaced = 0;
  for (const auto& m : net.modules())
    if (auto* unit = m->as<StridedUnitImpl>())
      if (auto* e = unit->eesp.ptr()->as<EESPImpl>()) {
        FastEESP f(*e, fuse, gemm);
        unit->eesp = torch::nn::AnyModule(f);
        unit->replace_module("eesp", f.ptr());
        ++replaced;
      }
  if (auto* single = dynamic_cast<BlockNetwork*>(&net))
    if (auto* e = single->block().ptr()->as<EESPImpl>()) {
      single->replace_block(torch::nn::AnyModule(FastEESP(*e, fuse, gemm)));
      ++replaced;
    }
  if (auto* esp = dynamic_cast<ESPNetv2*>(&net)) {
    esp->level3 = esp->replace_module("level3", with_fast_eesp(esp->level3, fuse, gemm, replaced));
    esp->level4 = esp->replace_module("level4", with_fast_eesp(esp->level4, fuse, gemm, replaced));
    esp->level5 = esp->replace_module("level5", with_fast_eesp(esp->level5, fuse, gemm, replaced));
  }
  return replaced;
}

}  // namespace

FastResult make_fast_from_twin(const Network& plain, NetworkPtr twin, const FastParts& parts) {
  FastResult r;
  copy_state(plain, *twin);
  twin->eval();
  if (parts.fold_bn) {
    int folded = 0;
    for (const auto& m : twin->modules())
      if (auto* c = m->as<ConvBNActImpl>(); c && c->bn) {
        fold_bn_in_place(*c);
        ++folded;
      }
    if (folded > 0)
      r.applied.push_back("fold_bn");
    else
      r.skipped["fold_bn"] = "no convolution followed by BatchNorm to fold";
  }
  int fused_eesp = 0;
  if (parts.eesp_kernel) {
    fused_eesp = replace_eesp(*twin, parts.fuse, parts.gemm);
    if (fused_eesp > 0)
      r.applied.push_back("eesp_kernel");
    else
      r.skipped["eesp_kernel"] = "no EESP block in this model";
  }
  if (parts.fuse) {
    auto* esp = dynamic_cast<ESPNetv2*>(twin.get());
    if (esp) twin = std::make_shared<FastESPNetv2>(*esp, parts.gemm);
    if (esp || fused_eesp > 0)
      r.applied.push_back("fuse");
    else
      r.skipped["fuse"] = "fused forms exist for the ESPNetv2 skeleton and FastEESP only (not this model)";
  }
  if (parts.gemm) {
    if (fused_eesp > 0 || dynamic_cast<FastESPNetv2*>(twin.get()))
      r.applied.push_back("gemm");
    else
      r.skipped["gemm"] =
          "the own 1x1 kernel serves FastEESP (eesp_kernel) and the fused ESPNetv2 (fuse) only";
  }
  if (parts.channels_last && dynamic_cast<FastESPNetv2*>(twin.get())) {
    r.skipped["channels_last"] = "the fused ESPNetv2 path (fuse) runs NCHW kernels throughout";
  } else if (parts.channels_last) {
    torch::NoGradGuard no_grad;
    for (auto& p : twin->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    r.channels_last = true;
    r.applied.push_back("channels_last");
  }
  r.net = std::move(twin);
  return r;
}

FastResult make_fast(const ResolvedModel& model, const Network& plain, const FastParts& parts) {
  return make_fast_from_twin(plain, build_model(model), parts);
}

}  // namespace espbench
