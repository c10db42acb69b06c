// Initial weights of a training run (`espbench train --weights FILE [--allow-missing]`): the run
// config's optional section
//   "init": {"weights": "FILE", "allow_missing": false, "sha256": "..."}
// Resolving it reads the file and records its SHA-256 (a given sha256 must match), so the run id,
// which hashes everything but the path, differs from training from scratch and from other weights.
// The model is built as usual, then the file is loaded into it (state_dict.h: names mapped, shapes
// checked, strict unless allow_missing) before training starts: fine-tuning.
#pragma once
#include <torch/nn/module.h>

#include <string>

#include "harness/weights/state_dict.h"
#include "modules/options.h"

namespace espbench::weights {

struct InitWeights {
  std::string file;  // "" = train from the model's own initialisation
  bool allow_missing = false;
  std::string sha256;
  bool empty() const { return file.empty(); }
};

// The "init" section of a run config (absent or null: none). Errors name `source` and the key.
InitWeights resolve_init(const json& config, const std::string& source);

// The section as stored in the resolved config; null when there are no initial weights.
json init_json(const InitWeights& init);

// Loads the initial weights into `model`, checking that the file still has the recorded SHA-256.
LoadReport apply_init(torch::nn::Module& model, const InitWeights& init);

}  // namespace espbench::weights
