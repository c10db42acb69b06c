// Classification (task.h): one label per image.
#include <algorithm>

#include "harness/train/task.h"

namespace espbench::train {

namespace {

namespace F = torch::nn::functional;

class ClassificationEvaluation : public Evaluation {
 public:
  explicit ClassificationEvaluation(int64_t num_classes)
      : num_classes_(num_classes), k_(std::min<int64_t>(5, num_classes)) {}

  void add(const torch::Tensor& logits, const torch::Tensor& labels) override {
    sums_[0] +=
        F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
    const torch::Tensor hit = std::get<1>(logits.topk(k_, 1)).eq(labels.unsqueeze(1));
    sums_[1] += static_cast<double>(labels.size(0));
    sums_[2] += static_cast<double>(hit.select(1, 0).sum().item<int64_t>());
    sums_[3] += static_cast<double>(hit.any(1).sum().item<int64_t>());
  }

  std::vector<double>& sums() override { return sums_; }

  json record() const override {
    json r = {{"test_loss", ratio(sums_[0], 1.0)}, {"test_top1", top1()}};
    if (num_classes_ >= 5) r["test_top5"] = ratio(sums_[3], 100.0);
    return r;
  }

  double primary() const override { return top1(); }

 private:
  double ratio(double sum, double scale) const { return sums_[1] > 0 ? scale * sum / sums_[1] : 0.0; }
  double top1() const { return ratio(sums_[2], 100.0); }

  int64_t num_classes_, k_;
  std::vector<double> sums_ = std::vector<double>(4, 0.0);  // loss, images, top-1 hits, top-k hits
};

class ClassificationTask : public Task {
 public:
  std::string name() const override { return "classification"; }

  torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels,
                     double label_smoothing) const override {
    return F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().label_smoothing(label_smoothing));
  }

  std::pair<int64_t, int64_t> hits(const torch::Tensor& logits, const torch::Tensor& labels) const override {
    return {logits.detach().argmax(1).eq(labels).sum().item<int64_t>(), labels.size(0)};
  }

  std::string train_accuracy_key() const override { return "train_top1"; }
  bool counts_images() const override { return true; }

  std::unique_ptr<Evaluation> evaluation(int64_t num_classes) const override {
    return std::make_unique<ClassificationEvaluation>(num_classes);
  }

  json final_fields(const json& last, double best) const override {
    json f = {{"test_top1", last["test_top1"]}, {"best_test_top1", best}};
    if (last.contains("test_top5")) f["test_top5"] = last["test_top5"];
    return f;
  }
};

}  // namespace

const Task& classification_task() {
  static const ClassificationTask task;
  return task;
}

const Task& task_for(const data::Dataset& dataset) {
  return dataset.dense_labels() ? segmentation_task() : classification_task();
}

}  // namespace espbench::train
