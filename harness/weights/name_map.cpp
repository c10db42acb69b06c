#include "harness/weights/name_map.h"

#include <algorithm>

namespace espbench::weights {

namespace {

std::vector<std::string> split(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
    parts.push_back(key.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(key.substr(start));
  return parts;
}

// A pair of components (parent, index) and what espbench calls it.
struct Rename {
  const char* parent;
  const char* index;
  const char* replacement;  // replaces both components
  bool keep_parent;         // inp_reinf.0 -> inp_reinf.cbr keeps "inp_reinf"
};
constexpr Rename kRenames[] = {
    {"inp_reinf", "0", "cbr", true}, {"inp_reinf", "1", "cb", true}, {"cbr", "0", "conv", false},
    {"cbr", "1", "bn", false},       {"cbr", "2", "act", false},     {"br", "0", "bn", false},
    {"br", "1", "act", false},
};

}  // namespace

std::string official_to_espbench(const std::string& key) {
  const std::vector<std::string> parts = split(key);
  std::vector<std::string> out;
  bool changed = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Rename* hit = nullptr;
    if (i + 2 < parts.size())  // the pair must name a module, not the tensor itself
      for (const Rename& r : kRenames)
        if (parts[i] == r.parent && parts[i + 1] == r.index) hit = &r;
    if (!hit) {
      out.push_back(parts[i]);
      continue;
    }
    if (hit->keep_parent) out.push_back(parts[i]);
    out.push_back(hit->replacement);
    changed = true;
    ++i;
  }
  if (!changed) return "";
  std::string joined = out.front();
  for (size_t i = 1; i < out.size(); ++i) joined += "." + out[i];
  return joined;
}

std::vector<std::string> candidate_names(const std::string& key) {
  std::vector<std::string> bases{key};
  for (const char* wrapper : {"module.", "base_net."}) {
    const size_t n = bases.size();
    for (size_t i = 0; i < n; ++i)
      if (bases[i].rfind(wrapper, 0) == 0) bases.push_back(bases[i].substr(std::string(wrapper).size()));
  }
  std::vector<std::string> out;
  for (const auto& b : bases) {
    out.push_back(b);
    if (std::string renamed = official_to_espbench(b); !renamed.empty()) out.push_back(renamed);
  }
  return out;
}

}  // namespace espbench::weights
