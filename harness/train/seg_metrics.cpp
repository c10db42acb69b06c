#include "harness/train/seg_metrics.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace espbench::train {

SegScores seg_scores(const std::vector<double>& cm, int64_t k) {
  SegScores s;
  s.class_iou.assign(static_cast<size_t>(k), std::numeric_limits<double>::quiet_NaN());
  double trace = 0.0, total = 0.0, iou_sum = 0.0;
  for (int64_t c = 0; c < k; ++c) {
    double row = 0.0, col = 0.0;
    for (int64_t j = 0; j < k; ++j) {
      row += cm[static_cast<size_t>(c * k + j)];
      col += cm[static_cast<size_t>(j * k + c)];
    }
    const double tp = cm[static_cast<size_t>(c * k + c)];
    trace += tp;
    total += row;
    const double uni = row + col - tp;
    if (uni <= 0.0) continue;
    s.class_iou[static_cast<size_t>(c)] = 100.0 * tp / uni;
    iou_sum += s.class_iou[static_cast<size_t>(c)];
    ++s.classes_scored;
  }
  s.miou = s.classes_scored > 0 ? iou_sum / static_cast<double>(s.classes_scored) : 0.0;
  s.pixel_acc = total > 0.0 ? 100.0 * trace / total : 0.0;
  return s;
}

void add_confusion(double* cm, const torch::Tensor& predictions, const torch::Tensor& labels, int64_t k,
                   int64_t ignore) {
  const torch::Tensor keep = labels.ne(ignore);
  const torch::Tensor index = labels.masked_select(keep) * k + predictions.masked_select(keep);
  if (index.numel() == 0) return;
  const torch::Tensor counts = torch::bincount(index, {}, k * k).to(torch::kCPU).contiguous();
  const int64_t* p = counts.data_ptr<int64_t>();
  for (int64_t i = 0; i < k * k; ++i) cm[i] += static_cast<double>(p[i]);
}

}  // namespace espbench::train
