// SHA-256 (FIPS 180-4) of a byte string, as 64 lower-case hex digits: identifies a weight file in a
// run config (harness/weights/init.h) independently of where the file lives.
#pragma once
#include <string>
#include <string_view>

namespace espbench::weights {

std::string sha256_hex(std::string_view data);

}  // namespace espbench::weights
