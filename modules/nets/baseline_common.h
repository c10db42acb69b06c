// Pieces shared by the four baseline families: their common options, the
// torchvision channel rounding, and the classifier head every one of them ends with.
#pragma once
#include <fmt/format.h>
#include <torch/nn/functional/dropout.h>
#include <torch/nn/modules/linear.h>

#include "modules/analytic.h"
#include "modules/error.h"
#include "modules/options.h"

namespace espbench::baseline {

// Appended to each family's own options.
inline OptionSchema common_options() {
  return {
      {"in_channels", OptionType::Int, 3, "image channels", {}, 1, 64},
      {"num_classes", OptionType::Int, 1000, "classifier outputs", {}, 1, 100000},
      {"small_input", OptionType::Bool, false,
       "stride-1 stem conv for 28-64 px images (the only stride removed, in every family); off = the "
       "canonical network"},
  };
}

inline OptionSchema with_common(OptionSchema own) {
  for (auto& spec : common_options()) own.push_back(std::move(spec));
  return own;
}

// torchvision's _make_divisible: nearest multiple of `divisor`, but never below 90% of v.
inline int64_t make_divisible(double v, int64_t divisor) {
  int64_t r = std::max<int64_t>(divisor, static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor);
  if (r < 0.9 * v) r += divisor;
  return r;
}

// The analytic twins need the image to match the stem.
inline void check_input(const char* model, const json& o, Shape in) {
  const int64_t expected = o.at("in_channels").get<int64_t>();
  if (in.c != expected)
    throw Error(fmt::format("model '{}': input has {} channels but option 'in_channels' is {}", model, in.c,
                            expected));
}

// Global average pool -> flatten -> [dropout] -> linear, as torchvision's heads.
inline torch::Tensor classify(const torch::Tensor& features, torch::nn::Linear& fc, double dropout,
                              bool training) {
  auto x = torch::adaptive_avg_pool2d(features, {1, 1}).flatten(1);
  if (dropout > 0)
    x = torch::nn::functional::dropout(
        x, torch::nn::functional::DropoutFuncOptions().p(dropout).training(training));
  return fc->forward(x);
}

inline void classify_analytic(Complexity& c, Shape features, int64_t num_classes, bool bias) {
  cx::linear(c, cx::global_avg_pool(c, features).c, num_classes, bias);
}

}  // namespace espbench::baseline
