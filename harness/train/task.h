// What training optimises and evaluation measures, chosen by the data set's labels:
//   classification (one label per image): cross-entropy (with optional label smoothing); training
//     top-1; test loss, top-1 and top-min(5, classes) accuracy; the best epoch by test top-1.
//   segmentation (a label per pixel, Dataset::dense_labels): logits [N, K, H, W] at the labels'
//     size; cross-entropy over the pixels whose label is not kIgnoreLabel (255), no smoothing;
//     training pixel accuracy; test loss per labelled pixel, pixel accuracy and the intersection
//     over union of every class from the confusion matrix of the whole test split
//     (seg_metrics.h), their mean (mIoU) over the classes present; the best epoch by test mIoU.
// All accuracies and IoUs are percentages. The trainer (trainer.cpp), evaluate() and train_step()
// call a Task and never ask which one it is.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/data/dataset.h"
#include "modules/options.h"

namespace espbench::train {

// One pass over a test split: fed batch by batch, summed over data-parallel ranks, then read.
class Evaluation {
 public:
  virtual ~Evaluation() = default;
  virtual void add(const torch::Tensor& logits, const torch::Tensor& labels) = 0;
  // Every running sum, in place: the data-parallel path all-reduces them (float64 holds counts
  // exactly up to 2^53).
  virtual std::vector<double>& sums() = 0;
  // The test_* fields of an epoch record.
  virtual json record() const = 0;
  // The figure the best epoch is chosen by (test top-1 or test mIoU, percent).
  virtual double primary() const = 0;
};

class Task {
 public:
  virtual ~Task() = default;
  virtual std::string name() const = 0;  // "classification", "segmentation"
  // The mean training loss of a batch (differentiable). Throws espbench::Error when the model's
  // logits do not fit the labels.
  virtual torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels,
                             double label_smoothing) const = 0;
  // {correct predictions, predictions counted}: images, or labelled pixels.
  virtual std::pair<int64_t, int64_t> hits(const torch::Tensor& logits,
                                           const torch::Tensor& labels) const = 0;
  // The key of the training accuracy in epoch records (train_top1, train_pixel_acc).
  virtual std::string train_accuracy_key() const = 0;
  virtual std::unique_ptr<Evaluation> evaluation(int64_t num_classes) const = 0;
  // The task's fields of the report's `final` block, from the last epoch record and the best
  // primary figure.
  virtual json final_fields(const json& last_record, double best) const = 0;
  // Whether hits() counts images (then the data-parallel step's global image count is its count).
  virtual bool counts_images() const = 0;
};

const Task& classification_task();
const Task& segmentation_task();
// Segmentation for a set with dense labels, else classification.
const Task& task_for(const data::Dataset& dataset);

}  // namespace espbench::train
