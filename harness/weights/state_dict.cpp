#include "harness/weights/state_dict.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <map>

#include "harness/weights/name_map.h"
#include "harness/weights/pickle.h"
#include "modules/error.h"

namespace espbench::weights {

std::string group_names(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, int64_t>> groups;  // first component, count; in order
  for (const auto& n : names) {
    const std::string head = n.substr(0, n.find('.'));
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == head; });
    if (it == groups.end())
      groups.emplace_back(head, 1);
    else
      ++it->second;
  }
  std::vector<std::string> parts;
  for (const auto& [head, count] : groups) parts.push_back(fmt::format("{} ({})", printable(head), count));
  return join(parts);
}

json LoadReport::to_json() const {
  json m = json::object();
  for (const auto& [from, to] : mapped) m[from] = to;
  return {{"file", file},       {"format", format},         {"loaded", loaded},
          {"missing", missing}, {"unexpected", unexpected}, {"mapped", m}};
}

std::string LoadReport::summary() const {
  std::string s = fmt::format("weights: {} tensors from {} ({})", loaded, file, format);
  s += missing.empty() ? "; none missing"
                       : fmt::format("; missing {}: {}", missing.size(), group_names(missing));
  if (!unexpected.empty()) s += fmt::format("; not used {}: {}", unexpected.size(), group_names(unexpected));
  return s;
}

namespace {

std::string shape(const torch::Tensor& t) { return fmt::format("[{}]", fmt::join(t.sizes(), ",")); }

// Model key -> tensor, parameters and buffers.
std::map<std::string, torch::Tensor> model_state(torch::nn::Module& model, std::vector<std::string>& order) {
  std::map<std::string, torch::Tensor> state;
  for (const auto& p : model.named_parameters(true)) {
    state[p.key()] = p.value();
    order.push_back(p.key());
  }
  for (const auto& b : model.named_buffers(true)) {
    state[b.key()] = b.value();
    order.push_back(b.key());
  }
  return state;
}

void check_fit(const std::string& source, const std::string& key, const std::string& model_key,
               const torch::Tensor& from, const torch::Tensor& to) {
  const std::string where = key == model_key ? "" : fmt::format(" (model key '{}')", model_key);
  if (!from.sizes().equals(to.sizes()))
    throw Error(fmt::format("{}: key '{}'{}: shape {} does not match the model's {}{}", source,
                            printable(key), where, shape(from), shape(to),
                            from.dim() == to.dim() ? " (weights of another scale?)" : ""));
  if (from.is_floating_point() && !to.is_floating_point())
    throw Error(fmt::format("{}: key '{}'{}: holds {} where the model keeps {}", source, printable(key),
                            where, c10::toString(from.scalar_type()), c10::toString(to.scalar_type())));
}

std::string first_of(const std::vector<std::string>& v) { return v.empty() ? "" : printable(v.front()); }

}  // namespace

LoadReport load_state(torch::nn::Module& model, const WeightFile& file, const LoadOptions& options) {
  LoadReport r;
  r.file = file.source;
  r.format = file.format;
  std::vector<std::string> order;
  std::map<std::string, torch::Tensor> state = model_state(model, order);
  std::map<std::string, std::string> claimed;  // model key -> file key
  std::vector<std::pair<const torch::Tensor*, torch::Tensor>> copies;
  for (const auto& [key, tensor] : file.tensors) {
    std::string target;
    for (const auto& c : candidate_names(key))
      if (state.count(c)) {
        target = c;
        break;
      }
    if (target.empty()) {
      r.unexpected.push_back(key);
      continue;
    }
    if (auto [it, fresh] = claimed.emplace(target, key); !fresh)
      throw Error(fmt::format("{}: keys '{}' and '{}' both name the model's '{}'", file.source,
                              printable(it->second), printable(key), target));
    check_fit(file.source, key, target, tensor, state[target]);
    if (target != key) r.mapped.emplace_back(key, target);
    copies.emplace_back(&tensor, state[target]);
  }
  for (const auto& k : order)
    if (!claimed.count(k)) r.missing.push_back(k);
  if (!options.allow_missing && (!r.missing.empty() || !r.unexpected.empty())) {
    std::vector<std::string> what;
    if (!r.missing.empty())
      what.push_back(fmt::format("{} model keys are missing from the file (first '{}'; {})", r.missing.size(),
                                 first_of(r.missing), group_names(r.missing)));
    if (!r.unexpected.empty())
      what.push_back(fmt::format("{} file keys are not in the model (first '{}'; {})", r.unexpected.size(),
                                 first_of(r.unexpected), group_names(r.unexpected)));
    throw Error(fmt::format("{}: {}: weights of another model? --allow-missing loads the part that matches",
                            file.source, join(what, " and ")));
  }
  if (copies.empty())
    throw Error(
        fmt::format("{}: no key of the file names a parameter or buffer of the model (first file key '{}')",
                    file.source, first_of(r.unexpected)));
  torch::NoGradGuard no_grad;
  for (auto& [from, to] : copies) to.copy_(*from);
  r.loaded = static_cast<int64_t>(copies.size());
  return r;
}

LoadReport load_weights(torch::nn::Module& model, const std::string& path, const LoadOptions& options) {
  return load_state(model, read_weights(path), options);
}

LoadReport check_weights(const ModelSpec& spec, const std::string& path, const LoadOptions& options) {
  NetworkPtr net = build_model(resolve_model(spec));
  return load_weights(*net, path, options);
}

}  // namespace espbench::weights
