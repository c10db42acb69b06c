#include <fmt/format.h>

#include "harness/cli/commands.h"
#include "harness/data/dataset.h"
#include "harness/runtime/runtime.h"
#include "modules/error.h"

namespace espbench::cli {

void add_model_flags(CLI::App& cmd, ModelFlags& f) {
  cmd.add_option("model", f.model, "registered model name (see `espbench list`)")->required();
  cmd.add_option("--set", f.sets,
                 "model option key=value (repeatable; dotted keys nest, e.g. block_options.hff=false)");
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
  cmd.add_option("--threads", f.threads, "intra-op threads (default: all cores)")
      ->envname("ESPBENCH_THREADS");
  cmd.add_option("--device", f.device, "cpu, cuda or cuda:N")->envname("ESPBENCH_DEVICE");
}

std::string apply_runtime(const RuntimeFlags& f) {
  set_threads(f.threads == -1 ? default_threads() : f.threads, "--threads");
  return check_device(f.device, "--device");
}

void add_loop_flags(CLI::App& cmd, LoopFlags& f) {
  cmd.add_option("--data", f.data, "data set name (" + join(data::data_set_names()) + ") or folder");
  cmd.add_option("--data-root", f.data_root, "folder holding the data set's files");
  cmd.add_option("--data-option", f.data_options,
                 "data option key=value (repeatable), e.g. seg_size=[512,256] (`espbench list` shows each "
                 "set's options)");
  cmd.add_option("--batch-size", f.batch_size, "training batch size (default 128)");
  cmd.add_option("--workers", f.workers, "data-loader threads (default 1)");
  cmd.add_option("--lr", f.lr,
                 "learning rate (cyclic: the cycle minimum; default: 0.1 at batch 512 scaled linearly to the "
                 "batch size)");
  cmd.add_option("--seed", f.seed, "random seed (default 1882)");
}

namespace {
bool given(const CLI::App& cmd, const char* name) { return cmd.get_option(name)->count() > 0; }
}  // namespace

bool apply_loop_flags(const CLI::App& cmd, const LoopFlags& f, json& j) {
  bool any = false;
  auto put = [&](const char* flag, const char* key, const json& v) {
    if (!given(cmd, flag)) return;
    set_dotted(j, key, v);
    any = true;
  };
  put("--data", "data.name", f.data);
  put("--data-root", "data.root", f.data_root);
  for (const auto& kv : f.data_options) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(fmt::format("option --data-option: expected key=value, got '{}'", kv));
    set_dotted(j, "data." + kv.substr(0, eq), parse_option_value(kv.substr(eq + 1)));
    any = true;
  }
  put("--batch-size", "train.batch_size", f.batch_size);
  put("--workers", "train.workers", f.workers);
  put("--lr", "train.lr", f.lr);
  put("--seed", "runtime.seed", f.seed);
  return any;
}

bool apply_runtime_flags(const CLI::App& cmd, const RuntimeFlags& f, json& j) {
  bool any = false;
  if (given(cmd, "--threads")) {
    if (f.threads < 1)
      throw Error(fmt::format("option --threads: thread count must be >= 1, got {}", f.threads));
    set_dotted(j, "runtime.threads", f.threads);
    any = true;
  }
  if (given(cmd, "--device")) {
    set_dotted(j, "runtime.device", f.device);
    any = true;
  }
  return any;
}

std::string with_commas(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return (v < 0 ? "-" : "") + s;
}

}  // namespace espbench::cli
