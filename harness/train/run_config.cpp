#include "harness/train/run_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "harness/report/atomic_file.h"
#include "harness/runtime/runtime.h"
#include "harness/train/schedule.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

// "SOURCE: PATH.key: unknown key (did you mean 'x'?); valid keys: ..."
[[noreturn]] void unknown_key(const std::string& source, const std::string& path, const std::string& key,
                              const std::vector<std::string>& valid) {
  throw Error(fmt::format("{}: {}{}: unknown key{}; valid keys: {}", source, path.empty() ? "" : path + ".",
                          key, did_you_mean(key, valid), join(valid)));
}

// Validates one section against `schema`, naming SOURCE: SECTION.KEY in every message, and fills
// the defaults.
json resolve_section(const std::string& source, const std::string& section, const OptionSchema& schema,
                     const json& given) {
  if (given.is_null()) return resolve_options(source + ": " + section, schema, json::object());
  if (!given.is_object())
    throw Error(fmt::format("{}: {}: expected a JSON object, got {}", source, section, given.dump()));
  const auto valid = option_names(schema);
  for (const auto& [key, value] : given.items()) {
    auto it = std::find_if(schema.begin(), schema.end(), [&](const OptionSpec& s) { return s.name == key; });
    if (it == schema.end()) unknown_key(source, section, key, valid);
    resolve_options(fmt::format("{}: {}.{}", source, section, key), OptionSchema{*it}, json{{key, value}});
  }
  return resolve_options(source + ": " + section, schema, given);
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

double scaled_lr(const TrainSettings& t) {
  const double ratio = static_cast<double>(t.batch_size) / static_cast<double>(t.lr_base_batch_size);
  if (t.lr_base_scale == "linear") return t.lr_base * ratio;
  if (t.lr_base_scale == "sqrt") return t.lr_base * std::sqrt(ratio);
  return t.lr_base;
}

json lr_rule(const TrainSettings& t) {
  json r = {{"lr", t.lr}, {"batch_size", t.batch_size}};
  if (t.lr_given) {
    r["rule"] = "given";
  } else {
    r["rule"] = t.lr_base_scale;
    r["lr_base"] = t.lr_base;
    r["lr_base_batch_size"] = t.lr_base_batch_size;
  }
  return r;
}

// Built at each use: the valid schedules are whatever the registry holds then.
OptionSchema train_option_schema() {
  return OptionSchema{
      {"epochs", OptionType::Int, 10, "training epochs", {}, 1, 1e6},
      {"batch_size", OptionType::Int, 128, "training batch size", {}, 1, 1 << 20},
      {"lr",
       OptionType::Float,
       nullptr,
       "learning rate (cyclic: the cycle minimum); null: lr_base scaled to batch_size by lr_base_scale",
       {},
       1e-12,
       {}},
      {"lr_base", OptionType::Float, 0.1, "the recipe's learning rate at lr_base_batch_size", {}, 1e-12, {}},
      {"lr_base_batch_size", OptionType::Int, 512, "the batch size lr_base belongs to", {}, 1, 1 << 20},
      {"lr_base_scale",
       OptionType::String,
       "linear",
       "how lr_base follows the batch size: linear (x batch/base batch), sqrt, none",
       {"linear", "sqrt", "none"}},
      {"momentum", OptionType::Float, 0.9, "SGD momentum", {}, 0.0, 0.999999},
      {"nesterov", OptionType::Bool, false, "Nesterov momentum (official EdgeNets training code: on)"},
      {"weight_decay", OptionType::Float, 4e-5, "L2 weight decay", {}, 0.0, 1.0},
      {"wd_exclude_bn_bias", OptionType::Bool, false, "no weight decay on 1-D params (BN, PReLU, biases)"},
      {"label_smoothing", OptionType::Float, 0.0, "cross-entropy label smoothing", {}, 0.0, 0.99},
      {"schedule", OptionType::String, "cyclic", "learning-rate schedule", schedule_names()},
      {"schedule_options", OptionType::Object, json::object(), "options of the schedule"},
      {"eval_batch_size", OptionType::Int, 256, "evaluation batch size", {}, 1, 1 << 20},
      {"workers", OptionType::Int, 1, "data-loader threads (0: load in the training thread)", {}, 0, 256},
      {"checkpoint", OptionType::Bool, true, "write checkpoints every epoch (needed to resume)"},
      {"batchnorm",
       OptionType::String,
       "batch",
       "BatchNorm in training: batch (batch statistics) or frozen (running statistics, affine trained)",
       {"batch", "frozen"}},
  };
}

const OptionSchema& runtime_option_schema() {
  static const OptionSchema schema{
      {"threads", OptionType::Int, 0, "intra-op threads (0: all cores)", {}, 0, 4096},
      {"device", OptionType::String, "cpu", "cpu, cuda or cuda:N"},
      {"seed",
       OptionType::Int,
       1882,
       "random seed (model init, dropout, data order and augmentation)",
       {},
       0,
       {}},
  };
  return schema;
}

std::shared_ptr<const data::DataSplits> open_data_shared(const data::DataSpec& spec) {
  static std::mutex mutex;
  static std::string cached_key;
  static std::shared_ptr<const data::DataSplits> cached;
  const std::string key = data::to_json(spec).dump() + "|" + env_or_empty("ESPBENCH_FASHION_MNIST") + "|" +
                          env_or_empty("ESPBENCH_CIFAR10");
  std::lock_guard<std::mutex> lock(mutex);
  if (cached && cached_key == key) return cached;
  cached.reset();  // free the previous set before reading the next
  cached = std::make_shared<const data::DataSplits>(data::open_data(spec));
  cached_key = key;
  return cached;
}

namespace {

void check_top_level(const json& config, const std::string& source) {
  if (!config.is_object())
    throw Error(fmt::format("{}: a run config must be a JSON object, got {}", source, config.dump()));
  static const std::vector<std::string> top = {"model",   "data", "train",  "runtime",
                                               "comment", "init", "measure"};
  for (const auto& [key, value] : config.items())
    if (std::find(top.begin(), top.end(), key) == top.end()) unknown_key(source, "", key, top);
}

std::string resolve_comment(const json& config, const std::string& source) {
  if (!config.contains("comment")) return "";
  if (!config["comment"].is_string())
    throw Error(fmt::format("{}: comment: expected a string, got {}", source, config["comment"].dump()));
  return config["comment"].get<std::string>();
}

RuntimeSettings resolve_runtime(const json& config, const std::string& source) {
  json rt = resolve_section(source, "runtime", runtime_option_schema(), config.value("runtime", json()));
  RuntimeSettings r;
  r.threads = rt["threads"].get<int64_t>() == 0 ? default_threads() : rt["threads"].get<int64_t>();
  try {
    r.device = check_device(rt["device"].get<std::string>(), "runtime.device");
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", source, e.what()));
  }
  r.seed = rt["seed"].get<int64_t>();
  return r;
}

// Training settings and the schedule (its options resolved against the run's epochs).
TrainSettings resolve_train(const json& config, const std::string& source) {
  json tr = resolve_section(source, "train", train_option_schema(), config.value("train", json()));
  TrainSettings t;
  t.epochs = tr["epochs"].get<int64_t>();
  t.batch_size = tr["batch_size"].get<int64_t>();
  t.lr_given = !tr["lr"].is_null();
  t.lr_base = tr["lr_base"].get<double>();
  t.lr_base_batch_size = tr["lr_base_batch_size"].get<int64_t>();
  t.lr_base_scale = tr["lr_base_scale"].get<std::string>();
  t.lr = t.lr_given ? tr["lr"].get<double>() : scaled_lr(t);
  t.momentum = tr["momentum"].get<double>();
  t.nesterov = tr["nesterov"].get<bool>();
  t.weight_decay = tr["weight_decay"].get<double>();
  t.wd_exclude_bn_bias = tr["wd_exclude_bn_bias"].get<bool>();
  t.label_smoothing = tr["label_smoothing"].get<double>();
  t.schedule = tr["schedule"].get<std::string>();
  t.eval_batch_size = tr["eval_batch_size"].get<int64_t>();
  t.workers = tr["workers"].get<int64_t>();
  t.checkpoint = tr["checkpoint"].get<bool>();
  t.batchnorm = tr["batchnorm"].get<std::string>();
  if (t.nesterov && t.momentum <= 0.0)
    throw Error(fmt::format("{}: train.nesterov: Nesterov momentum needs train.momentum > 0, got {}", source,
                            t.momentum));
  try {
    t.schedule_options =
        make_schedule(t.schedule, tr["schedule_options"], t.lr, t.epochs).describe()["options"];
  } catch (const Error& e) {
    throw Error(fmt::format("{}: train.schedule_options: {}", source, e.what()));
  }
  return t;
}

// Validates every key with its path, then opens the set (cached) to learn its shape.
std::shared_ptr<const data::DataSplits> resolve_data(const json& config, const std::string& source,
                                                     data::DataSpec& spec) {
  const json data_given = config.value("data", json());
  if (!data_given.is_null() && !data_given.is_object())
    throw Error(fmt::format("{}: data: expected a JSON object, got {}", source, data_given.dump()));
  resolve_section(source, "data", data::data_option_schema(), data_given);
  spec = data::data_spec_from_json(data_given.is_null() ? json::object() : data_given);
  try {
    return open_data_shared(spec);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: data: {}", source, e.what()));
  }
}

// The model's name, checked against the registry.
std::string resolve_model_name(const json& model, const std::string& source) {
  if (!model.is_object())
    throw Error(
        fmt::format("{}: model: missing or not an object; expected {{\"name\": ..., \"options\": "
                    "{{...}}}} (valid models: {})",
                    source, join(model_registry().names())));
  for (const auto& [key, value] : model.items())
    if (key != "name" && key != "options") unknown_key(source, "model", key, {"name", "options"});
  if (!model.contains("name") || !model["name"].is_string())
    throw Error(
        fmt::format("{}: model.name: missing (valid models: {})", source, join(model_registry().names())));
  const std::string name = model["name"].get<std::string>();
  if (!model_registry().all().count(name)) {
    throw Error(fmt::format("{}: model.name: unknown model '{}'{}; valid models: {}", source, name,
                            did_you_mean(name, model_registry().names()), join(model_registry().names())));
  }
  return name;
}

// Name, then options (in_channels / num_classes from the data set unless given).
ModelSpec resolve_model_spec(const json& config, const std::string& source, const data::DataSplits& splits) {
  const json model = config.value("model", json());
  ModelSpec spec;
  spec.name = resolve_model_name(model, source);
  json options = model.value("options", json::object());
  if (options.is_null()) options = json::object();
  if (!options.is_object())
    throw Error(fmt::format("{}: model.options: expected a JSON object, got {}", source, options.dump()));
  const ModelEntry& entry = model_registry().at("model", spec.name);
  auto has_option = [&](const char* n) {
    return std::any_of(entry.schema.begin(), entry.schema.end(),
                       [&](const OptionSpec& s) { return s.name == n; });
  };
  if (has_option("in_channels") && !options.contains("in_channels"))
    options["in_channels"] = splits.train->channels();
  if (has_option("num_classes") && !options.contains("num_classes"))
    options["num_classes"] = splits.train->num_classes();
  try {
    spec.options = resolve_model(ModelSpec{spec.name, options}).options;
  } catch (const Error& e) {
    throw Error(fmt::format("{}: model.options: {}", source, e.what()));
  }
  return spec;
}

}  // namespace

RunConfig resolve_run_config(const json& config, const std::string& source) {
  check_top_level(config, source);
  RunConfig c;
  c.comment = resolve_comment(config, source);
  // Runtime first: the device is needed nowhere else, but a bad one should fail early.
  c.runtime = resolve_runtime(config, source);
  c.train = resolve_train(config, source);
  const std::shared_ptr<const data::DataSplits> splits = resolve_data(config, source, c.data);
  c.model = resolve_model_spec(config, source, *splits);
  c.init = weights::resolve_init(config, source);
  c.measure = resolve_measure(config, source);
  return c;
}

json to_json(const RunConfig& c) {
  const TrainSettings& t = c.train;
  json j = {
      {"model", {{"name", c.model.name}, {"options", c.model.options}}},
      {"data", data::to_json(c.data)},
      {"train",
       {{"epochs", t.epochs},
        {"batch_size", t.batch_size},
        {"lr", t.lr_given ? json(t.lr) : json(nullptr)},
        {"lr_base", t.lr_base},
        {"lr_base_batch_size", t.lr_base_batch_size},
        {"lr_base_scale", t.lr_base_scale},
        {"momentum", t.momentum},
        {"nesterov", t.nesterov},
        {"weight_decay", t.weight_decay},
        {"wd_exclude_bn_bias", t.wd_exclude_bn_bias},
        {"label_smoothing", t.label_smoothing},
        {"schedule", t.schedule},
        {"schedule_options", t.schedule_options},
        {"eval_batch_size", t.eval_batch_size},
        {"workers", t.workers},
        {"checkpoint", t.checkpoint},
        {"batchnorm", t.batchnorm}}},
      {"runtime", {{"threads", c.runtime.threads}, {"device", c.runtime.device}, {"seed", c.runtime.seed}}},
      {"comment", c.comment},
  };
  if (!c.init.empty()) j["init"] = weights::init_json(c.init);
  if (!c.measure.empty()) j["measure"] = measure_json(c.measure);
  return j;
}

uint64_t fnv1a64(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string run_id(const RunConfig& config) {
  json j = to_json(config);
  j["runtime"].erase("threads");
  j["runtime"].erase("device");
  j["train"].erase("workers");
  j["train"].erase("checkpoint");
  // Added after the first reports: hashed only when not the default, so older run ids stay valid.
  if (config.train.batchnorm == "batch") j["train"].erase("batchnorm");
  j["data"].erase("root");
  j.erase("comment");
  j.erase("measure");  // measuring the trained model changes nothing it learned
  if (j.contains("init")) j["init"].erase("weights");  // where the file lives; its sha256 stays
  return fmt::format("{:016x}", fnv1a64(j.dump()));
}

json load_json_file(const std::string& path) {
  const std::optional<std::string> text = read_file(path);
  if (!text) throw Error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  try {
    return json::parse(*text);
  } catch (const json::parse_error& e) {
    throw Error(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
}

}  // namespace espbench::train
