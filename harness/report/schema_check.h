// A small JSON-Schema validator, enough for espbench's own report schemas (report.schema.json) and
// for tests that check real reports against them. Supported keywords: type (a name or a list of
// names: object, array, string, number, integer, boolean, null), required, properties,
// additionalProperties (false: no other keys; a schema: every other key's value), items (one
// schema for every element), minItems, enum, minimum, exclusiveMinimum, maximum, pattern (an
// ECMAScript regular expression searched in a string), anyOf (a list of schemas, at least one of
// which the value must match, e.g. a classification or a segmentation record). Everything else
// ("description", "title", "$schema", ...) is ignored; an object without additionalProperties may
// hold any other key, so readers stay free to ignore unknown fields.
#pragma once
#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench {

// Every violation as "PATH: message", e.g. "$.epochs[2].test_top1: 104.5 is above the maximum 100";
// empty when `value` conforms.
std::vector<std::string> schema_errors(const json& schema, const json& value);

// Throws espbench::Error "WHAT does not match its schema: <first violations>" unless `value` conforms.
void check_schema(const json& schema, const json& value, const std::string& what);

}  // namespace espbench
