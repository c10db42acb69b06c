// espbench's one user-facing error type: a message that names the input, the bad value and what
// would be valid. The CLI prints it as one line and exits non-zero; it never carries a backtrace.
#pragma once
#include <stdexcept>
#include <string>

namespace espbench {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace espbench
