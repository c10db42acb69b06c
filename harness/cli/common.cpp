#include <fmt/format.h>

#include "harness/cli/commands.h"
#include "harness/runtime/runtime.h"
#include "modules/error.h"

namespace espbench::cli {

void add_model_flags(CLI::App& cmd, ModelFlags& f) {
  cmd.add_option("model", f.model, "registered model name (see `espbench list`)")->required();
  cmd.add_option("--set", f.sets, "model option key=value (repeatable; dotted keys nest, e.g. block_options.hff=false)");
}

json options_from_sets(const std::vector<std::string>& sets) {
  json o = json::object();
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(fmt::format("option --set: '{}' is not key=value (e.g. --set scale=0.5)", s));
    set_dotted(o, s.substr(0, eq), parse_option_value(s.substr(eq + 1)));
  }
  return o;
}

void add_runtime_flags(CLI::App& cmd, RuntimeFlags& f) {
  cmd.add_option("--threads", f.threads, "intra-op threads (default: all cores)")->envname("ESPBENCH_THREADS");
  cmd.add_option("--device", f.device, "cpu, cuda or cuda:N")->envname("ESPBENCH_DEVICE");
}

std::string apply_runtime(const RuntimeFlags& f) {
  set_threads(f.threads == -1 ? default_threads() : f.threads, "--threads");
  return check_device(f.device, "--device");
}

std::string with_commas(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return (v < 0 ? "-" : "") + s;
}

}  // namespace espbench::cli
