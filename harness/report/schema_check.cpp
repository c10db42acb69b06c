#include "harness/report/schema_check.h"

#include <fmt/format.h>

#include <regex>

#include "modules/error.h"

namespace espbench {

namespace {

bool has_type(const json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer")
    return v.is_number_integer() ||
           (v.is_number_float() &&
            v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())));
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  return false;
}

std::string short_dump(const json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

void check_any_of(const json& alternatives, const json& v, const std::string& path,
                  std::vector<std::string>& errors);

void check(const json& schema, const json& v, const std::string& path, std::vector<std::string>& errors) {
  if (!schema.is_object()) return;
  if (schema.contains("type")) {
    const json& t = schema["type"];
    std::vector<std::string> types;
    if (t.is_string())
      types.push_back(t.get<std::string>());
    else if (t.is_array())
      for (const auto& x : t) types.push_back(x.get<std::string>());
    bool ok = false;
    for (const auto& name : types) ok = ok || has_type(v, name);
    if (!ok) {
      errors.push_back(fmt::format("{}: expected {}, got {}", path, join(types, " or "), short_dump(v)));
      return;
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& e : schema["enum"]) found = found || e == v;
    if (!found)
      errors.push_back(fmt::format("{}: {} is not one of {}", path, short_dump(v), schema["enum"].dump()));
  }
  if (v.is_number()) {
    if (schema.contains("minimum") && v.get<double>() < schema["minimum"].get<double>())
      errors.push_back(
          fmt::format("{}: {} is below the minimum {}", path, v.dump(), schema["minimum"].dump()));
    if (schema.contains("maximum") && v.get<double>() > schema["maximum"].get<double>())
      errors.push_back(
          fmt::format("{}: {} is above the maximum {}", path, v.dump(), schema["maximum"].dump()));
    if (schema.contains("exclusiveMinimum") && v.get<double>() <= schema["exclusiveMinimum"].get<double>())
      errors.push_back(
          fmt::format("{}: {} is not above {}", path, v.dump(), schema["exclusiveMinimum"].dump()));
  }
  if (v.is_string() && schema.contains("pattern")) {
    const auto pattern = schema["pattern"].get<std::string>();
    if (!std::regex_search(v.get<std::string>(), std::regex(pattern, std::regex::ECMAScript)))
      errors.push_back(fmt::format("{}: {} does not match {}", path, short_dump(v), pattern));
  }
  if (v.is_object()) {
    if (schema.contains("required"))
      for (const auto& key : schema["required"])
        if (!v.contains(key.get<std::string>()))
          errors.push_back(fmt::format("{}: missing required key '{}'", path, key.get<std::string>()));
    const json none = json::object();
    const json& props = schema.contains("properties") ? schema["properties"] : none;
    for (const auto& [key, sub] : props.items())
      if (v.contains(key)) check(sub, v[key], path + "." + key, errors);
    if (schema.contains("additionalProperties")) {
      const json& extra = schema["additionalProperties"];
      for (const auto& [key, value] : v.items()) {
        if (props.contains(key)) continue;
        if (extra.is_boolean() && !extra.get<bool>())
          errors.push_back(fmt::format("{}: unexpected key '{}'", path, key));
        else
          check(extra, value, path + "." + key, errors);
      }
    }
  }
  if (v.is_array()) {
    if (schema.contains("minItems") && v.size() < schema["minItems"].get<size_t>())
      errors.push_back(
          fmt::format("{}: {} item(s), expected at least {}", path, v.size(), schema["minItems"].dump()));
    if (schema.contains("items"))
      for (size_t i = 0; i < v.size(); ++i)
        check(schema["items"], v[i], fmt::format("{}[{}]", path, i), errors);
  }
  if (schema.contains("anyOf") && schema["anyOf"].is_array()) check_any_of(schema["anyOf"], v, path, errors);
}

// At least one alternative must hold; otherwise one error quoting each alternative's first one.
void check_any_of(const json& alternatives, const json& v, const std::string& path,
                  std::vector<std::string>& errors) {
  std::vector<std::string> firsts;
  for (const auto& alt : alternatives) {
    std::vector<std::string> e;
    check(alt, v, path, e);
    if (e.empty()) return;
    firsts.push_back(fmt::format("[{}] {}", firsts.size() + 1, e.front()));
  }
  if (!firsts.empty())
    errors.push_back(
        fmt::format("{}: matches none of the alternatives (anyOf): {}", path, join(firsts, " | ")));
}

}  // namespace

std::vector<std::string> schema_errors(const json& schema, const json& value) {
  std::vector<std::string> errors;
  check(schema, value, "$", errors);
  return errors;
}

void check_schema(const json& schema, const json& value, const std::string& what) {
  auto errors = schema_errors(schema, value);
  if (errors.empty()) return;
  if (errors.size() > 5) {
    const size_t more = errors.size() - 5;
    errors.resize(5);
    errors.push_back(fmt::format("and {} more", more));
  }
  throw Error(fmt::format("{} does not match its schema: {}", what, join(errors, "; ")));
}

}  // namespace espbench
