// The loops of the small-input 3x3 convolution (small_conv.h), one build per instruction set
// (small_conv_isa.cpp). Plain data and declarations only: every build includes this header.
#pragma once
#include <cstdint>

#include "modules/kernels/dispatch.h"
#include "modules/kernels/small_conv.h"

namespace espbench::kernels {

// Padded planes of one image: stride 1 one plane per channel ((h+2) x (w+2), row stride ws);
// stride 2 four phase planes per channel (row parity x column parity, ceil((h+2)/2) x ws).
// plane: floats per (phase) plane; len: the flat output length (oh rows of ws).
struct SmallConvLayout {
  int64_t hp, wp, hq, ws, plane, per_channel, oh, ow, len;
};

struct SmallConvLoops {
  // Channels [begin, end) of the batch (t = image * in_channels + channel) into their zeroed
  // padded planes at planes + t * per_channel.
  void (*fill_range)(const SmallConvArgs& a, const SmallConvLayout& l, float* planes, int64_t begin,
                     int64_t end);
  // Output blocks [begin, end) (t = image * blocks + block of 8 output channels).
  void (*blocks_range)(const SmallConvArgs& a, const SmallConvLayout& l, const float* planes, int64_t begin,
                       int64_t end);
};

extern IsaTable<SmallConvLoops> small_conv_loops;

}  // namespace espbench::kernels
