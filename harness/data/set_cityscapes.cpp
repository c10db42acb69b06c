// Cityscapes fine annotations as a segmentation set (format in dataset.h; the checks and the reader
// are seg_folder.cpp).
#include <fmt/format.h>

#include <filesystem>

#include "harness/data/dataset.h"
#include "harness/data/seg_folder.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const char* const kImageSuffix = "_leftImg8bit.png";
const char* const kLabelSuffix = "_gtFine_labelTrainIds.png";

// The 19 evaluated classes, in train-id order.
const std::vector<std::string> kClasses = {"road", "sidewalk",      "building",     "wall",       "fence",
                                           "pole", "traffic light", "traffic sign", "vegetation", "terrain",
                                           "sky",  "person",        "rider",        "car",        "truck",
                                           "bus",  "train",         "motorcycle",   "bicycle"};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<SegPair> split_pairs(const std::string& root, const std::string& split) {
  const std::string images = (fs::path(root) / "leftImg8bit" / split).string();
  const std::string labels = (fs::path(root) / "gtFine" / split).string();
  if (!is_folder(images))
    throw Error(
        fmt::format("cityscapes {}: missing folder {} (expected leftImg8bit/{{train,val}}/<city>/*{} and "
                    "gtFine/{{train,val}}/<city>/*{})",
                    root, images, kImageSuffix, kLabelSuffix));
  std::vector<SegPair> pairs;
  for (const auto& city : sorted_subfolders(images))
    for (const auto& name : sorted_files((fs::path(images) / city).string())) {
      if (!ends_with(name, kImageSuffix)) continue;
      SegPair p;
      p.image = (fs::path(images) / city / name).string();
      const std::string stem = name.substr(0, name.size() - std::string(kImageSuffix).size());
      p.label = (fs::path(labels) / city / (stem + kLabelSuffix)).string();
      if (!exists_file(p.label))
        throw Error(
            fmt::format("{}: no label map {} (train-id labels, as cityscapesscripts' createTrainIdLabelImgs "
                        "writes them)",
                        p.image, p.label));
      pairs.push_back(std::move(p));
    }
  if (pairs.empty()) throw Error(fmt::format("{}: no *{} images in its city folders", images, kImageSuffix));
  return pairs;
}

DataSplits open_cityscapes(const DataSpec& spec, const std::string& root) {
  SegSetInfo info = seg_set_info(spec, "cityscapes", 19, 1024, 512);
  if (info.num_classes == 19 || info.num_classes == 20) {
    info.class_names = kClasses;
    if (info.num_classes == 20) info.class_names.push_back("background");
  }
  DataSplits out;
  out.name = "cityscapes";
  out.path = root;
  out.train = make_seg_split((fs::path(root) / "leftImg8bit" / "train").string(), split_pairs(root, "train"),
                             info, spec.limit_train, /*train=*/true, spec);
  out.test = make_seg_split((fs::path(root) / "leftImg8bit" / "val").string(), split_pairs(root, "val"), info,
                            spec.limit_test, /*train=*/false, spec);
  return out;
}

DataSetEntry cityscapes_entry() {
  DataSetEntry e;
  e.name = "cityscapes";
  e.description =
      "Cityscapes fine labels: leftImg8bit/{train,val}/<city>/*_leftImg8bit.png with "
      "gtFine/.../*_gtFine_labelTrainIds.png, 19 classes, 255 ignored (root or $ESPBENCH_CITYSCAPES)";
  e.list_rank = 5;
  e.options = seg_data_options();
  e.validate = validate_seg_options;
  e.open = [](const DataSpec& spec, const std::string& root) {
    const std::string r = root.empty() ? env_or("ESPBENCH_CITYSCAPES", "") : root;
    if (r.empty())
      throw Error(
          "cityscapes: no data folder: set the data root (or $ESPBENCH_CITYSCAPES) to the folder "
          "holding leftImg8bit/ and gtFine/");
    return open_cityscapes(spec, r);
  };
  e.recognise = [](const fs::path& p) {
    return is_folder((p / "leftImg8bit").string()) && is_folder((p / "gtFine").string());
  };
  e.recognise_rank = 3;
  return e;
}

}  // namespace

ESPBENCH_REGISTER_DATA_SET(cityscapes_entry());

}  // namespace espbench::data
