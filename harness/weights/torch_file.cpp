#include "harness/weights/torch_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "harness/report/atomic_file.h"
#include "harness/weights/assemble.h"
#include "harness/weights/zip.h"
#include "modules/error.h"

namespace espbench::weights {

WeightFile parse_weights(std::string_view bytes, const std::string& source) {
  WeightFile file;
  file.source = source;
  if (bytes.empty()) throw Error(fmt::format("{}: empty file", source));
  if (ZipArchive::looks_like_zip(bytes))
    read_torch_zip(bytes, file);
  else if (static_cast<unsigned char>(bytes[0]) == 0x80)  // a pickle's PROTO opcode
    read_legacy(bytes, file);
  else
    throw Error(fmt::format("{}: not a PyTorch weight file (neither a zip archive nor a pickle)", source));
  return file;
}

WeightFile read_weights(const std::string& path) {
  const std::optional<std::string> bytes = read_file(path);
  if (!bytes) throw Error(fmt::format("cannot read weights '{}': {}", path, std::strerror(errno)));
  return parse_weights(*bytes, path);
}

}  // namespace espbench::weights
