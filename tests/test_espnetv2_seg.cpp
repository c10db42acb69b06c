// espnetv2_seg against the official segmentation network (EdgeNets model/segmentation/espnetv2.py):
// exact counts, output shapes, decoder widths, block variants, --fast equal to the plain network,
// clone(), one-line option errors.
#include <catch2/catch.hpp>

#include "harness/complexity/counter.h"
#include "harness/complexity/measure.h"
#include "modules/blocks/seg_decoder.h"
#include "modules/inference/fast_model.h"
#include "modules/inference/fast_seg_decoder.h"
#include "modules/kernels/dispatch.h"
#include "modules/kernels/pyramid_pool.h"
#include "modules/nets/espnetv2_seg.h"
#include "tests/test_support.h"

using namespace espbench;

TEST_CASE("espnetv2_seg s=1, 20 classes at 3x256x512: the official parameter and conv MAC counts", "[seg]") {
  MeasureRequest req;
  req.input = {1, 3, 256, 512};
  const json r = measure_complexity(ModelSpec{"espnetv2_seg", {{"scale", 1.0}, {"num_classes", 20}}}, req);
  // The official model code, counted as its Conv2d-only counter counts (without bias adds).
  REQUIRE(r["params"] == 234010);
  REQUIRE(r["macs"]["conv"] == 271333354);
  REQUIRE(r["macs"]["linear"] == 0);
  REQUIRE(r["analytic"]["agrees"] == true);
  // The three strided EESP branches' output PReLUs (32 + 64 + 128 slopes) never run.
  REQUIRE(r["params_unused"] == 224);
}

TEST_CASE("espnetv2_seg: per-pixel scores at the input size, odd sizes and batches included", "[seg]") {
  torch::NoGradGuard no_grad;
  const auto [h, w] = GENERATE(std::make_pair(64, 128), std::make_pair(97, 83), std::make_pair(50, 30));
  CAPTURE(h, w);
  auto net = test::build("espnetv2_seg", {{"scale", 0.5}, {"num_classes", 21}});
  net->eval();
  REQUIRE(net->forward(torch::randn({2, 3, h, w})).sizes() == torch::IntArrayRef({2, 21, h, w}));
  const ResolvedModel m = resolve_model({"espnetv2_seg", {{"scale", 0.5}, {"num_classes", 21}}});
  const CountResult r = count_complexity(*net, {1, 3, h, w});
  const Complexity a = m.entry->analytic(m.options, {3, h, w});
  REQUIRE(a.conv_macs == r.per_image.conv_macs);
  REQUIRE(a.elementwise_ops == r.per_image.elementwise_ops);
}

TEST_CASE("espnetv2_seg decoder widths and the pyramid's branch sizes follow the official rules", "[seg]") {
  const auto w = espnetv2_seg_decoder_widths({{"decoder_planes", 32}, {"num_classes", 81}});
  REQUIRE(w.d == std::array<int64_t, 4>{128, 96, 64, 81});
  REQUIRE(w.proj == 32);
  REQUIRE(espnetv2_seg_decoder_widths({{"decoder_planes", 16}, {"num_classes", 20}}).proj == 10);
  // ceil(n * scale) in double precision, at least 5: 30 * 0.1 is 3.0000000000000004 there.
  REQUIRE(PyramidPoolImpl::branch_size(30, 0.1) == 5);
  REQUIRE(PyramidPoolImpl::branch_size(64, 0.1) == 7);
  REQUIRE(PyramidPoolImpl::branch_size(32, 1.5) == 48);
  REQUIRE(PyramidPoolImpl::branch_size(3, 2.0) == 6);
  // The last pyramid unit ends in the class scores: a biased 1x1 conv, no BN + PReLU after it.
  auto net = std::dynamic_pointer_cast<ESPNetv2Seg>(test::build("espnetv2_seg"));
  REQUIRE(net);
  REQUIRE(!net->bu_dec_l4->br);
  REQUIRE(net->bu_dec_l4->merge_pw().bias.defined());
  REQUIRE(net->bu_dec_l3->br);
  REQUIRE(!net->bu_dec_l3->merge_pw().bias.defined());
  // Official module names (the weight file's keys without base_net. and with CBR's cbr.N as conv/bn/act).
  const auto params = net->named_parameters();
  for (const char* key :
       {"level4.6.conv_1x1_exp.conv.weight", "bu_dec_l1.stages.4.weight", "bu_dec_l1.merge_layer.0.bn.weight",
        "bu_dec_l1.merge_layer.2.conv.weight", "bu_dec_l4.merge_layer.3.bias", "bu_dec_l2.br.act.weight",
        "merge_enc_dec_l4.wt_layer.1.weight", "merge_enc_dec_l2.expansion_layer.act.weight",
        "bu_br_l3.0.weight", "bu_br_l3.1.weight"})
    REQUIRE(params.contains(key));
  REQUIRE(!params.contains("level5_0.act.weight"));
  REQUIRE(!params.contains("classifier.weight"));
}

TEST_CASE("espnetv2_seg takes every block of the trunk: eesp_a and esp build, run and count", "[seg]") {
  torch::NoGradGuard no_grad;
  const std::string block = GENERATE("eesp_a", "esp");
  CAPTURE(block);
  const json options = {{"scale", 0.5}, {"block", block}};
  auto net = test::build("espnetv2_seg", options);
  net->eval();
  REQUIRE(net->forward(torch::randn({1, 3, 64, 96})).sizes() == torch::IntArrayRef({1, 20, 64, 96}));
  const ResolvedModel m = resolve_model({"espnetv2_seg", options});
  const CountResult r = count_complexity(*net, {1, 3, 64, 96});
  const Complexity a = m.entry->analytic(m.options, {3, 64, 96});
  REQUIRE(a.params == r.per_image.params);
  REQUIRE(a.conv_macs == r.per_image.conv_macs);
  REQUIRE(a.elementwise_ops == r.per_image.elementwise_ops);
  REQUIRE(m.entry->never_run(m.options).empty());
}

TEST_CASE("espnetv2_seg --fast equals the plain network; its clone() too", "[seg][latency]") {
  const std::string parts = GENERATE("fold_bn", "eesp_kernel", "fold_bn,fuse", "default", "all");
  // in_channels 1 and 5: the reinforcement's fused epilogue (up to 4 image channels) and its fallback.
  const json options =
      GENERATE(json{{"scale", 0.5}}, json{{"scale", 2.0}, {"num_classes", 21}},
               json{{"scale", 1.0}, {"block", "eesp_a"}}, json{{"scale", 0.5}, {"in_channels", 1}},
               json{{"scale", 0.5}, {"in_channels", 5}});
  CAPTURE(parts, options.dump());
  torch::manual_seed(31);
  const ResolvedModel m = resolve_model(ModelSpec{"espnetv2_seg", options});
  NetworkPtr plain = build_model(m);
  test::randomize_inference_state(*plain, 32);
  plain->eval();
  const auto before = test::module_state(*plain);
  const FastResult fast = make_fast(m, *plain, parse_fast_parts(parts));
  REQUIRE(test::same_state(before, test::module_state(*plain)));
  // clone() needs the fused network (fuse): a strided unit whose branch eesp_kernel replaced cannot
  // clone itself (LibTorch's Cloneable rebuilds the plain branch first), in espnetv2 as here.
  const bool fused = fast.applied.dump().find("fuse") != std::string::npos;
  REQUIRE(fused == (parts != "fold_bn" && parts != "eesp_kernel"));
  auto copy = fused ? std::dynamic_pointer_cast<Network>(fast.net->clone()) : NetworkPtr();
  REQUIRE((copy || !fused));
  const int64_t c = m.options.at("in_channels").get<int64_t>();
  for (const auto& shape : {std::vector<int64_t>{1, c, 64, 128}, std::vector<int64_t>{2, c, 45, 61}}) {
    const auto x = torch::randn(shape);
    c10::InferenceMode guard;
    const auto expected = plain->forward(x);
    const auto xf = fast.channels_last ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
    const auto y = fast.net->forward(xf);
    test::require_close(y, expected, 1e-4, "--fast=" + parts);
    if (copy) REQUIRE(torch::equal(copy->forward(xf), y));
  }
}

TEST_CASE("espnetv2_seg: bad options fail with one line naming the option", "[seg]") {
  auto error = [](const json& o) { return test::error_of([&] { resolve_model({"espnetv2_seg", o}); }); };
  REQUIRE_THAT(error({{"r_lim", {13, 11, 9, 7, 5}}}), Catch::Contains("'r_lim' needs 4 values"));
  REQUIRE_THAT(error({{"repeats", {3, 7, 3}}}), Catch::Contains("'repeats' needs 2 values"));
  REQUIRE_THAT(error({{"num_classes", 1}}), Catch::Contains("num_classes"));
  REQUIRE_THAT(error({{"decoder_planes", 0}}), Catch::Contains("decoder_planes"));
  REQUIRE_THAT(error({{"branches", 3}}), Catch::Contains("espnetv2_seg") && Catch::Contains("level2_0"));
}

TEST_CASE("the decoder's resize kernel equals LibTorch's aligned-corners bilinear resize", "[seg]") {
  torch::manual_seed(33);
  const auto [h, w, oh, ow] = GENERATE(std::make_tuple(16, 32, 31, 64), std::make_tuple(5, 7, 17, 40),
                                       std::make_tuple(40, 37, 13, 11), std::make_tuple(1, 9, 4, 1),
                                       std::make_tuple(64, 128, 64, 128), std::make_tuple(3, 100, 6, 301));
  CAPTURE(h, w, oh, ow);
  const auto x = torch::randn({2, 3, h, w});
  test::require_close(fast_resize_bilinear(x, oh, ow), resize_bilinear(x, oh, ow), 1e-5, "resize");
}

TEST_CASE("espnetv2_seg --fast equals the plain network under every kernel build the CPU runs",
          "[seg][kernels]") {
  const kernels::Isa isa = GENERATE(from_range(kernels::runnable_isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(34);
  const ResolvedModel m = resolve_model(ModelSpec{"espnetv2_seg", {{"scale", 1.0}}});
  NetworkPtr plain = build_model(m);
  test::randomize_inference_state(*plain, 35);
  plain->eval();
  const FastResult fast = make_fast(m, *plain, parse_fast_parts("default"));
  const auto x = torch::randn({1, 3, 70, 134});
  c10::InferenceMode guard;
  test::require_close(fast.net->forward(x), plain->forward(x), 1e-4, "--fast");
  const auto y = torch::randn({1, 4, 9, 21});
  test::require_close(fast_resize_bilinear(y, 40, 77), resize_bilinear(y, 40, 77), 1e-5, "resize");
}

TEST_CASE("pyramid_branches equals resize, depth-wise conv and adaptive pooling composed in LibTorch",
          "[seg][kernels]") {
  const kernels::Isa isa = GENERATE(from_range(kernels::runnable_isas()));
  kernels::ScopedIsa scoped(isa);
  INFO("ISA " << kernels::isa_name(isa));
  torch::manual_seed(36);
  // (h, w) and per branch (kind, hs, ws): the pyramid's own sizes, and an up branch whose working
  // size is smaller than the map (not one the pyramid makes; the kernel's streamed fallback).
  using K = kernels::BranchKind;
  struct Case {
    int64_t h, w;
    std::vector<K> kinds;
    std::vector<int64_t> sizes;
  };
  for (const Case& c :
       {Case{12, 20, {K::Up, K::Up, K::Same, K::Down, K::Down}, {24, 40, 18, 30, 12, 20, 6, 10, 5, 5}},
        Case{20, 9, {K::Up, K::Down}, {6, 7, 5, 12}}}) {
    CAPTURE(c.h, c.w);
    const int64_t n = 2, ch = 3, br = static_cast<int64_t>(c.kinds.size());
    const auto x = torch::randn({n, ch, c.h, c.w});
    const auto wt = torch::randn({br, ch, 1, 3, 3});
    auto out = torch::empty({n, br, ch, c.h, c.w});
    kernels::PyramidBranchesArgs a;
    a.in = x.data_ptr<float>();
    a.batch = n, a.channels = ch, a.h = c.h, a.w = c.w, a.branches = br;
    a.kinds = c.kinds.data();
    a.sizes = c.sizes.data();
    a.weight = wt.data_ptr<float>();
    a.out = out.data_ptr<float>();
    kernels::pyramid_branches(a);
    for (int64_t i = 0; i < br; ++i) {
      const int64_t hs = c.sizes[2 * i], ws = c.sizes[2 * i + 1];
      auto dw = [&](const torch::Tensor& t) { return torch::conv2d(t, wt[i], {}, 1, 1, 1, ch); };
      torch::Tensor ref;
      if (c.kinds[i] == K::Up)
        ref = torch::adaptive_avg_pool2d(dw(resize_bilinear(x, hs, ws)), {c.h, c.w});
      else if (c.kinds[i] == K::Down)
        ref = resize_bilinear(dw(torch::adaptive_avg_pool2d(x, {hs, ws})), c.h, c.w);
      else
        ref = dw(x);
      test::require_close(out.select(1, i), ref, 1e-5, "branch " + std::to_string(i));
    }
  }
}
