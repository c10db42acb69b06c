// Images through segmentation models to colour pictures of their labels (`infer --image ...
// --colour-png`, tests).
#pragma once
#include <ATen/core/Tensor.h>

#include <string>

#include "modules/network.h"
#include "modules/options.h"

namespace espbench::train {

// An image file (JPEG or PNG) as a segmentation model's input: float32 [1, 3, H, W], resized to
// width x height (0, 0: the file's size) and normalised as the segmentation sets do
// (data::load_model_input). `file_width`/`file_height` receive the file's size when not null.
at::Tensor image_input(const std::string& path, int width = 0, int height = 0, int* file_width = nullptr,
                       int* file_height = nullptr);

// Writes the argmax over classes of `logits` [1, K, H, W] (K <= 255) as a colour palette PNG
// (data::write_label_png), at out_width x out_height when given (nearest pixel), else at W x H.
// Returns {"output": [W, H], "num_classes": K, "pixels_per_class": [...]}. Throws espbench::Error
// naming the path for logits of another shape or too many classes.
json write_label_prediction(const at::Tensor& logits, const std::string& png_path, int out_width = 0,
                            int out_height = 0);

struct SegmentImageOptions {
  int width = 0, height = 0;  // the model's input size (0, 0: the image's own size)
  bool at_file_size = true;   // write the labels at the file's size (nearest pixel), else at the input's
};

// image_input, `model` in eval mode without gradients, write_label_prediction. Returns
// write_label_prediction's JSON with "input": [W, H] added.
json segment_image(Network& model, const std::string& image_path, const std::string& png_path,
                   const SegmentImageOptions& options = {});

}  // namespace espbench::train
