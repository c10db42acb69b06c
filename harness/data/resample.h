// Antialiased bilinear resampling of a decoded RGB image, straight from a box of the image into
// normalised float32 CHW (image folders and segmentation sets).
#pragma once
#include "harness/data/jpeg.h"  // RgbImage

namespace espbench::data {

// Resamples box [x0,x1)x[y0,y1) of `img` (pixel coordinates, fractional allowed) to out_w x out_h
// and writes channel c of output pixel (x, y) to out[c * out_w * out_h + y * out_w + x] as
// raw * mul[c] + add[c] (raw in 0..255), mirrored left-right with `flip`. The filter is a triangle
// widened by the downscale factor (antialiasing), as PIL's bilinear resize; at scale 1 on whole
// pixels it copies the pixels.
void resample(const RgbImage& img, double x0, double y0, double x1, double y1, int out_w, int out_h,
              bool flip, const float* mul, const float* add, float* out);

}  // namespace espbench::data
