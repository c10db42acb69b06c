#include "harness/report/collect.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "harness/report/atomic_file.h"
#include "harness/report/context.h"
#include "modules/error.h"
#include "modules/registry.h"

namespace espbench::report {

namespace {

namespace fs = std::filesystem;

bool is_run_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && (fs::exists(p / "report.json", ec) || fs::exists(p / "status.json", ec));
}

std::vector<fs::path> sorted_subdirs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The file's JSON; null when absent; `bad` set when present but not parsable.
json read_json(const fs::path& path, bool* bad = nullptr) {
  const std::optional<std::string> text = read_file(path.string());
  if (!text) return json();
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    if (bad) *bad = true;
    return json();
  }
  return j;
}

RunRecord load_run(const std::string& sweep, const fs::path& dir) {
  RunRecord r;
  r.sweep = sweep;
  r.dir = dir.string();
  r.report = read_json(dir / "report.json", &r.unreadable);
  if (!r.report.is_object()) r.report = json();
  r.status = read_json(dir / "status.json");
  if (!r.status.is_object()) r.status = json::object();
  return r;
}

// The leaves of a config by dotted path; an empty object has none (it sets nothing).
void flatten(const json& j, const std::string& prefix, std::map<std::string, json>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else {
    out[prefix] = j;
  }
}

// The config values that can tell runs apart (not the seed, nor settings that change no result).
std::map<std::string, json> config_leaves(const json& config) {
  std::map<std::string, json> flat;
  if (!config.is_object()) return flat;
  json c = config;
  c.erase("runtime");
  c.erase("comment");
  c.erase("measure");  // what is measured once trained (run ids leave it out too)
  if (c.contains("train") && c["train"].is_object()) {
    c["train"].erase("workers");
    c["train"].erase("checkpoint");
  }
  if (c.contains("data") && c["data"].is_object()) c["data"].erase("root");
  flatten(c, "", flat);
  return flat;
}

// Model options vary only against runs of the same model; schedule options against the same schedule.
std::string scope_of(const std::string& key, const std::map<std::string, json>& flat) {
  auto value = [&](const char* k) {
    auto it = flat.find(k);
    return it == flat.end() ? std::string() : it->second.dump();
  };
  if (key.rfind("model.options.", 0) == 0) return value("model.name");
  if (key.rfind("train.schedule_options.", 0) == 0) return value("train.schedule");
  return "";
}

int key_rank(const std::string& key) {
  if (key.rfind("model.", 0) == 0) return 0;
  if (key.rfind("train.", 0) == 0) return 1;
  return 2;
}

// "model.options.<width option>" of the run's model (ModelEntry::width_option), or "" when the
// model is unknown here or has no width.
std::string width_key(const std::map<std::string, json>& flat) {
  auto it = flat.find("model.name");
  if (it == flat.end() || !it->second.is_string()) return "";
  const ModelEntry* e = model_registry().find(it->second.get<std::string>());
  return e && !e->width_option.empty() ? "model.options." + e->width_option : "";
}

// Whether a setting outside the model has one value per model in a sweep of several models (a
// family's own lr_base, say): the model, which the label names, already tells those runs apart.
bool implied_by_model(const std::string& key, const std::vector<std::map<std::string, json>>& flats) {
  if (key.rfind("model.", 0) == 0) return false;
  std::map<std::string, std::set<std::string>> values;  // model -> distinct values
  for (const auto& f : flats) {
    if (f.empty()) continue;
    auto name = f.find("model.name");
    auto it = f.find(key);
    values[name == f.end() ? "" : name->second.dump()].insert(it == f.end() ? "<none>" : it->second.dump());
  }
  return values.size() > 1 &&
         std::all_of(values.begin(), values.end(), [](const auto& v) { return v.second.size() == 1; });
}

// The config keys whose values differ between runs of one sweep (see collect.h), in label order.
std::vector<std::string> varying_keys(const std::vector<std::map<std::string, json>>& flats,
                                      const std::set<std::string>& keys) {
  std::vector<std::string> varying;
  for (const auto& key : keys) {
    if (key == "model.name" || implied_by_model(key, flats)) continue;
    std::map<std::string, std::set<std::string>> values;  // scope -> distinct values
    for (const auto& f : flats) {
      if (f.empty()) continue;  // no config yet: nothing to compare
      auto it = f.find(key);
      values[scope_of(key, f)].insert(it == f.end() ? "<none>" : it->second.dump());
    }
    for (const auto& [scope, vs] : values)
      if (vs.size() > 1) {
        varying.push_back(key);
        break;
      }
  }
  // A model's width knob is the x of a cost plot: when any width varies, every run shows its own.
  std::set<std::string> widths;
  for (const auto& f : flats)
    if (std::string k = width_key(f); !k.empty()) widths.insert(k);
  if (std::any_of(varying.begin(), varying.end(), [&](const std::string& k) { return widths.count(k) > 0; }))
    for (const auto& k : keys)
      if (widths.count(k) && std::find(varying.begin(), varying.end(), k) == varying.end())
        varying.push_back(k);
  std::sort(varying.begin(), varying.end());
  std::stable_sort(varying.begin(), varying.end(),
                   [](const std::string& a, const std::string& b) { return key_rank(a) < key_rank(b); });
  return varying;
}

struct Label {
  std::string label;   // what distinguishes the run within its sweep
  std::string series;  // the same without the model's width: one line of a cost plot
  json width;          // the width option's value, or null
};

// Labels of the runs of one sweep (see collect.h).
std::vector<Label> labels_of(const std::vector<std::map<std::string, json>>& flats) {
  std::set<std::string> keys, models;
  for (const auto& f : flats) {
    for (const auto& [k, _] : f) keys.insert(k);
    auto it = f.find("model.name");
    if (it != f.end()) models.insert(label_value(it->second));
  }
  const std::vector<std::string> varying = varying_keys(flats, keys);
  std::map<std::string, int> last_count;
  auto last = [](const std::string& k) { return k.substr(k.rfind('.') + 1); };
  for (const auto& k : varying) ++last_count[last(k)];
  std::vector<Label> labels;
  for (const auto& f : flats) {
    std::vector<std::string> parts, series;
    auto name = f.find("model.name");
    const std::string model = name == f.end() ? "?" : label_value(name->second);
    if (models.size() > 1) parts.push_back(model), series.push_back(model);
    const std::string width = width_key(f);
    Label l;
    for (const auto& k : varying) {
      auto it = f.find(k);
      if (it == f.end()) continue;
      const std::string shown =
          last_count[last(k)] > 1 ? k.substr(k.find('.', k.find('.') + 1) + 1) : last(k);
      parts.push_back(shown + "=" + label_value(it->second));
      if (k != width) series.push_back(parts.back());
    }
    if (auto it = f.find(width); !width.empty() && it != f.end()) l.width = it->second;
    l.label = parts.empty() ? model : join(parts, " ");
    l.series = series.empty() ? model : join(series, " ");
    labels.push_back(l);
  }
  return labels;
}

json number_or_null(const json& j, const json::json_pointer& p) {
  return j.is_object() && j.contains(p) && j[p].is_number() ? j[p] : json();
}

std::string csv_field(const json& v) {
  std::string s = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

const std::vector<std::string> kColumns = {
    "sweep",          "run_id",       "status",      "model",          "family",
    "label",          "group",        "seed",        "epochs",         "epochs_done",
    "params",         "macs",         "macs_conv",   "macs_linear",    "test_top1",
    "best_test_top1", "test_top5",    "test_miou",   "best_test_miou", "test_pixel_acc",
    "latency_ms",     "images_per_s", "wall_time_s", "error",          "dir"};

}  // namespace

std::vector<RunRecord> find_runs(const std::string& dir) {
  const fs::path root(dir);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw Error(fmt::format("'{}' is not a folder", dir));
  std::vector<RunRecord> runs;
  if (is_run_dir(root)) {
    runs.push_back(load_run(fs::absolute(root).parent_path().filename().string(), root));
    return runs;
  }
  const auto subs = sorted_subdirs(root);
  const bool is_sweep = std::any_of(subs.begin(), subs.end(), is_run_dir);
  const std::string own_name = fs::absolute(root).lexically_normal().filename().string();
  for (const auto& s : subs) {
    if (is_sweep) {
      if (is_run_dir(s)) runs.push_back(load_run(own_name.empty() ? "sweep" : own_name, s));
      continue;
    }
    for (const auto& r : sorted_subdirs(s))
      if (is_run_dir(r)) runs.push_back(load_run(s.filename().string(), r));
  }
  if (runs.empty())
    throw Error(
        fmt::format("'{}' holds no runs: expected {}/<run-id>/report.json (a sweep folder) or "
                    "{}/<sweep>/<run-id>/report.json (an output root)",
                    dir, dir, dir));
  return runs;
}

std::string label_value(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:g}", v.get<double>());
  return v.dump();
}

json latency_ms_of(const json& report) {
  if (!report.is_object() || !report.contains("latency")) return json();
  const json& l = report["latency"];
  if (l.is_number()) return l;
  if (!l.is_object()) return json();
  for (const char* k : {"p50_ms", "median_ms", "latency_ms", "mean_ms", "ms"})
    if (l.contains(k) && l[k].is_number()) return l[k];
  return json();
}

json make_rows(const std::vector<RunRecord>& runs) {
  json rows = json::array();
  std::map<std::string, std::vector<size_t>> by_sweep;
  std::vector<std::map<std::string, json>> flats;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& r = runs[i];
    json config = r.report.is_object() ? r.report.value("config", json()) : json();
    if (!config.is_object()) config = read_json(fs::path(r.dir) / "config.json");
    flats.push_back(config_leaves(config));
    by_sweep[r.sweep].push_back(i);

    const json& rep = r.report;
    json row;
    row["sweep"] = r.sweep;
    row["run_id"] =
        rep.is_object() && rep.contains("run_id") ? rep["run_id"] : json(fs::path(r.dir).filename().string());
    row["status"] = r.unreadable                                ? json("unreadable")
                    : rep.is_object() && rep.contains("status") ? rep["status"]
                                                                : json(r.status.value("status", "pending"));
    row["model"] = config.is_object() && config.contains("model") ? config["model"].value("name", "?") : "?";
    row["family"] = row["model"];
    if (rep.is_object() && rep.contains("model") && rep["model"].contains("family"))
      row["family"] = rep["model"]["family"];
    row["seed"] = number_or_null(config, json::json_pointer("/runtime/seed"));
    row["epochs"] = number_or_null(config, json::json_pointer("/train/epochs"));
    const bool has_epochs = rep.is_object() && rep.contains("epochs") && rep["epochs"].is_array();
    row["epochs_done"] = has_epochs ? static_cast<int64_t>(rep["epochs"].size()) : int64_t{0};
    row["params"] = number_or_null(rep, json::json_pointer("/model/params"));
    row["macs_conv"] = number_or_null(rep, json::json_pointer("/model/macs/conv"));
    row["macs_linear"] = number_or_null(rep, json::json_pointer("/model/macs/linear"));
    row["macs"] = row["macs_conv"].is_null() || row["macs_linear"].is_null()
                      ? json()
                      : json(row["macs_conv"].get<int64_t>() + row["macs_linear"].get<int64_t>());
    row["test_top1"] = number_or_null(rep, json::json_pointer("/final/test_top1"));
    row["best_test_top1"] = number_or_null(rep, json::json_pointer("/final/best_test_top1"));
    row["test_top5"] = number_or_null(rep, json::json_pointer("/final/test_top5"));
    row["test_miou"] = number_or_null(rep, json::json_pointer("/final/test_miou"));  // segmentation
    row["best_test_miou"] = number_or_null(rep, json::json_pointer("/final/best_test_miou"));
    row["test_pixel_acc"] = number_or_null(rep, json::json_pointer("/final/test_pixel_acc"));
    row["latency_ms"] = latency_ms_of(rep);
    json ips;
    if (has_epochs && !rep["epochs"].empty()) {
      double sum = 0;
      for (const auto& e : rep["epochs"]) sum += e.value("images_per_s", 0.0);
      ips = sum / static_cast<double>(rep["epochs"].size());
    }
    row["images_per_s"] = ips;
    row["wall_time_s"] = number_or_null(rep, json::json_pointer("/wall_time_s"));
    row["error"] =
        rep.is_object() && rep.contains("error") ? rep["error"] : json(r.status.value("error", ""));
    row["dir"] = r.dir;
    rows.push_back(row);
  }
  for (const auto& [sweep, idx] : by_sweep) {
    std::vector<std::map<std::string, json>> f;
    for (size_t i : idx) f.push_back(flats[i]);
    const auto labels = labels_of(f);
    for (size_t k = 0; k < idx.size(); ++k) {
      // A run without any config yet stands alone.
      const bool known = !flats[idx[k]].empty();
      rows[idx[k]]["label"] = known ? labels[k].label : "?";
      rows[idx[k]]["series"] = known ? labels[k].series : rows[idx[k]]["model"].get<std::string>();
      rows[idx[k]]["width"] = known ? labels[k].width : json();
      rows[idx[k]]["group"] =
          sweep + "/" + (known ? labels[k].label : "?" + rows[idx[k]]["run_id"].get<std::string>());
    }
  }
  return rows;
}

std::string rows_csv(const json& rows) {
  std::string s = join(kColumns, ",") + "\n";
  for (const auto& row : rows) {
    std::vector<std::string> fields;
    for (const auto& c : kColumns) fields.push_back(csv_field(row.value(c, json())));
    s += join(fields, ",") + "\n";
  }
  return s;
}

void write_collect(const std::string& dir, const json& rows) {
  const json doc = {{"schema_version", kSchemaVersion},
                    {"kind", "collect"},
                    {"root", dir},
                    {"generated_utc", utc_now_iso()},
                    {"rows", rows}};
  write_file_atomic((fs::path(dir) / "collect.json").string(), doc.dump(2) + "\n");
  write_file_atomic((fs::path(dir) / "collect.csv").string(), rows_csv(rows));
}

}  // namespace espbench::report
