// Internal: segmentation data sets, i.e. folders of images with one label map (PNG) each: what the
// set files (set_cityscapes.cpp, set_voc.cpp) share. A set file finds the (image, label) pairs of
// each split; this file checks them and serves them (dataset.h documents the sets).
//
// Opening a split checks every pair it uses (the first limit_train / limit_test, or all), on a few
// threads: both files readable, the image whole (check_image: PNG chunks and CRCs, JPEG markers and
// end), the label a whole 8-bit grey or palette PNG of the image's size whose every value is a class
// (0..num_classes-1) or kIgnoreLabel. The first bad pair (in split order) is a one-line
// espbench::Error naming the file, before anything is trained or written.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "harness/data/dataset.h"
#include "harness/data/seg_transform.h"

namespace espbench::data {

struct SegPair {
  std::string image, label;  // paths
};

// What a segmentation set is, as its file resolves it from the DataSpec.
struct SegSetInfo {
  std::string name;                      // "cityscapes", "voc": for messages and reports
  int64_t num_classes = 0;               // labels 0..num_classes-1; kIgnoreLabel ignored
  std::vector<std::string> class_names;  // num_classes names, or empty
  SegGeometry train, eval;               // eval: base size, no crop, no flip
};

// The options every segmentation set lists (one row each in the data schema; shared by name).
OptionSchema seg_data_options();
// Checks their shapes (two sizes, both 0 or each >= 8; scale_min <= scale_max).
void validate_seg_options(const DataSpec& spec);

// Resolves num_classes, the sizes, the crop and the scales from `spec` (0 = the set's own default).
SegSetInfo seg_set_info(const DataSpec& spec, const std::string& name, int64_t default_classes, int default_w,
                        int default_h);

// Checks the pairs of one split (`dir` names it in messages) and makes the split. `limit`: use only
// the first N pairs (0: all); `train`: with the training geometry and augmentation (when
// spec.augment).
std::shared_ptr<const Dataset> make_seg_split(const std::string& dir, std::vector<SegPair> pairs,
                                              const SegSetInfo& info, int64_t limit, bool train,
                                              const DataSpec& spec);

// Folder helpers for the set files.
std::vector<std::string> sorted_subfolders(const std::string& dir);  // names
std::vector<std::string> sorted_files(const std::string& dir);       // names of regular files
bool is_folder(const std::string& path);

}  // namespace espbench::data
