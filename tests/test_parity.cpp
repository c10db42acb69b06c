// Parity with the official network: the shipped EdgeNets weights (tests/fixtures/edgenets/) loaded
// into espbench's models give the official PyTorch outputs, plain and --fast (the same through
// `espbench infer`: tests/test_weights_cli.cpp).
#include <catch2/catch.hpp>

#include "harness/weights/infer.h"
#include "harness/weights/npy.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::weights;

namespace {

std::string fixture(const std::string& suffix) {
  return test::source_dir() + "/tests/fixtures/edgenets/espnetv2_s_1.0_city_512x256" + suffix;
}

InferResult infer(const std::string& model, const json& options, const std::string& fast,
                  const std::string& layer, bool allow_missing) {
  InferRequest r;
  r.model = ModelSpec{model, options};
  r.weights = fixture(".pth");
  r.allow_missing = allow_missing;
  r.fast = fast;
  r.input = fixture(".input.npy");
  r.layer = layer;
  return run_infer(r);
}

}  // namespace

TEST_CASE("official weights: espnetv2's level-4 output equals the official trunk's, plain and --fast",
          "[parity]") {
  const torch::Tensor expected = read_npy(fixture(".encoder.npy"));
  REQUIRE(expected.sizes() == torch::IntArrayRef({1, 256, 4, 8}));
  // The classifier's width does not matter: level 5 and the classifier are not in the file.
  for (const json& options : {json::object(), json{{"num_classes", 20}}})
    for (const std::string fast : {"", "default", "fold_bn", "fold_bn,eesp_kernel"}) {
      const InferResult r = infer("espnetv2", options, fast, "level4", true);
      CAPTURE(options.dump(), fast);
      REQUIRE(r.load.loaded == 361);
      test::require_close(r.output, expected, 1e-4, "level4 vs official, fast='" + fast + "'");
      WARN("espnetv2 level4 vs official (fast='" << fast << "'): max rel error "
                                                 << test::max_rel_error(r.output, expected));
    }
}

TEST_CASE("official weights: espnetv2_seg's logits equal the official network's, strict, plain and --fast",
          "[parity]") {
  if (!model_registry().find("espnetv2_seg")) {
    WARN("ESPBENCH-SKIPPED: model espnetv2_seg is not registered");
    return;
  }
  const torch::Tensor expected = read_npy(fixture(".seg.npy"));
  for (const std::string fast : {"", "default"}) {
    const InferResult r = infer("espnetv2_seg", {{"num_classes", 20}}, fast, "", false);
    CAPTURE(fast);
    REQUIRE(r.load.missing.empty());
    REQUIRE(r.load.unexpected.empty());
    test::require_close(r.output, expected, 1e-4, "logits vs official, fast='" + fast + "'");
    WARN("espnetv2_seg logits vs official (fast='" << fast << "'): max rel error "
                                                   << test::max_rel_error(r.output, expected));
  }
}
