#include "harness/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <mutex>
#include <sstream>

#include "harness/report/atomic_file.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

torch::Tensor bytes_tensor(const std::string& s) {
  return torch::from_blob(const_cast<char*>(s.data()), {static_cast<int64_t>(s.size())}, torch::kUInt8)
      .clone();
}

std::string tensor_bytes(const torch::Tensor& t) {
  torch::Tensor c = t.contiguous().to(torch::kCPU);
  return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), static_cast<size_t>(c.numel()));
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

json read_meta(torch::serialize::InputArchive& archive, const std::string& path) {
  torch::Tensor meta_bytes;
  if (!archive.try_read("meta", meta_bytes))
    throw Error(fmt::format("checkpoint '{}' has no meta record (not an espbench checkpoint)", path));
  json meta = json::parse(tensor_bytes(meta_bytes), nullptr, /*allow_exceptions=*/false);
  if (meta.is_discarded() || !meta.is_object() || meta.value("format", 0) != kCheckpointFormat)
    throw Error(
        fmt::format("checkpoint '{}': unreadable meta record or unsupported format (expected format {})",
                    path, kCheckpointFormat));
  return meta;
}

void load_archive(torch::serialize::InputArchive& archive, const std::string& path) {
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw Error(fmt::format("cannot read checkpoint '{}': {}", path, first_line(e.what_without_backtrace())));
  }
}

}  // namespace

void save_checkpoint(const std::vector<std::string>& paths, const torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const json& meta) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model_archive(archive.compilation_unit());
  model.save(model_archive);
  archive.write("model", model_archive);
  torch::serialize::OutputArchive optimizer_archive(archive.compilation_unit());
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  at::Generator gen = at::detail::getDefaultCPUGenerator();
  torch::Tensor state;
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    state = gen.get_state();
  }
  archive.write("generator", state);
  json m = meta;
  m["format"] = kCheckpointFormat;
  archive.write("meta", bytes_tensor(m.dump()));
  std::ostringstream out;
  archive.save_to(out);
  const std::string bytes = out.str();
  for (const auto& p : paths) write_file_atomic(p, bytes);
}

json load_checkpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                     bool restore_rng) {
  torch::serialize::InputArchive archive;
  load_archive(archive, path);
  json meta = read_meta(archive, path);
  try {
    torch::serialize::InputArchive model_archive;
    archive.read("model", model_archive);
    model.load(model_archive);
    if (optimizer) {
      torch::serialize::InputArchive optimizer_archive;
      archive.read("optimizer", optimizer_archive);
      optimizer->load(optimizer_archive);
    }
    if (restore_rng) {
      torch::Tensor state;
      archive.read("generator", state);
      at::Generator gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_state(state);
    }
  } catch (const c10::Error& e) {
    throw Error(fmt::format("checkpoint '{}' does not fit this model/optimizer: {}", path,
                            first_line(e.what_without_backtrace())));
  }
  return meta;
}

json read_checkpoint_meta(const std::string& path) {
  torch::serialize::InputArchive archive;
  load_archive(archive, path);
  return read_meta(archive, path);
}

}  // namespace espbench::train
