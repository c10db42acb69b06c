#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "harness/data/dataset.h"
#include "harness/train/schedule.h"
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
  json sets = json::array(), schedules = json::array();
  for (const auto& name : data::data_set_names()) {
    const auto& e = data::data_set_registry().at(name);
    sets.push_back({{"name", name}, {"description", e.description}, {"options", schema_json(e.options)}});
  }
  for (const auto& name : train::schedule_names())
    schedules.push_back({{"name", name},
                         {"description", train::schedule_registry().at(name).description},
                         {"options", schema_json(train::schedule_option_schema(name))}});
  return {{"models", models}, {"blocks", blocks}, {"data_sets", sets}, {"schedules", schedules}};
}

}  // namespace

void add_list(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "list", "print every registered model, block, data set and lr schedule with its options and defaults");
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
    fmt::print("\nData sets ({}), as --data NAME or the run config's data.name:\n",
               data::data_set_names().size());
    for (const auto& name : data::data_set_names()) {
      const auto& e = data::data_set_registry().at(name);
      fmt::print("  {:<16} {}\n", name, e.description);
      print_schema(e.options);
    }
    fmt::print("\nLearning-rate schedules ({}), as the run config's train.schedule:\n",
               train::schedule_names().size());
    for (const auto& name : train::schedule_names()) {
      fmt::print("  {:<16} {}\n", name, train::schedule_registry().at(name).description);
      print_schema(train::schedule_option_schema(name));
    }
  });
}

}  // namespace espbench::cli
