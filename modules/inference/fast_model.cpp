#include "modules/inference/fast_model.h"

#include <fmt/format.h>
#include <torch/nn/modules/container/sequential.h>

#include <sstream>

#include "modules/block_holder.h"
#include "modules/blocks/layers.h"
#include "modules/error.h"
#include "modules/inference/fast_forms.h"
#include "modules/inference/fold_bn.h"
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

Registry<FastFormEntry>& fast_form_registry() {
  static Registry<FastFormEntry> r("fast form");
  return r;
}

Registry<FusedNetworkEntry>& fused_network_registry() {
  static Registry<FusedNetworkEntry> r("fused network");
  return r;
}

namespace {

void copy_state(const torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard no_grad;
  auto dst_p = to.named_parameters();
  for (const auto& kv : from.named_parameters()) dst_p[kv.key()].copy_(kv.value());
  auto dst_b = to.named_buffers();
  for (const auto& kv : from.named_buffers()) dst_b[kv.key()].copy_(kv.value());
}

struct Replaced {
  int blocks = 0, fused = 0, gemm = 0;  // replaced blocks; of those, the ones using fuse / gemm
};

// Replaces every block held by a BlockHolder anywhere in `net` by its registered fast form.
Replaced replace_blocks(Network& net, const FastFormArgs& args) {
  Replaced r;
  for (const auto& m : net.modules())
    if (auto* holder = dynamic_cast<BlockHolder*>(m.get()))
      r.blocks += holder->map_blocks([&](const std::string& name, const torch::nn::AnyModule& block) {
        const FastFormEntry* e = fast_form_registry().find(name);
        if (!e) return torch::nn::AnyModule();
        torch::nn::AnyModule fast = e->build(block, args);
        if (!fast.is_empty()) r.fused += e->uses_fuse, r.gemm += e->uses_gemm;
        return fast;
      });
  return r;
}

void fold_all_bn(Network& net, FastResult& r) {
  int folded = 0;
  for (const auto& m : net.modules())
    if (auto* c = m->as<ConvBNActImpl>(); c && c->bn) {
      fold_bn_in_place(*c);
      ++folded;
    }
  if (folded > 0)
    r.applied.push_back("fold_bn");
  else
    r.skipped["fold_bn"] = "no convolution followed by BatchNorm to fold";
}

void to_channels_last(Network& net, FastResult& r) {
  torch::NoGradGuard no_grad;
  for (auto& p : net.parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  r.channels_last = true;
  r.applied.push_back("channels_last");
}

// The transform proper, on a network whose state is already set; `model` names its registry entry
// ("" when it has none: no fused network form).
FastResult transform(NetworkPtr twin, const FastParts& parts, const std::string& model) {
  FastResult r;
  const auto make_twin = twin->make_twin;
  twin->eval();
  if (parts.fold_bn) fold_all_bn(*twin, r);
  const FastFormArgs args{parts.fuse, parts.gemm};
  Replaced blocks;
  if (parts.eesp_kernel) {
    blocks = replace_blocks(*twin, args);
    if (blocks.blocks > 0)
      r.applied.push_back("eesp_kernel");
    else
      r.skipped["eesp_kernel"] = "no EESP block in this model";
  }
  const FusedNetworkEntry* fused = nullptr;
  if (parts.fuse) {
    fused = model.empty() ? nullptr : fused_network_registry().find(model);
    if (fused) twin = fused->build(*twin, args);
    if (fused || blocks.fused > 0)
      r.applied.push_back("fuse");
    else
      r.skipped["fuse"] = "fused forms exist for the ESPNetv2 skeleton and FastEESP only (not this model)";
  }
  if (parts.gemm) {
    if (blocks.gemm > 0 || (fused && fused->uses_gemm))
      r.applied.push_back("gemm");
    else
      r.skipped["gemm"] =
          "the own 1x1 kernel serves FastEESP (eesp_kernel) and the fused ESPNetv2 (fuse) only";
  }
  if (parts.channels_last && fused && !fused->channels_last_skip.empty())
    r.skipped["channels_last"] = fused->channels_last_skip;
  else if (parts.channels_last)
    to_channels_last(*twin, r);
  if (make_twin)
    twin->make_twin = [make_twin, parts, model] { return transform(make_twin(), parts, model).net; };
  r.net = std::move(twin);
  return r;
}

}  // namespace

FastResult make_fast_from_twin(const Network& plain, NetworkPtr twin, const FastParts& parts,
                               const std::string& model) {
  copy_state(plain, *twin);
  return transform(std::move(twin), parts, model);
}

FastResult make_fast(const ResolvedModel& model, const Network& plain, const FastParts& parts) {
  return make_fast_from_twin(plain, build_model(model), parts, model.entry->name);
}

}  // namespace espbench
