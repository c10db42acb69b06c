#include "harness/data/seg_transform.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "harness/data/dataset.h"
#include "harness/data/random.h"
#include "harness/data/resample.h"

namespace espbench::data {

namespace {

// Offset of an `out`-long window on a `scaled`-long axis: inside it, or holding it.
int draw_offset(int scaled, int out, Rng& rng) {
  if (scaled >= out) return static_cast<int>(rng.below(static_cast<uint64_t>(scaled - out + 1)));
  return -static_cast<int>(rng.below(static_cast<uint64_t>(out - scaled + 1)));
}

// The part of the output window covered by the scaled image, in window coordinates: [x0, x1).
struct Span {
  int lo = 0, hi = 0;
};

Span covered(int offset, int out, int scaled) {
  return {std::clamp(-offset, 0, out), std::clamp(scaled - offset, 0, out)};
}

// Nearest source pixel of window position i (pixel centres) along one axis.
int source_index(int offset, int i, int scaled, int size) {
  const double s = (static_cast<double>(offset + i) + 0.5) * size / scaled;
  return std::clamp(static_cast<int>(std::floor(s)), 0, size - 1);
}

}  // namespace

SegView eval_view(const SegGeometry& g) {
  SegView v;
  v.scaled_w = v.out_w = g.base_w;
  v.scaled_h = v.out_h = g.base_h;
  return v;
}

SegView random_view(const SegGeometry& g, uint64_t seed) {
  Rng rng(seed);
  const double s = rng.uniform(g.scale_min, g.scale_max);
  SegView v;
  v.scaled_w = std::max(1, static_cast<int>(std::lround(g.base_w * s)));
  v.scaled_h = std::max(1, static_cast<int>(std::lround(g.base_h * s)));
  v.out_w = g.crop_w;
  v.out_h = g.crop_h;
  v.x = draw_offset(v.scaled_w, v.out_w, rng);
  v.y = draw_offset(v.scaled_h, v.out_h, rng);
  v.flip = g.flip && (rng.next() >> 63) != 0;
  return v;
}

void render_image(const RgbImage& img, const SegView& v, const float* mul, const float* add, float* out) {
  const size_t plane = static_cast<size_t>(v.out_w) * v.out_h;
  std::fill(out, out + 3 * plane, 0.0f);
  const Span sx = covered(v.x, v.out_w, v.scaled_w), sy = covered(v.y, v.out_h, v.scaled_h);
  const int w = sx.hi - sx.lo, h = sy.hi - sy.lo;
  if (w <= 0 || h <= 0) return;
  const double fx = static_cast<double>(img.width) / v.scaled_w;
  const double fy = static_cast<double>(img.height) / v.scaled_h;
  thread_local std::vector<float> tmp;
  tmp.resize(3 * static_cast<size_t>(w) * h);
  resample(img, (v.x + sx.lo) * fx, (v.y + sy.lo) * fy, (v.x + sx.hi) * fx, (v.y + sy.hi) * fy, w, h,
           /*flip=*/false, mul, add, tmp.data());
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < h; ++y) {
      const float* src = tmp.data() + (static_cast<size_t>(c) * h + y) * w;
      float* dst = out + c * plane + static_cast<size_t>(sy.lo + y) * v.out_w;
      for (int x = 0; x < w; ++x) dst[v.flip ? v.out_w - 1 - (sx.lo + x) : sx.lo + x] = src[x];
    }
}

void render_labels(const LabelImage& labels, const SegView& v, const int64_t* lut, int64_t* out) {
  std::fill(out, out + static_cast<size_t>(v.out_w) * v.out_h, kIgnoreLabel);
  const Span sx = covered(v.x, v.out_w, v.scaled_w), sy = covered(v.y, v.out_h, v.scaled_h);
  if (sx.hi <= sx.lo || sy.hi <= sy.lo) return;
  std::vector<int> cols(static_cast<size_t>(sx.hi - sx.lo));
  for (int x = sx.lo; x < sx.hi; ++x) cols[x - sx.lo] = source_index(v.x, x, v.scaled_w, labels.width);
  for (int y = sy.lo; y < sy.hi; ++y) {
    const uint8_t* row = labels.values.data() +
                         static_cast<size_t>(source_index(v.y, y, v.scaled_h, labels.height)) * labels.width;
    int64_t* dst = out + static_cast<size_t>(y) * v.out_w;
    for (int x = sx.lo; x < sx.hi; ++x) dst[v.flip ? v.out_w - 1 - x : x] = lut[row[cols[x - sx.lo]]];
  }
}

}  // namespace espbench::data
