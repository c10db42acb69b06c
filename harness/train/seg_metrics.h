// Segmentation scores from a confusion matrix (rows: labelled class, columns: predicted class,
// pixels whose label is ignored left out), as the Cityscapes and PASCAL VOC benchmarks define them:
//   IoU of class c = TP / (TP + FP + FN) = cm[c][c] / (row c + column c - cm[c][c]);
//   mIoU = the mean IoU over the classes that occur in the labels or the predictions (a class absent
//          from both has no IoU: NaN, null in reports);
//   pixel accuracy = trace / all labelled pixels.
// Percentages.
#pragma once
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace espbench::train {

struct SegScores {
  std::vector<double> class_iou;  // per class, percent; NaN where the class has no pixels at all
  double miou = 0.0;              // percent; 0 when no class has an IoU
  double pixel_acc = 0.0;         // percent; 0 without labelled pixels
  int64_t classes_scored = 0;     // classes in the mean
};

// `confusion` holds k * k counts, confusion[label * k + prediction].
SegScores seg_scores(const std::vector<double>& confusion, int64_t k);

// Adds the pixels of one batch to `confusion` (k * k counts): `predictions` and `labels` are int64
// tensors of one shape, labels in [0, k) or `ignore` (left out). Any device.
void add_confusion(double* confusion, const torch::Tensor& predictions, const torch::Tensor& labels,
                   int64_t k, int64_t ignore);

}  // namespace espbench::train
