#include "modules/options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "modules/error.h"

namespace espbench {

const char* to_string(OptionType t) {
  switch (t) {
    case OptionType::Int:
      return "int";
    case OptionType::Float:
      return "float";
    case OptionType::Bool:
      return "bool";
    case OptionType::String:
      return "string";
    case OptionType::IntList:
      return "int list";
    case OptionType::FloatList:
      return "float list";
    case OptionType::Object:
      return "object";
  }
  return "?";
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

std::string did_you_mean_hint(const std::string& hint) {
  return hint.empty() ? "" : " (did you mean '" + hint + "'?)";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  return did_you_mean_hint(closest_match(word, candidates));
}

std::vector<std::string> option_names(const OptionSchema& schema) {
  std::vector<std::string> names;
  for (const auto& s : schema) names.push_back(s.name);
  return names;
}

static std::string describe_valid(const OptionSpec& s) {
  std::string valid = to_string(s.type);
  if (!s.choices.empty()) valid = "one of " + join(s.choices);
  if (s.min && s.max)
    valid += fmt::format(" in [{}, {}]", *s.min, *s.max);
  else if (s.min)
    valid += fmt::format(" >= {}", *s.min);
  else if (s.max)
    valid += fmt::format(" <= {}", *s.max);
  return valid;
}

static bool check_number(const json& v, bool integral, const OptionSpec& s) {
  if (!v.is_number()) return false;
  if (integral && !v.is_number_integer()) {
    // Accept 3.0 for an int, reject 3.5.
    double d = v.get<double>();
    if (std::floor(d) != d) return false;
  }
  double d = v.get<double>();
  if (s.min && d < *s.min) return false;
  if (s.max && d > *s.max) return false;
  return true;
}

static json check_value(const std::string& where, const OptionSpec& s, const json& v) {
  auto bad = [&]() {
    return Error(fmt::format("{}: invalid value {} for option '{}': expected {}", where, v.dump(), s.name,
                             describe_valid(s)));
  };
  switch (s.type) {
    case OptionType::Int:
      if (!check_number(v, true, s)) throw bad();
      return json(static_cast<int64_t>(v.get<double>()));
    case OptionType::Float:
      if (!check_number(v, false, s)) throw bad();
      return json(v.get<double>());
    case OptionType::Bool:
      if (v.is_boolean()) return v;
      if (v.is_string() && (v == "on" || v == "off")) return json(v == "on");
      throw bad();
    case OptionType::String:
      if (!v.is_string()) throw bad();
      if (!s.choices.empty() &&
          std::find(s.choices.begin(), s.choices.end(), v.get<std::string>()) == s.choices.end())
        throw bad();
      return v;
    case OptionType::IntList:
    case OptionType::FloatList: {
      if (!v.is_array() || v.empty()) throw bad();
      json out = json::array();
      for (const auto& e : v) {
        if (!check_number(e, s.type == OptionType::IntList, s)) throw bad();
        out.push_back(s.type == OptionType::IntList ? json(static_cast<int64_t>(e.get<double>()))
                                                    : json(e.get<double>()));
      }
      return out;
    }
    case OptionType::Object:
      if (!v.is_object()) throw bad();
      return v;
  }
  throw bad();
}

json resolve_options(const std::string& where, const OptionSchema& schema, const json& given) {
  if (!given.is_null() && !given.is_object())
    throw Error(fmt::format("{}: options must be a JSON object, got {}", where, given.dump()));
  const std::vector<std::string> names = option_names(schema);
  json out = json::object();
  if (given.is_object()) {
    for (const auto& [key, value] : given.items()) {
      auto it =
          std::find_if(schema.begin(), schema.end(), [&](const OptionSpec& s) { return s.name == key; });
      if (it == schema.end()) {
        throw Error(fmt::format("{}: unknown option '{}'{}; valid options: {}", where, key,
                                did_you_mean(key, names), names.empty() ? "(none)" : join(names)));
      }
      // null stands for the default (a JSON merge patch's way of unsetting a key).
      if (!value.is_null()) out[key] = check_value(where, *it, value);
    }
  }
  for (const auto& s : schema)
    if (!out.contains(s.name)) out[s.name] = s.default_value;
  return out;
}

json parse_option_value(const std::string& text) {
  json v = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (v.is_discarded()) return json(text);
  return v;
}

void set_dotted(json& obj, const std::string& dotted_key, const json& value) {
  if (dotted_key.empty()) throw Error("empty option key in --set (expected key=value)");
  json* cur = &obj;
  size_t start = 0;
  while (true) {
    size_t dot = dotted_key.find('.', start);
    std::string part = dotted_key.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty()) throw Error(fmt::format("malformed option key '{}'", dotted_key));
    if (!cur->is_object()) *cur = json::object();
    if (dot == std::string::npos) {
      (*cur)[part] = value;
      return;
    }
    cur = &(*cur)[part];
    start = dot + 1;
  }
}

}  // namespace espbench
