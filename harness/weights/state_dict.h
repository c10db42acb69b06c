// Loading a weight file (torch_file.h) into a module: every file key is mapped to a module path
// (name_map.h), every shape and element kind is checked, and only when all of it fits are the
// parameters and buffers overwritten, so a refused file leaves the model as it was.
//
// Strict by default: a model key the file lacks (missing) or a file key the model lacks
// (unexpected) is an error naming the file and the first such key. allow_missing loads the part
// that matches (the classification trunk from a segmentation file, say); the report lists both
// kinds either way. A shape that differs is always an error ("... (weights of another scale?)").
#pragma once
#include <torch/nn/module.h>

#include <string>
#include <utility>
#include <vector>

#include "harness/weights/torch_file.h"
#include "modules/options.h"
#include "modules/registry.h"

namespace espbench::weights {

struct LoadOptions {
  bool allow_missing = false;  // also allows unexpected keys: a partial load either way
};

struct LoadReport {
  std::string file, format;
  int64_t loaded = 0;                                       // tensors copied
  std::vector<std::string> missing;                         // model keys, in model order
  std::vector<std::string> unexpected;                      // file keys, in file order
  std::vector<std::pair<std::string, std::string>> mapped;  // file key -> model key where they differ

  json to_json() const;
  // One line: what was loaded, and what was missing or unexpected, grouped by top-level module.
  std::string summary() const;
};

// Names grouped by their first component, e.g. "level5 (40), classifier (2)".
std::string group_names(const std::vector<std::string>& names);

LoadReport load_state(torch::nn::Module& model, const WeightFile& file, const LoadOptions& options = {});
LoadReport load_weights(torch::nn::Module& model, const std::string& path, const LoadOptions& options = {});

// Builds the model `spec` names and loads `path` into it: whether the file fits (`measure --weights`).
LoadReport check_weights(const ModelSpec& spec, const std::string& path, const LoadOptions& options = {});

}  // namespace espbench::weights
