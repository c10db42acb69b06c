// The geometry of segmentation samples: the same random scale, crop and flip applied to an image
// and its label map, drawn from a seed alone (as every augmentation of the loader).
//
// Every image is first taken at the split's base size (data.seg_size, whatever its file size).
// Training draws, in this order: a scale s uniform in [scale_min, scale_max] (the image is then
// base * s, rounded), the crop's left and top offsets, uniform over the positions where the crop
// lies inside the scaled image (when the scaled image is smaller than the crop along an axis, where
// the image lies inside the crop instead), and a left-right flip with p = 1/2. Image pixels outside
// the scaled image are 0 after normalisation (the mean colour), labels there kIgnoreLabel.
// Evaluation is the base size with no crop and no flip. Images are resampled with the antialiased
// bilinear filter of resample.h, labels with the nearest pixel (pixel centres).
#pragma once
#include <cstdint>

#include "harness/data/jpeg.h"
#include "harness/data/png.h"

namespace espbench::data {

struct SegGeometry {
  int base_w = 0, base_h = 0;  // the size every image is taken at
  int crop_w = 0, crop_h = 0;  // training output (with augmentation)
  double scale_min = 1.0, scale_max = 1.0;
  bool flip = false;  // flips allowed
};

// Where one sample's output window lies in the scaled image.
struct SegView {
  int scaled_w = 0, scaled_h = 0;  // the image's size after scaling
  int x = 0, y = 0;                // the output window's top-left corner in it (negative: padding)
  int out_w = 0, out_h = 0;        // the output's size
  bool flip = false;
};

SegView eval_view(const SegGeometry& g);
SegView random_view(const SegGeometry& g, uint64_t seed);

// Writes the view of `img` as normalised CHW floats (3 * out_h * out_w): raw * mul[c] + add[c].
void render_image(const RgbImage& img, const SegView& v, const float* mul, const float* add, float* out);

// Writes the view of `labels` (out_h * out_w values): each label byte mapped through `lut` (256
// entries: the class, or kIgnoreLabel), kIgnoreLabel outside the scaled image.
void render_labels(const LabelImage& labels, const SegView& v, const int64_t* lut, int64_t* out);

}  // namespace espbench::data
