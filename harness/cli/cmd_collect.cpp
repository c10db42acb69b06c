// `espbench collect DIR` (collect.json + collect.csv) and `espbench report DIR` (tables over seeds).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/report/collect.h"
#include "harness/report/tables.h"

namespace espbench::cli {

void add_collect(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("collect",
                                 "join the reports under a sweep folder (or an output root) into DIR/collect.json "
                                 "and DIR/collect.csv, one row per run; works while a sweep runs");
  cmd->add_option("dir", *dir, "a sweep folder (OUT/<sweep>) or an output root holding several")->required();
  cmd->callback([dir] {
    const json rows = report::make_rows(report::find_runs(*dir));
    report::write_collect(*dir, rows);
    int64_t finished = 0;
    for (const auto& r : rows) finished += r["status"] == "done";
    std::cout << fmt::format("{} runs ({} done): {}, {}\n", rows.size(), finished,
                             (std::filesystem::path(*dir) / "collect.json").string(),
                             (std::filesystem::path(*dir) / "collect.csv").string());
  });
}

void add_report(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto markdown = std::make_shared<bool>(false);
  auto as_json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("report",
                                 "print a sweep's results as a table, mean +- std over the seeds of each config");
  cmd->add_option("dir", *dir, "a sweep folder (OUT/<sweep>) or an output root holding several")->required();
  cmd->add_flag("--markdown", *markdown, "print a Markdown table");
  cmd->add_flag("--json", *as_json, "print the grouped rows as JSON");
  cmd->callback([=] {
    const json groups = report::group_rows(report::make_rows(report::find_runs(*dir)));
    if (*as_json)
      std::cout << groups.dump(2) << "\n";
    else
      std::cout << report::format_table(groups, *markdown);
  });
}

}  // namespace espbench::cli
