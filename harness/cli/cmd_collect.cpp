// `espbench collect DIR` (collect.json + collect.csv, and claims.json where a manifest has claims) and
// `espbench report DIR` (tables over seeds, then the claims and their verdicts; with --html one page per
// sweep, harness/report/html.h).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/report/claims.h"
#include "harness/report/collect.h"
#include "harness/report/html.h"
#include "harness/report/tables.h"
#include "modules/error.h"

namespace espbench::cli {

void add_collect(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto* cmd =
      app.add_subcommand("collect",
                         "join the reports under a sweep folder (or an output root) into DIR/collect.json "
                         "and DIR/collect.csv, one row per run; works while a sweep runs");
  cmd->add_option("dir", *dir, "a sweep folder (OUT/<sweep>) or an output root holding several")->required();
  cmd->callback([dir] {
    const auto runs = report::find_runs(*dir);
    const json rows = report::make_rows(runs);
    report::write_collect(*dir, rows);
    int64_t finished = 0;
    for (const auto& r : rows) finished += r["status"] == "done";
    std::cout << fmt::format("{} runs ({} done): {}, {}\n", rows.size(), finished,
                             (std::filesystem::path(*dir) / "collect.json").string(),
                             (std::filesystem::path(*dir) / "collect.csv").string());
    for (const auto& f : report::write_sweep_claims(runs, rows)) std::cout << "claims: " << f << "\n";
  });
}

void add_report(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto markdown = std::make_shared<bool>(false);
  auto as_json = std::make_shared<bool>(false);
  auto claims_file = std::make_shared<std::string>();
  auto html = std::make_shared<bool>(false);
  auto no_plot = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "report",
      "print a sweep's results as a table, mean +- std over the seeds of each config, and judge "
      "the claims of its manifest (Welch's t-test over the seeds)");
  cmd->add_option("dir", *dir, "a sweep folder (OUT/<sweep>) or an output root holding several")->required();
  cmd->add_flag("--markdown", *markdown, "print a Markdown table");
  cmd->add_flag("--json", *as_json,
                "print {\"groups\": the grouped rows, \"claims\": the judged claims} as JSON");
  cmd->add_option("--claims", *claims_file,
                  "judge the claims of FILE (a manifest or a list of claims) instead of those in the sweep "
                  "folder's manifest.json");
  cmd->add_flag(
      "--html", *html,
      "write <sweep>/report.html for every sweep under DIR: description, claims, results, plots (redrawn "
      "first) and links to every run's files, in one self-contained page");
  cmd->add_flag("--no-plot", *no_plot,
                "with --html: show the pictures already in plots/ instead of redrawing them");
  cmd->callback([=] {
    if (*no_plot && !*html) throw Error("option --no-plot only applies with --html");
    if (*html) {
      if (*markdown || *as_json || !claims_file->empty())
        throw Error("option --html writes pages; it does not combine with --markdown, --json or --claims");
      for (const auto& p : report::write_html_reports(*dir, {!*no_plot})) {
        std::cout << fmt::format("{}: {}\n", p.sweep, p.path);
        for (const auto& n : p.notes) std::cout << "  " << n << "\n";
      }
      return;
    }
    const auto runs = report::find_runs(*dir);
    const json rows = report::make_rows(runs);
    const json groups = report::group_rows(rows);
    const json claims = report::evaluate_sweeps(runs, rows, *claims_file);
    if (*as_json) {
      std::cout << json{{"groups", groups}, {"claims", claims}}.dump(2) << "\n";
      return;
    }
    std::cout << report::format_table(groups, *markdown);
    if (!claims["claims"].empty()) std::cout << "\n" << report::format_claims(claims, *markdown);
  });
}

}  // namespace espbench::cli
