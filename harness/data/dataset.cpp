#include "harness/data/dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

// The options every set shares; each set adds its own (DataSetEntry::options).
OptionSchema shared_options() {
  return {
      {"name", OptionType::String, "fashion-mnist",
       "data set: " + join(data_set_names()) + ", or a data folder"},
      {"root", OptionType::String, "", "folder holding the files (empty: the set's default)"},
      {"limit_train", OptionType::Int, 0, "use only the first N training examples (0: all)", {}, 0, {}},
      {"limit_test", OptionType::Int, 0, "use only the first N test examples (0: all)", {}, 0, {}},
      {"augment", OptionType::Bool, true, "training augmentation"},
      {"flip", OptionType::Bool, true, "horizontal flip within the augmentation"},
      {"crop_padding",
       OptionType::Int,
       -1,
       "small images: random-crop padding (-1: 2 up to 28 px, else 4; 0: no crop)",
       {},
       -1,
       64},
  };
}

// The DataSpec fields that are not shared options (kept in the typed struct for the built-in sets).
const char* const kTypedKeys[] = {"image_size",         "resize_size",      "scale_min",
                                  "scale_max",          "synthetic_train",  "synthetic_test",
                                  "synthetic_channels", "synthetic_height", "synthetic_width",
                                  "synthetic_classes",  "synthetic_seed"};

// Whether set option `key` (not a DataSpec field) with resolved `value` goes into DataSpec::extra:
// always for the options of the set named, otherwise only when it differs from its default, so
// that options of other sets leave a config (and its run id) alone.
bool keep_extra(const std::string& key, const json& value, const DataSetEntry* named,
                const OptionSchema& schema) {
  if (named)
    for (const auto& o : named->options)
      if (o.name == key) return true;
  for (const auto& o : schema)
    if (o.name == key) return value != o.default_value;
  return true;
}

bool is_typed_key(const std::string& key) {
  for (const char* k : kTypedKeys)
    if (key == k) return true;
  for (const auto& o : shared_options())
    if (key == o.name) return true;
  return false;
}

DataSplits open_folder(const DataSpec& spec, const std::string& folder) {
  std::vector<const DataSetEntry*> sets;
  for (const auto& [name, e] : data_set_registry().all())
    if (e.recognise) sets.push_back(&e);
  std::stable_sort(sets.begin(), sets.end(), [](const DataSetEntry* a, const DataSetEntry* b) {
    return a->recognise_rank < b->recognise_rank;
  });
  for (const DataSetEntry* e : sets)
    if (e->recognise(folder)) {
      if (e->validate) e->validate(spec);
      return e->open(spec, folder);
    }
  throw Error(
      fmt::format("data folder {} holds no recognised data set (expected train/<class>/"
                  "*.jpg and val/<class>/*.jpg, CIFAR-10 binary batches, Fashion-MNIST "
                  "IDX files, Cityscapes leftImg8bit/ + gtFine/, or PASCAL VOC JPEGImages/ + "
                  "SegmentationClass/)",
                  folder));
}

}  // namespace

std::vector<std::string> data_set_names() { return data_set_registry().names(); }

Registry<DataSetEntry>& data_set_registry() {
  static Registry<DataSetEntry> r("data set");
  return r;
}

std::string env_or(const char* var, const std::string& fallback) {
  const char* v = std::getenv(var);
  return v && *v ? std::string(v) : fallback;
}

bool exists_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

void Dataset::get_dense(int64_t, bool, uint64_t, float*, int64_t*) const {
  throw Error("this data set has one label per image, not a label per pixel");
}

// Built at each use from the sets registered then; an option several sets list appears once (the
// first in listing order).
OptionSchema data_option_schema() {
  OptionSchema s = shared_options();
  for (const auto& name : data_set_names())
    for (const auto& o : data_set_registry().at(name).options)
      if (std::none_of(s.begin(), s.end(), [&](const OptionSpec& x) { return x.name == o.name; }))
        s.push_back(o);
  return s;
}

DataSpec data_spec_from_json(const json& options) {
  const OptionSchema schema = data_option_schema();
  json r = resolve_options("data", schema, options);
  DataSpec s;
  s.name_or_path = r["name"].get<std::string>();
  s.root = r["root"].get<std::string>();
  s.limit_train = r["limit_train"].get<int64_t>();
  s.limit_test = r["limit_test"].get<int64_t>();
  s.augment = r["augment"].get<bool>();
  s.flip = r["flip"].get<bool>();
  s.crop_padding = r["crop_padding"].get<int64_t>();
  s.image_size = r["image_size"].get<int64_t>();
  s.resize_size = r["resize_size"].get<int64_t>();
  s.scale_min = r["scale_min"].get<double>();
  s.scale_max = r["scale_max"].get<double>();
  s.synthetic_train = r["synthetic_train"].get<int64_t>();
  s.synthetic_test = r["synthetic_test"].get<int64_t>();
  s.synthetic_channels = r["synthetic_channels"].get<int64_t>();
  s.synthetic_height = r["synthetic_height"].get<int64_t>();
  s.synthetic_width = r["synthetic_width"].get<int64_t>();
  s.synthetic_classes = r["synthetic_classes"].get<int64_t>();
  s.synthetic_seed = static_cast<uint64_t>(r["synthetic_seed"].get<int64_t>());
  const DataSetEntry* named = data_set_registry().find(s.name_or_path);
  for (const auto& [key, value] : r.items())
    if (!is_typed_key(key) && keep_extra(key, value, named, schema)) s.extra[key] = value;
  return s;
}

json to_json(const DataSpec& s) {
  json j = {{"name", s.name_or_path},
            {"root", s.root},
            {"limit_train", s.limit_train},
            {"limit_test", s.limit_test},
            {"augment", s.augment},
            {"flip", s.flip},
            {"crop_padding", s.crop_padding},
            {"image_size", s.image_size},
            {"resize_size", s.resize_size},
            {"scale_min", s.scale_min},
            {"scale_max", s.scale_max},
            {"synthetic_train", s.synthetic_train},
            {"synthetic_test", s.synthetic_test},
            {"synthetic_channels", s.synthetic_channels},
            {"synthetic_height", s.synthetic_height},
            {"synthetic_width", s.synthetic_width},
            {"synthetic_classes", s.synthetic_classes},
            {"synthetic_seed", static_cast<int64_t>(s.synthetic_seed)}};
  for (const auto& [key, value] : s.extra.items()) j[key] = value;
  return j;
}

json DataSplits::info() const {
  json j;
  j["name"] = name;
  j["path"] = path;
  j["train_size"] = train ? train->size() : 0;
  j["test_size"] = test ? test->size() : 0;
  j["full_train_size"] = train ? train->full_size() : 0;
  j["full_test_size"] = test ? test->full_size() : 0;
  if (train) {
    j["num_classes"] = train->num_classes();
    j["channels"] = train->channels();
    j["height"] = train->height();
    j["width"] = train->width();
    Normalization n = train->normalization();
    j["normalization"] = {{"mean", n.mean}, {"std", n.std}};
    j["augmentation"] = train->augmentation();
    if (train->dense_labels()) {
      j["task"] = "segmentation";
      j["ignore_label"] = kIgnoreLabel;
    }
    if (!train->class_names().empty()) j["class_names"] = train->class_names();
  }
  j["skipped_files"] = (train ? train->skipped_files() : 0) + (test ? test->skipped_files() : 0);
  return j;
}

DataSplits open_data(const DataSpec& spec) {
  // Range checks shared with the JSON form (a DataSpec may be filled in directly).
  resolve_options("data", data_option_schema(), to_json(spec));
  const std::string& n = spec.name_or_path;
  if (const DataSetEntry* e = data_set_registry().find(n)) {
    if (e->validate) e->validate(spec);
    return e->open(spec, spec.root);
  }
  std::error_code ec;
  if (fs::is_directory(n, ec)) return open_folder(spec, n);
  const std::vector<std::string> names = data_set_names();
  throw Error(
      fmt::format("unknown data set '{}'{}: valid names are {}, or the path of a data "
                  "folder",
                  n, did_you_mean(n, names), join(names)));
}

}  // namespace espbench::data
