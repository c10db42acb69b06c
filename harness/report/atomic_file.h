// Results are never lost or half-written: every file is written to a temporary sibling, flushed,
// then renamed over the target (rename is atomic within a file system).
#pragma once
#include <optional>
#include <string>

namespace espbench {

// Writes `content` to `path` atomically, creating parent directories; throws espbench::Error
// naming the path on failure.
void write_file_atomic(const std::string& path, const std::string& content);

// The whole file as text; nullopt when it cannot be opened (errno says why).
std::optional<std::string> read_file(const std::string& path);

}  // namespace espbench
