// Internal: ImageNet-style image folders (root/train/<class>/*.jpg, root/val/<class>/*.jpg). The
// behaviour is documented in dataset.h; this header only exposes the pieces open_data and the tests
// use.
#pragma once
#include <string>

#include "harness/data/dataset.h"

namespace espbench::data {

DataSplits open_image_folder(const DataSpec& spec, const std::string& root);

// Whether `dir` looks like an image folder (has train/ and val/ subfolders).
bool is_image_folder(const std::string& dir);

}  // namespace espbench::data
