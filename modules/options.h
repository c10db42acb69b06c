// Option schemas: every model and block declares its options (type, default, range, choices, help)
// so that a ModelSpec can be resolved, validated and printed without building anything.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace espbench {

using json = nlohmann::json;

enum class OptionType { Int, Float, Bool, String, IntList, FloatList, Object };

const char* to_string(OptionType t);

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::Int;
  json default_value;                // also the value printed by `espbench list`
  std::string help;                  // one line
  std::vector<std::string> choices;  // for String: the valid values (empty: any)
  std::optional<double> min;         // inclusive bounds for Int/Float and for list elements
  std::optional<double> max;
};

using OptionSchema = std::vector<OptionSpec>;

// Fills defaults, rejects unknown keys (listing the valid ones and the closest match) and checks
// every value's type, range and choices. A given null means the option's default. `where` prefixes messages,
// e.g. "model 'espnetv2'".
json resolve_options(const std::string& where, const OptionSchema& schema, const json& given);

// Parses a `--set key=value` right-hand side: JSON when it parses (numbers, true/false, lists,
// objects), otherwise a plain string.
json parse_option_value(const std::string& text);

// Sets `dotted.key` (e.g. "block_options.hff") in `obj`, creating objects on the way.
void set_dotted(json& obj, const std::string& dotted_key, const json& value);

// Closest candidate by edit distance, or "" when none is reasonably close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean 'HINT'?)" for closest_match(word, candidates), or "" when none is close: the
// suggestion every unknown-name error appends.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
// The same text for a hint found otherwise ("" gives "").
std::string did_you_mean_hint(const std::string& hint);

// The option names of a schema, in its order.
std::vector<std::string> option_names(const OptionSchema& schema);

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

}  // namespace espbench
