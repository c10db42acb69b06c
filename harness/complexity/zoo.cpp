#include "harness/complexity/zoo.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "harness/complexity/measure.h"
#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "modules/registry.h"

namespace espbench {

namespace {
std::string slug(const std::string& s) {
  std::string out;
  for (char ch : s) out += std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' ? ch : '_';
  return out;
}
}  // namespace

json measure_zoo(const ZooRequest& req) {
  json rows = json::array();
  std::string csv =
      "model,config,input,params,params_unused,conv_macs,linear_macs,elementwise_ops,published_params,"
      "published_macs_m,published_profile,macs_rel_diff\n";
  for (const auto& [name, entry] : model_registry().all()) {
    std::vector<PublishedFigure> configs = entry.published;
    if (configs.empty()) configs.push_back(PublishedFigure{name + " defaults", json::object()});
    for (const auto& fig : configs) {
      MeasureRequest mr;
      mr.device = req.device;
      if (!fig.input.empty()) mr.input = {1, fig.input[0], fig.input[1], fig.input[2]};
      json r = measure_complexity(ModelSpec{name, fig.options}, mr);
      const int64_t conv = r["macs"]["conv"], linear = r["macs"]["linear"];
      json row = {{"model", name},
                  {"config", fig.label},
                  {"options", r["model"]["options"]},
                  {"input", r["input"]},
                  {"params", r["params"]},
                  {"params_unused", r["params_unused"]},
                  {"macs", r["macs"]},
                  {"elementwise_ops", r["elementwise_ops"]}};
      std::string profile;
      double published_m = NAN;
      if (fig.conv_macs_m)
        published_m = *fig.conv_macs_m, profile = "espnetv2_paper";
      else if (fig.conv_linear_macs_m)
        published_m = *fig.conv_linear_macs_m, profile = "torchvision_fvcore";
      double measured_m = (profile == "espnetv2_paper" ? conv : conv + linear) / 1e6;
      if (!profile.empty()) {
        row["published"] = {{"macs_m", published_m}, {"profile", profile}, {"source", fig.source}};
        if (fig.params) row["published"]["params"] = *fig.params;
        row["macs_rel_diff"] = (measured_m - published_m) / published_m;
      }
      rows.push_back(row);
      csv += fmt::format(
          "{},\"{}\",{}x{}x{},{},{},{},{},{},{},{},{},{}\n", name, fig.label, mr.input[1], mr.input[2],
          mr.input[3], r["params"].get<int64_t>(), r["params_unused"].get<int64_t>(), conv, linear,
          r["elementwise_ops"].get<int64_t>(), fig.params ? std::to_string(*fig.params) : "",
          std::isnan(published_m) ? "" : fmt::format("{}", published_m), profile,
          row.contains("macs_rel_diff") ? fmt::format("{:.5f}", row["macs_rel_diff"].get<double>()) : "");
      if (!req.out_dir.empty())
        write_file_atomic(req.out_dir + "/" + slug(name + "__" + fig.label) + ".json", r.dump(2) + "\n");
    }
  }
  if (!req.out_dir.empty()) {
    write_file_atomic(req.out_dir + "/zoo.csv", csv);
    json summary = {{"schema_version", kSchemaVersion},
                    {"kind", "zoo"},
                    {"input", {1, 3, 224, 224}},  // rows published at another size carry their own
                    {"rows", rows},
                    {"context", run_context(req.device)}};
    write_file_atomic(req.out_dir + "/zoo.json", summary.dump(2) + "\n");
  }
  return rows;
}

}  // namespace espbench
