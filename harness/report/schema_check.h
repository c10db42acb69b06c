// A small JSON-Schema validator, enough for espbench's own report schemas (report.schema.json) and
// for tests that check real reports against them. Supported keywords: type (a name or a list of
// names: object, array, string, number, integer, boolean, null), required, properties, items (one
// schema for every element), enum, minimum, maximum, anyOf (a list of schemas, at least one of
// which the value must match, e.g. a classification or a segmentation record). Everything else
// ("description", "title", "$schema", "additionalProperties", ...) is ignored, so readers stay free
// to ignore unknown fields.
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
