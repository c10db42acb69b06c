#include "harness/data/resample.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace espbench::data {

namespace {

// Resampling taps for one axis: output i covers [b0 + i*scale, b0 + (i+1)*scale) of the input;
// triangle filter widened by the downscale factor (antialiasing), as PIL's bilinear resize.
struct Taps {
  int width = 0;  // max taps per output
  std::vector<int> start, count;
  std::vector<float> weights;  // [out][width]
};

Taps make_taps(int in_size, double b0, double b1, int out_size) {
  Taps t;
  const double scale = (b1 - b0) / out_size;
  const double fs = std::max(scale, 1.0);
  const double support = fs;
  t.width = static_cast<int>(std::ceil(2 * support)) + 2;
  t.start.resize(out_size);
  t.count.resize(out_size);
  t.weights.assign(static_cast<size_t>(out_size) * t.width, 0.0f);
  for (int i = 0; i < out_size; ++i) {
    const double center = b0 + (i + 0.5) * scale;
    int lo = std::max(0, static_cast<int>(std::floor(center - support + 0.5)));
    int hi = std::min(in_size, static_cast<int>(std::floor(center + support + 0.5)));
    hi = std::min(hi, lo + t.width);
    if (hi <= lo) {
      lo = std::clamp(static_cast<int>(center), 0, in_size - 1);
      hi = lo + 1;
    }
    float* w = &t.weights[static_cast<size_t>(i) * t.width];
    double total = 0;
    for (int k = 0; k < hi - lo; ++k) {
      double d = std::abs((lo + k + 0.5 - center) / fs);
      w[k] = static_cast<float>(std::max(0.0, 1.0 - d));
      total += w[k];
    }
    if (total <= 0) {
      for (int k = 0; k < hi - lo; ++k) w[k] = 1.0f;
      total = hi - lo;
    }
    for (int k = 0; k < hi - lo; ++k) w[k] = static_cast<float>(w[k] / total);
    t.start[i] = lo;
    t.count[i] = hi - lo;
  }
  return t;
}

}  // namespace

// Resamples box [x0,x1)x[y0,y1) of `img` to out_w x out_h, normalises and writes CHW floats.
void resample(const RgbImage& img, double x0, double y0, double x1, double y1, int out_w, int out_h,
              bool flip, const float* mul, const float* add, float* out) {
  const Taps tx = make_taps(img.width, x0, x1, out_w);
  const Taps ty = make_taps(img.height, y0, y1, out_h);
  const int r0 = ty.start.front();
  int r1 = 0;
  for (int y = 0; y < out_h; ++y) r1 = std::max(r1, ty.start[y] + ty.count[y]);
  const size_t row_len = static_cast<size_t>(out_w) * 3;
  thread_local std::vector<float> tmp, acc;
  tmp.resize(static_cast<size_t>(r1 - r0) * row_len);
  acc.resize(row_len);
  for (int y = r0; y < r1; ++y) {
    const uint8_t* row = img.pixels.data() + static_cast<size_t>(y) * img.width * 3;
    float* t = tmp.data() + static_cast<size_t>(y - r0) * row_len;
    for (int x = 0; x < out_w; ++x) {
      const float* w = &tx.weights[static_cast<size_t>(x) * tx.width];
      const uint8_t* p = row + static_cast<size_t>(tx.start[x]) * 3;
      float r = 0, g = 0, b = 0;
      for (int k = 0; k < tx.count[x]; ++k, p += 3) {
        r += w[k] * p[0];
        g += w[k] * p[1];
        b += w[k] * p[2];
      }
      t[x * 3] = r;
      t[x * 3 + 1] = g;
      t[x * 3 + 2] = b;
    }
  }
  const size_t plane = static_cast<size_t>(out_w) * out_h;
  for (int y = 0; y < out_h; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    const float* w = &ty.weights[static_cast<size_t>(y) * ty.width];
    for (int k = 0; k < ty.count[y]; ++k) {
      const float* t = tmp.data() + static_cast<size_t>(ty.start[y] + k - r0) * row_len;
      for (size_t i = 0; i < row_len; ++i) acc[i] += w[k] * t[i];
    }
    for (int x = 0; x < out_w; ++x) {
      const int ox = flip ? out_w - 1 - x : x;
      for (int c = 0; c < 3; ++c)
        out[c * plane + static_cast<size_t>(y) * out_w + ox] = acc[x * 3 + c] * mul[c] + add[c];
    }
  }
}

}  // namespace espbench::data
