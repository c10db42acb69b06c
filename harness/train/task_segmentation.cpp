// Segmentation (task.h): a label per pixel, kIgnoreLabel left out of the loss and the scores.
#include <fmt/format.h>

#include <cmath>

#include "harness/train/seg_metrics.h"
#include "harness/train/task.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

namespace F = torch::nn::functional;

std::string shape_of(const torch::Tensor& t) {
  std::string s;
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
  return "[" + s + "]";
}

// Logits [N, K, H, W] for labels [N, H, W] in [0, K) or ignored.
void check_fit(const torch::Tensor& logits, const torch::Tensor& labels) {
  const bool fits = logits.dim() == 4 && labels.dim() == 3 && logits.size(0) == labels.size(0) &&
                    logits.size(2) == labels.size(1) && logits.size(3) == labels.size(2);
  if (!fits)
    throw Error(fmt::format(
        "segmentation: the model's logits are {} for labels {}: a segmentation data set needs a model "
        "that outputs [N, classes, H, W] at the input's size (e.g. espnetv2_seg)",
        shape_of(logits), shape_of(labels)));
  const int64_t k = logits.size(1);
  if (labels.ge(k).logical_and(labels.ne(data::kIgnoreLabel)).any().item<bool>())
    throw Error(fmt::format(
        "segmentation: the model outputs {} classes but the labels hold larger class numbers: set the "
        "model's num_classes to the data set's",
        k));
}

torch::Tensor loss_sum(const torch::Tensor& logits, const torch::Tensor& labels, double label_smoothing) {
  return F::cross_entropy(logits, labels,
                          F::CrossEntropyFuncOptions()
                              .ignore_index(data::kIgnoreLabel)
                              .label_smoothing(label_smoothing)
                              .reduction(torch::kSum));
}

json iou_json(const std::vector<double>& iou) {
  json a = json::array();
  for (double v : iou) a.push_back(std::isnan(v) ? json() : json(v));
  return a;
}

class SegmentationEvaluation : public Evaluation {
 public:
  explicit SegmentationEvaluation(int64_t k) : k_(k), sums_(static_cast<size_t>(2 + k * k), 0.0) {}

  void add(const torch::Tensor& logits, const torch::Tensor& labels) override {
    check_fit(logits, labels);
    if (logits.size(1) != k_)
      throw Error(
          fmt::format("segmentation: the model outputs {} classes, the data set has {}", logits.size(1), k_));
    sums_[0] += loss_sum(logits, labels, 0.0).item<double>();
    sums_[1] += static_cast<double>(labels.ne(data::kIgnoreLabel).sum().item<int64_t>());
    add_confusion(sums_.data() + 2, logits.argmax(1), labels, k_, data::kIgnoreLabel);
  }

  std::vector<double>& sums() override { return sums_; }

  json record() const override {
    const SegScores s = scores();
    return {{"test_loss", sums_[1] > 0 ? sums_[0] / sums_[1] : 0.0},
            {"test_miou", s.miou},
            {"test_pixel_acc", s.pixel_acc},
            {"test_class_iou", iou_json(s.class_iou)}};
  }

  double primary() const override { return scores().miou; }

 private:
  SegScores scores() const { return seg_scores(std::vector<double>(sums_.begin() + 2, sums_.end()), k_); }

  int64_t k_;
  std::vector<double> sums_;  // loss, labelled pixels, confusion matrix (k * k)
};

class SegmentationTask : public Task {
 public:
  std::string name() const override { return "segmentation"; }

  // The mean over labelled pixels (0, not NaN, for a batch without any).
  torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels,
                     double label_smoothing) const override {
    check_fit(logits, labels);
    const torch::Tensor labelled = labels.ne(data::kIgnoreLabel).sum().clamp_min(1).to(logits.dtype());
    return loss_sum(logits, labels, label_smoothing) / labelled;
  }

  std::pair<int64_t, int64_t> hits(const torch::Tensor& logits, const torch::Tensor& labels) const override {
    const torch::Tensor keep = labels.ne(data::kIgnoreLabel);
    const torch::Tensor right = logits.detach().argmax(1).eq(labels).logical_and(keep);
    return {right.sum().item<int64_t>(), keep.sum().item<int64_t>()};
  }

  std::string train_accuracy_key() const override { return "train_pixel_acc"; }
  bool counts_images() const override { return false; }

  std::unique_ptr<Evaluation> evaluation(int64_t num_classes) const override {
    return std::make_unique<SegmentationEvaluation>(num_classes);
  }

  json final_fields(const json& last, double best) const override {
    return {{"test_miou", last["test_miou"]},
            {"test_pixel_acc", last["test_pixel_acc"]},
            {"test_class_iou", last["test_class_iou"]},
            {"best_test_miou", best}};
  }
};

}  // namespace

const Task& segmentation_task() {
  static const SegmentationTask task;
  return task;
}

}  // namespace espbench::train
