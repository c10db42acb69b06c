#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "modules/registry.h"

namespace espbench::cli {

namespace {

json schema_json(const OptionSchema& schema) {
  json out = json::array();
  for (const auto& s : schema) {
    json o = {{"name", s.name}, {"type", to_string(s.type)}, {"default", s.default_value}, {"help", s.help}};
    if (!s.choices.empty()) o["choices"] = s.choices;
    if (s.min) o["min"] = *s.min;
    if (s.max) o["max"] = *s.max;
    out.push_back(o);
  }
  return out;
}

void print_schema(const OptionSchema& schema) {
  for (const auto& s : schema) {
    std::string range;
    if (!s.choices.empty())
      range = " {" + join(s.choices, ",") + "}";
    else if (s.min && s.max)
      range = fmt::format(" [{}, {}]", *s.min, *s.max);
    fmt::print("    {:<22} {:<10} = {:<20}{}  {}\n", s.name, to_string(s.type), s.default_value.dump(), range,
               s.help);
  }
}

json list_json() {
  json models = json::array(), blocks = json::array();
  for (const auto& [name, e] : model_registry().all()) {
    json figs = json::array();
    for (const auto& f : e.published)
      figs.push_back({{"label", f.label}, {"options", f.options}, {"source", f.source}});
    models.push_back({{"name", name},
                      {"family", e.family},
                      {"description", e.description},
                      {"options", schema_json(e.schema)},
                      {"published", figs}});
  }
  for (const auto& [name, e] : block_registry().all())
    blocks.push_back({{"name", name}, {"description", e.description}, {"options", schema_json(e.schema)}});
  return {{"models", models}, {"blocks", blocks}};
}

}  // namespace

void add_list(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("list", "print every registered model and block with its options and defaults");
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *as_json, "print JSON");
  cmd->callback([as_json] {
    if (*as_json) {
      std::cout << list_json().dump(2) << "\n";
      return;
    }
    fmt::print("Models ({}):\n", model_registry().all().size());
    for (const auto& [name, e] : model_registry().all()) {
      fmt::print("  {:<16} {}\n", name, e.description);
      print_schema(e.schema);
    }
    fmt::print("\nBlocks ({}), usable as espnetv2 --set block=NAME:\n", block_registry().all().size());
    for (const auto& [name, e] : block_registry().all()) {
      fmt::print("  {:<20} {}\n", name, e.description);
      print_schema(e.schema);
    }
  });
}

}  // namespace espbench::cli
