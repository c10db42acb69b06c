#include "harness/train/segment_image.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <vector>

#include "harness/data/label_image.h"
#include "modules/error.h"

namespace espbench::train {

namespace {

// Labels [h, w] -> [out_h, out_w], nearest pixel (pixel centres).
std::vector<uint8_t> resize_nearest(const std::vector<uint8_t>& src, int w, int h, int out_w, int out_h) {
  std::vector<uint8_t> out(static_cast<size_t>(out_w) * out_h);
  for (int y = 0; y < out_h; ++y) {
    const int sy = std::min(h - 1, static_cast<int>((y + 0.5) * h / out_h));
    for (int x = 0; x < out_w; ++x) {
      const int sx = std::min(w - 1, static_cast<int>((x + 0.5) * w / out_w));
      out[static_cast<size_t>(y) * out_w + x] = src[static_cast<size_t>(sy) * w + sx];
    }
  }
  return out;
}

}  // namespace

at::Tensor image_input(const std::string& path, int width, int height, int* file_width, int* file_height) {
  data::ModelInput in = data::load_model_input(path, width, height);
  if (file_width) *file_width = in.file_width;
  if (file_height) *file_height = in.file_height;
  return torch::from_blob(in.chw.data(), {1, 3, in.height, in.width}, torch::kFloat32).clone();
}

json write_label_prediction(const at::Tensor& logits, const std::string& png_path, int out_w, int out_h) {
  if (logits.dim() != 4 || logits.size(0) != 1)
    throw Error(fmt::format("{}: a label picture needs per-pixel logits [1, K, H, W], got [{}]", png_path,
                            fmt::join(logits.sizes(), ", ")));
  const int64_t k = logits.size(1);
  if (k > 255) throw Error(fmt::format("{}: {} classes do not fit a palette PNG (at most 255)", png_path, k));
  const int h = static_cast<int>(logits.size(2)), w = static_cast<int>(logits.size(3));
  const at::Tensor pred = logits[0].argmax(0).to(torch::kCPU, torch::kUInt8).contiguous();
  std::vector<uint8_t> labels(pred.data_ptr<uint8_t>(), pred.data_ptr<uint8_t>() + pred.numel());
  if (out_w > 0 && out_h > 0 && (out_w != w || out_h != h))
    labels = resize_nearest(labels, w, h, out_w, out_h);
  else
    out_w = w, out_h = h;
  data::write_label_png(png_path, labels.data(), out_w, out_h, k);
  std::vector<int64_t> counts(static_cast<size_t>(k), 0);
  for (uint8_t v : labels) ++counts[v];
  return {{"output", {out_w, out_h}}, {"num_classes", k}, {"pixels_per_class", counts}};
}

json segment_image(Network& model, const std::string& image_path, const std::string& png_path,
                   const SegmentImageOptions& o) {
  int file_w = 0, file_h = 0;
  const at::Tensor x = image_input(image_path, o.width, o.height, &file_w, &file_h);
  const bool was_training = model.is_training();
  const torch::Device device =
      model.parameters().empty() ? torch::Device(torch::kCPU) : model.parameters().front().device();
  at::Tensor logits;
  {
    torch::NoGradGuard no_grad;
    model.eval();
    logits = model.forward(x.to(device));
    model.train(was_training);
  }
  const int64_t h = x.size(2), w = x.size(3);
  if (logits.dim() != 4 || logits.size(2) != h || logits.size(3) != w)
    throw Error(fmt::format("{}: the model's output [{}] is not per-pixel logits [1, K, {}, {}]", image_path,
                            fmt::join(logits.sizes(), ", "), h, w));
  json r = write_label_prediction(logits, png_path, o.at_file_size ? file_w : 0, o.at_file_size ? file_h : 0);
  r["input"] = {w, h};
  return r;
}

}  // namespace espbench::train
