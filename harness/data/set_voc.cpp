// PASCAL VOC segmentation as a segmentation set (format in dataset.h; the checks and the reader are
// seg_folder.cpp).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "harness/data/dataset.h"
#include "harness/data/seg_folder.h"
#include "modules/error.h"

namespace fs = std::filesystem;

namespace espbench::data {

namespace {

const std::vector<std::string> kClasses = {
    "background", "aeroplane", "bicycle",     "bird",  "boat",        "bottle", "bus",
    "car",        "cat",       "chair",       "cow",   "diningtable", "dog",    "horse",
    "motorbike",  "person",    "pottedplant", "sheep", "sofa",        "train",  "tvmonitor"};

// The folder holding JPEGImages/ and SegmentationClass/: `root`, root/VOC2012 or
// root/VOCdevkit/VOC2012; "" when none does.
std::string voc_base(const std::string& root) {
  for (const fs::path& p :
       {fs::path(root), fs::path(root) / "VOC2012", fs::path(root) / "VOCdevkit" / "VOC2012"})
    if (is_folder((p / "JPEGImages").string()) && is_folder((p / "SegmentationClass").string()))
      return p.string();
  return "";
}

std::string image_of(const fs::path& base, const std::string& id) {
  for (const char* ext : {".jpg", ".jpeg", ".png", ".JPG"}) {
    const fs::path p = base / "JPEGImages" / (id + ext);
    if (exists_file(p)) return p.string();
  }
  return "";
}

std::vector<SegPair> split_pairs(const std::string& base, const std::string& split) {
  const fs::path list = fs::path(base) / "ImageSets" / "Segmentation" / (split + ".txt");
  std::ifstream in(list);
  if (!in)
    throw Error(
        fmt::format("voc {}: cannot read {} (the split's image ids, one a line)", base, list.string()));
  std::vector<SegPair> pairs;
  for (std::string line; std::getline(in, line);) {
    const size_t a = line.find_first_not_of(" \t\r"), b = line.find_last_not_of(" \t\r");
    if (a == std::string::npos) continue;
    const std::string id = line.substr(a, b - a + 1);
    SegPair p;
    p.image = image_of(base, id);
    if (p.image.empty())
      throw Error(fmt::format("{}: image id '{}' has no JPEGImages/{}.jpg", list.string(), id, id));
    p.label = (fs::path(base) / "SegmentationClass" / (id + ".png")).string();
    if (!exists_file(p.label)) throw Error(fmt::format("{}: no label map {}", p.image, p.label));
    pairs.push_back(std::move(p));
  }
  if (pairs.empty()) throw Error(fmt::format("{}: lists no image ids", list.string()));
  return pairs;
}

DataSplits open_voc(const DataSpec& spec, const std::string& root) {
  const std::string base = voc_base(root);
  if (base.empty())
    throw Error(fmt::format(
        "voc {}: no JPEGImages/ and SegmentationClass/ in it (nor in VOC2012/ or VOCdevkit/VOC2012/)", root));
  SegSetInfo info = seg_set_info(spec, "voc", 21, 512, 512);
  if (info.num_classes == 21) info.class_names = kClasses;
  DataSplits out;
  out.name = "voc";
  out.path = base;
  out.train = make_seg_split((fs::path(base) / "ImageSets/Segmentation/train.txt").string(),
                             split_pairs(base, "train"), info, spec.limit_train, /*train=*/true, spec);
  out.test = make_seg_split((fs::path(base) / "ImageSets/Segmentation/val.txt").string(),
                            split_pairs(base, "val"), info, spec.limit_test, /*train=*/false, spec);
  return out;
}

DataSetEntry voc_entry() {
  DataSetEntry e;
  e.name = "voc";
  e.description =
      "PASCAL VOC segmentation: JPEGImages/<id>.jpg with SegmentationClass/<id>.png (palette "
      "indices), ids from ImageSets/Segmentation/{train,val}.txt, 21 classes, 255 ignored (root or "
      "$ESPBENCH_VOC)";
  e.list_rank = 6;
  e.options = seg_data_options();
  e.validate = validate_seg_options;
  e.open = [](const DataSpec& spec, const std::string& root) {
    const std::string r = root.empty() ? env_or("ESPBENCH_VOC", "") : root;
    if (r.empty())
      throw Error(
          "voc: no data folder: set the data root (or $ESPBENCH_VOC) to the folder holding "
          "JPEGImages/ and SegmentationClass/ (or VOCdevkit/)");
    return open_voc(spec, r);
  };
  e.recognise = [](const fs::path& p) { return !voc_base(p.string()).empty(); };
  e.recognise_rank = 4;
  return e;
}

}  // namespace

ESPBENCH_REGISTER_DATA_SET(voc_entry());

}  // namespace espbench::data
