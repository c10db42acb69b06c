#include "modules/kernels/small_conv.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

#include "modules/kernels/small_conv_isa.h"

namespace espbench::kernels {

IsaTable<SmallConvLoops> small_conv_loops("small_conv3x3");

namespace {

SmallConvLayout layout(const SmallConvArgs& a) {
  SmallConvLayout l{};
  l.hp = a.h + 2;
  l.wp = a.w + 2;
  l.oh = (a.h - 1) / a.stride + 1;
  l.ow = (a.w - 1) / a.stride + 1;
  if (a.stride == 1) {
    l.hq = l.hp;
    l.ws = l.wp;
    l.plane = l.hp * l.wp;
    l.per_channel = l.plane;
  } else {
    l.hq = (l.hp + 1) / 2;
    l.ws = (l.wp + 1) / 2;
    l.plane = l.hq * l.ws;
    l.per_channel = 4 * l.plane;
  }
  l.len = l.oh * l.ws;
  return l;
}

constexpr int64_t kBlock = 8;  // output channels per task (as small_conv_isa.cpp's)

}  // namespace

void small_conv3x3(const SmallConvArgs& a) {
  const SmallConvLayout l = layout(a);
  const SmallConvLoops& loops = small_conv_loops.get();
  // Reads run up to one tile (32 floats) past the flat output length plus the largest tap offset.
  const int64_t slack = 2 * l.ws + 96;
  thread_local std::vector<float> buffer;  // reused: no page faults for a fresh buffer per call
  buffer.assign(static_cast<size_t>(a.batch * a.in_channels * l.per_channel + slack), 0.f);
  float* planes = buffer.data();  // the workers see this thread's buffer through the pointer
  at::parallel_for(0, a.batch * a.in_channels, 1,
                   [&](int64_t begin, int64_t end) { loops.fill_range(a, l, planes, begin, end); });
  const int64_t blocks = (a.out_channels + kBlock - 1) / kBlock;
  const int64_t work = 9 * a.in_channels * kBlock * l.len;
  const int64_t grain = std::max<int64_t>(1, 65536 / std::max<int64_t>(1, work));
  at::parallel_for(0, a.batch * blocks, grain,
                   [&](int64_t begin, int64_t end) { loops.blocks_range(a, l, planes, begin, end); });
}

}  // namespace espbench::kernels
