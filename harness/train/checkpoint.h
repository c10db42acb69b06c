// Training checkpoints: one torch::serialize archive per file holding everything a run needs to
// continue exactly where it stopped:
//   model      parameters and buffers (Module::save)
//   optimizer  torch::optim::SGD state (momentum buffers, param-group options)
//   generator  the default CPU generator's state (dropout draws), read under its mutex
//   meta       a JSON document (run_id, epoch, records, best, wall time; see trainer.cpp), stored as
//              a uint8 tensor so that the archive holds tensors and sub-archives only
// Files are serialised in memory and written with write_file_atomic (temp + fsync + rename), so a
// run killed at any moment leaves either the previous checkpoint or the new one, never half a file.
#pragma once
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <string>
#include <vector>

#include "modules/options.h"

namespace espbench::train {

constexpr int kCheckpointFormat = 1;

// Writes the same checkpoint to every path in `paths` (e.g. last and best).
void save_checkpoint(const std::vector<std::string>& paths, const torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const json& meta);

// Restores `model` (same architecture), `optimizer` (when non-null; same parameter groups) and,
// when `restore_rng`, the default CPU generator; returns the meta document. Throws espbench::Error
// naming the file when it cannot be read or does not fit the model.
json load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                     bool restore_rng);

// The meta document alone.
json read_checkpoint_meta(const std::string& path);

}  // namespace espbench::train
