#include "modules/block_network.h"

namespace espbench {

std::vector<SkeletonShape> espnetv2_block_shapes() {
  auto shape = [](const char* where, int64_t in, int64_t out, int64_t stride, int64_t r_lim, int64_t size) {
    BlockArgs a;
    a.in_channels = in, a.out_channels = out, a.stride = stride, a.branches = 4, a.r_lim = r_lim;
    return SkeletonShape{where, a, size};
  };
  return {shape("level2_0", 32, 32, 2, 13, 112), shape("level3_0", 64, 64, 2, 11, 56),
          shape("level3", 128, 128, 1, 9, 28),   shape("level4_0", 128, 128, 2, 9, 28),
          shape("level4", 256, 256, 1, 7, 14),   shape("level5_0", 256, 256, 2, 7, 14),
          shape("level5", 512, 512, 1, 5, 7)};
}

}  // namespace espbench
