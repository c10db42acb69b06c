// PyTorch's zip format (torch.save since 1.6) and LibTorch archives (torch::save, espbench's
// checkpoints): one folder holding data.pkl and data/KEY for every storage.
#include <fmt/format.h>

#include "harness/weights/assemble.h"
#include "harness/weights/zip.h"
#include "modules/error.h"

namespace espbench::weights {

void read_torch_zip(std::string_view bytes, WeightFile& file) {
  const std::string& source = file.source;
  const ZipArchive zip(bytes, source);
  // The archive's folder is the one that holds data.pkl at its top.
  const ZipEntry* pickle_entry = nullptr;
  for (const auto& e : zip.entries()) {
    const size_t slash = e.name.find('/');
    if (slash == std::string::npos || e.name.compare(slash, std::string::npos, "/data.pkl") != 0) continue;
    if (pickle_entry) throw Error(fmt::format("{}: the archive holds two data.pkl records", source));
    pickle_entry = &e;
  }
  if (!pickle_entry)
    throw Error(fmt::format("{}: a zip archive without DIR/data.pkl (not a PyTorch file)", source));
  const std::string dir = pickle_entry->name.substr(0, pickle_entry->name.size() - 8);  // with its '/'
  if (const ZipEntry* order = zip.find(dir + "byteorder"); order && zip.read(*order) != "little")
    throw Error(fmt::format("{}: written on a big-endian machine (not supported)", source));
  const std::string pickle_bytes = zip.read(*pickle_entry);
  size_t pos = 0;
  const Pickle p = read_pickle(pickle_bytes, pos, source + ": " + pickle_entry->name);
  if (pos != pickle_bytes.size())
    throw Error(fmt::format("{}: {} unexpected bytes after the pickle in {}", source,
                            pickle_bytes.size() - pos, pickle_entry->name));
  std::vector<std::string> storage_bytes(p.storages.size());
  std::vector<std::string_view> views(p.storages.size());
  for (size_t i = 0; i < p.storages.size(); ++i) {
    const std::string name = dir + "data/" + p.storages[i].key;
    const ZipEntry* e = zip.find(name);
    if (!e)
      throw Error(fmt::format("{}: storage record '{}' is missing (truncated?)", source, printable(name)));
    storage_bytes[i] = zip.read(*e);
    views[i] = storage_bytes[i];
  }
  file.format = dir == "archive/" && zip.find(dir + "constants.pkl") ? "libtorch archive" : "pytorch zip";
  assemble(p, views, file);
}

}  // namespace espbench::weights
