#include "modules/blocks/dilations.h"

#include <algorithm>

namespace espbench {

std::vector<int64_t> eesp_dilations(int64_t branches, int64_t r_lim) {
  std::vector<int64_t> sizes;
  for (int64_t i = 0; i < branches; ++i) {
    int64_t size = 3 + 2 * i;
    sizes.push_back(size <= r_lim ? size : 3);
  }
  std::sort(sizes.begin(), sizes.end());
  std::vector<int64_t> d;
  for (int64_t s : sizes) d.push_back((s - 1) / 2);
  return d;
}

std::vector<int64_t> esp_dilations(int64_t branches) {
  std::vector<int64_t> d;
  for (int64_t k = 0; k < branches; ++k) d.push_back(int64_t{1} << k);
  return d;
}

}  // namespace espbench
