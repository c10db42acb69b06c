// ESPNetv2 for semantic segmentation, as the official code builds it (EdgeNets
// model/segmentation/espnetv2.py): the ESPNetv2 trunk without level 5 and the classifier (levels
// 1-4, modules/nets/espnetv2.h; any registered block fills levels 3 and 4), then a bottom-up
// decoder. With b = decoder_planes and widths d = [4b, 3b, 2b, num_classes], p = min(num_classes / 2, b):
//   bu_dec_l1     PyramidPool(c3 -> p -> d0) on level 4's output (1/16 resolution)
//   three times, for the encoder levels 3, 2, 1 (i = 2, 3, 4):
//     the decoder map resized bilinearly (corners aligned) to the encoder level's size,
//     + merge_enc_dec_li(encoder level)      MergeUnit(c_{4-i} -> d_{i-2})
//     bu_br_li                               BN + PReLU
//     bu_dec_li                              PyramidPool(d_{i-2} -> p -> d_{i-1}); the last one
//                                            (bu_dec_l4) ends in a biased 1x1 conv: class scores
//   resized bilinearly (corners aligned) to the input size: [N, num_classes, H, W].
// Module names are the official ones without its `base_net.` prefix on the trunk (the official
// CBR's cbr.0/1/2 are conv/bn/act here, BR's br.0/1 bn/act). The official decoder doubles each map's
// size (scale factor 2) where this one resizes to the encoder level's size: the same values wherever
// the official network runs, and defined for inputs whose level sizes are odd, where it fails.
// Never run: the strided EESP branches' output PReLU (espnetv2_seg_never_run).
#pragma once
#include <torch/nn/modules/container/sequential.h>

#include "modules/block_holder.h"
#include "modules/blocks/seg_decoder.h"
#include "modules/blocks/strided_unit.h"
#include "modules/network.h"

namespace espbench {

// The decoder's widths for resolved options: d = [4b, 3b, 2b, num_classes] and the pyramid
// projection p = min(num_classes / 2, b).
struct SegDecoderWidths {
  std::array<int64_t, 4> d{};
  int64_t proj = 0;
};
SegDecoderWidths espnetv2_seg_decoder_widths(const json& resolved_options);

std::vector<std::string> espnetv2_seg_never_run(const json& resolved_options);

// The named layers of the segmentation network for `espbench infer --layer`, in forward order: the
// trunk's level outputs (level1, level2_0, level3, level4), each decoder pyramid unit's output
// (bu_dec_l1 at 1/16 of the input up to bu_dec_l4, the class scores at 1/2) and `output`, the
// scores at the input size.
const std::vector<std::string>& espnetv2_seg_layers();
// The position of `layer` in espnetv2_seg_layers() (0-3 the trunk's levels, 4-7 the decoder units,
// 8 the output); throws espbench::Error naming `network` and the layer when it is none of them.
size_t espnetv2_seg_layer_index(const std::string& layer, const std::string& network);

class ESPNetv2Seg : public Network, public BlockHolder {
 public:
  explicit ESPNetv2Seg(const json& resolved_options);
  torch::Tensor forward(torch::Tensor x) override;
  static Complexity analytic(const json& resolved_options, Shape in);
  int map_blocks(const BlockMap& map) override;

  // The trunk's outputs at levels 1, 2, 3 and 4 (1/2, 1/4, 1/8 and 1/16 of the input).
  std::array<torch::Tensor, 4> encode(const torch::Tensor& x);
  // forward() stopped after `layer`, one of espnetv2_seg_layers().
  torch::Tensor forward_to(torch::Tensor x, const std::string& layer);

  json options;
  ConvBNAct level1{nullptr};
  StridedUnit level2_0{nullptr}, level3_0{nullptr}, level4_0{nullptr};
  torch::nn::Sequential level3{nullptr}, level4{nullptr};
  PyramidPool bu_dec_l1{nullptr}, bu_dec_l2{nullptr}, bu_dec_l3{nullptr}, bu_dec_l4{nullptr};
  MergeUnit merge_enc_dec_l2{nullptr}, merge_enc_dec_l3{nullptr}, merge_enc_dec_l4{nullptr};
  // BN + PReLU as the official Sequential (0 BatchNorm2d, 1 PReLU).
  torch::nn::Sequential bu_br_l2{nullptr}, bu_br_l3{nullptr}, bu_br_l4{nullptr};

 private:
  // The forward pass stopped after layer number `stop` of espnetv2_seg_layers().
  torch::Tensor run_to(const torch::Tensor& x, size_t stop);
};

}  // namespace espbench
