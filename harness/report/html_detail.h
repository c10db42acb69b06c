// The parts of a sweep's page (html.h), each a function of the sweep's data returning HTML.
#pragma once
#include <string>
#include <vector>

#include "harness/plot/configs.h"
#include "harness/report/collect.h"
#include "modules/options.h"

namespace espbench::report::html {

struct Sweep {
  std::string name, dir;  // the sweep folder (the page's folder)
  std::vector<RunRecord> runs;
  json rows, groups, manifest;  // manifest: null when the folder has none
  plot::SweepConfigs configs;
  json claims;                     // evaluate_sweeps' document, null when not judged
  std::string claims_error;        // why the claims could not be judged
  std::vector<std::string> notes;  // notices shown at the top
};

std::string head(const Sweep& s);     // description, budget, machine
std::string notices(const Sweep& s);  // what is missing
std::string claims_section(const Sweep& s);
std::string results_section(const Sweep& s);
std::string plots_section(const Sweep& s);
std::string runs_section(const Sweep& s);

// Helpers shared by the sections.
std::string esc(const std::string& text);
std::string fixed(const json& v, int decimals);  // "-" for null
std::string si(const json& v);                   // 1.23M, "-" for null
std::string link(const std::string& href, const std::string& text);

}  // namespace espbench::report::html
