#include "harness/weights/init.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "harness/report/atomic_file.h"
#include "harness/weights/sha256.h"
#include "harness/weights/torch_file.h"
#include "modules/error.h"

namespace espbench::weights {

namespace {

std::string read_bytes(const std::string& path, const std::string& where) {
  const std::optional<std::string> bytes = read_file(path);
  if (!bytes) throw Error(fmt::format("{}: cannot read weights '{}': {}", where, path, std::strerror(errno)));
  return *bytes;
}

}  // namespace

InitWeights resolve_init(const json& config, const std::string& source) {
  InitWeights init;
  if (!config.contains("init") || config["init"].is_null()) return init;
  const json& s = config["init"];
  if (!s.is_object()) throw Error(fmt::format("{}: init: expected a JSON object, got {}", source, s.dump()));
  for (const auto& [key, value] : s.items()) {
    if (key == "weights" && value.is_string() && !value.get<std::string>().empty()) {
      init.file = value.get<std::string>();
    } else if (key == "allow_missing" && value.is_boolean()) {
      init.allow_missing = value.get<bool>();
    } else if (key == "sha256" && value.is_string()) {
      init.sha256 = value.get<std::string>();
    } else {
      throw Error(fmt::format(
          "{}: init.{}: {} (valid keys: weights, a file name; allow_missing, true/false; sha256, hex digits)",
          source, key,
          key == "weights" || key == "allow_missing" || key == "sha256" ? "bad value " + value.dump()
                                                                        : "unknown key"));
    }
  }
  if (init.file.empty())
    throw Error(fmt::format("{}: init.weights: missing (the weight file to start from)", source));
  const std::string actual = sha256_hex(read_bytes(init.file, source + ": init.weights"));
  if (!init.sha256.empty() && init.sha256 != actual)
    throw Error(fmt::format("{}: init.sha256: '{}' was recorded, but '{}' has SHA-256 {} (the file changed?)",
                            source, init.sha256, init.file, actual));
  init.sha256 = actual;
  return init;
}

json init_json(const InitWeights& init) {
  if (init.empty()) return nullptr;
  return {{"weights", init.file}, {"allow_missing", init.allow_missing}, {"sha256", init.sha256}};
}

LoadReport apply_init(torch::nn::Module& model, const InitWeights& init) {
  const std::string bytes = read_bytes(init.file, "init.weights");
  if (sha256_hex(bytes) != init.sha256)
    throw Error(fmt::format("init.weights: '{}' no longer has the SHA-256 {} its run config recorded",
                            init.file, init.sha256));
  return load_state(model, parse_weights(bytes, init.file), LoadOptions{init.allow_missing});
}

}  // namespace espbench::weights
