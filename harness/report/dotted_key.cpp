// Dotted config keys (dotted_key.h).
#include "harness/report/dotted_key.h"

#include <vector>

#include "modules/options.h"

namespace espbench::report {

namespace {

// Calls visit(segment) for each '.'-separated segment of `key` until it returns false.
template <typename Visit>
void for_each_segment(const std::string& key, Visit visit) {
  size_t start = 0;
  while (true) {
    const size_t dot = key.find('.', start);
    if (!visit(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start))) return;
    if (dot == std::string::npos) return;
    start = dot + 1;
  }
}

void add_keys(const json& j, const std::string& prefix, std::set<std::string>& out) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    const std::string key = prefix.empty() ? k : prefix + "." + k;
    out.insert(key);
    add_keys(v, key, out);
  }
}

}  // namespace

bool is_dotted_key(const std::string& key) {
  return !key.empty() && key.front() != '.' && key.back() != '.' && key.find("..") == std::string::npos;
}

const json* at_dotted(const json& j, const std::string& key) {
  const json* cur = &j;
  for_each_segment(key, [&](const std::string& part) {
    cur = cur && cur->is_object() && cur->contains(part) ? &(*cur)[part] : nullptr;
    return cur != nullptr;
  });
  return cur;
}

std::string closest_dotted(const json& j, const std::string& key) {
  const json* cur = &j;
  std::string done;
  for_each_segment(key, [&](std::string part) {
    if (!cur || !cur->is_object()) {
      cur = nullptr;
      return false;
    }
    if (!cur->contains(part)) {
      std::vector<std::string> names;
      for (const auto& [k, _] : cur->items()) names.push_back(k);
      part = closest_match(part, names);
      if (part.empty()) {
        cur = nullptr;
        return false;
      }
    }
    done += (done.empty() ? "" : ".") + part;
    cur = &(*cur)[part];
    return true;
  });
  return cur ? done : "";
}

void add_dotted_keys(const json& j, std::set<std::string>& out) { add_keys(j, "", out); }

}  // namespace espbench::report
