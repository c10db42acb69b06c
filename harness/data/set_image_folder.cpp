// Image folders in the ImageNet layout, decoded per sample (format and augmentation in dataset.h;
// the reader is image_folder.cpp).
#include <filesystem>

#include "harness/data/dataset.h"
#include "harness/data/image_folder.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

DataSetEntry image_folder_entry() {
  DataSetEntry e;
  e.name = "imagefolder";
  e.description = "root/train/<class>/*.jpg and root/val/<class>/*.jpg (ImageNet layout), any size";
  e.list_rank = 2;
  e.options = {
      {"image_size", OptionType::Int, 224, "image folders: crop size", {}, 8, 4096},
      {"resize_size", OptionType::Int, 256, "image folders: evaluation shorter side", {}, 8, 8192},
      {"scale_min", OptionType::Float, 0.08, "image folders: random-resized-crop min area", {}, 1e-6, 1.0},
      {"scale_max", OptionType::Float, 1.0, "image folders: random-resized-crop max area", {}, 1e-6, 1.0},
  };
  e.open = [](const DataSpec& spec, const std::string& root) {
    if (root.empty())
      throw Error(
          "imagefolder: no data folder: set the data root to a folder with "
          "train/<class>/*.jpg and val/<class>/*.jpg");
    return open_image_folder(spec, root);
  };
  e.recognise = [](const fs::path& p) { return is_image_folder(p.string()); };
  e.recognise_rank = 0;
  return e;
}

}  // namespace

ESPBENCH_REGISTER_DATA_SET(image_folder_entry());

}  // namespace espbench::data
