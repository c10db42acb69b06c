// Dilation rules of the ESP family.
#pragma once
#include <cstdint>
#include <vector>

namespace espbench {

// ESPNetv2 (paper Sec. 3.2; official EESP in nn_layers/eesp.py): branch i gets kernel size 3+2i, replaced by
// 3 above r_lim; sorted; dilation = (size-1)/2. K=4: r_lim>=9 -> 1,2,3,4; 7 -> 1,1,2,3; 5 -> 1,1,1,2; 3 ->
// 1,1,1,1.
std::vector<int64_t> eesp_dilations(int64_t branches, int64_t r_lim);

// ESPNet (Mehta et al. ECCV 2018, Sec. 3.1): dilation 2^(k-1) for branch k = 1..K.
std::vector<int64_t> esp_dilations(int64_t branches);

}  // namespace espbench
