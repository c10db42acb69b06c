// Every extension point, end to end, with registrations made here in the test binary: a toy data
// set trained on, a toy schedule, a toy block whose toy fast form the --fast transform applies,
// and the duplicate-name error of every registry. The toys are registered for one test case only
// (ScopedRegistration), so the registry-wide tests elsewhere never see them.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "harness/data/dataset.h"
#include "harness/data/loader.h"
#include "harness/train/run_config.h"
#include "harness/train/schedule.h"
#include "harness/train/trainer.h"
#include "modules/block_network.h"
#include "modules/error.h"
#include "modules/inference/fast_forms.h"
#include "modules/inference/fast_model.h"
#include "tests/test_support.h"

using namespace espbench;

namespace {

// --- A toy data set: 1x16x16 images, class = which half of the image is bright. ---------------

class HalvesDataset : public data::Dataset {
 public:
  explicit HalvesDataset(int64_t n) : n_(n) {}
  int64_t size() const override { return n_; }
  int64_t full_size() const override { return n_; }
  int64_t num_classes() const override { return 2; }
  int64_t channels() const override { return 1; }
  int64_t height() const override { return 16; }
  int64_t width() const override { return 16; }
  data::Normalization normalization() const override { return {{0.5}, {0.5}}; }
  bool has_augmentation() const override { return false; }
  json augmentation() const override { return json::object(); }
  int64_t get(int64_t index, bool, uint64_t, float* out) const override {
    const int64_t label = index % 2;
    for (int64_t y = 0; y < 16; ++y)
      for (int64_t x = 0; x < 16; ++x) out[y * 16 + x] = ((x < 8) == (label == 0)) ? 1.0f : -1.0f;
    return label;
  }
  int64_t label(int64_t index) const override { return index % 2; }

 private:
  int64_t n_;
};

data::DataSetEntry halves_entry() {
  data::DataSetEntry e;
  e.name = "test-halves";
  e.description = "test only: bright left or right half";
  e.list_rank = 100;
  e.validate = [](const data::DataSpec& s) {
    if (s.limit_train == 3) throw Error("data set 'test-halves': limit_train 3 is refused (test)");
  };
  e.open = [](const data::DataSpec& s, const std::string&) {
    data::DataSplits d;
    d.name = "test-halves";
    d.train = std::make_shared<HalvesDataset>(s.limit_train > 0 ? s.limit_train : 64);
    d.test = std::make_shared<HalvesDataset>(s.limit_test > 0 ? s.limit_test : 32);
    return d;
  };
  return e;
}

// --- A toy schedule: linear decay to zero over the run. ---------------------------------------

train::ScheduleEntry linear_entry() {
  train::ScheduleEntry e;
  e.name = "test-linear";
  e.description = "test only: linear decay to end_factor * base lr";
  e.list_rank = 100;
  e.options = {
      {"end_factor", OptionType::Float, 0.0, "lr at the end, as a fraction of the base lr", {}, 0.0, 1.0}};
  e.make = [](train::ScheduleSettings& s) -> train::LRFunction {
    const double base = s.base_lr, end = s.options["end_factor"].get<double>();
    return [=](const train::TrainingProgress& p) { return base * (1.0 - (1.0 - end) * p.fraction()); };
  };
  return e;
}

// --- A toy block (1x1 convolution + PReLU) and its toy fast form (the same, BN-free, in one call).

class ToyBlockImpl : public torch::nn::Cloneable<ToyBlockImpl> {
 public:
  explicit ToyBlockImpl(BlockArgs a) : args(std::move(a)) { reset(); }
  void reset() override {
    conv = register_module(
        "conv",
        torch::nn::Conv2d(
            torch::nn::Conv2dOptions(args.in_channels, args.out_channels, 1).stride(args.stride).bias(true)));
    act =
        register_module("act", torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(args.out_channels)));
  }
  torch::Tensor forward(const torch::Tensor& x) { return act->forward(conv->forward(x)); }
  BlockArgs args;
  torch::nn::Conv2d conv{nullptr};
  torch::nn::PReLU act{nullptr};
};
TORCH_MODULE(ToyBlock);

class ToyFastImpl : public torch::nn::Cloneable<ToyFastImpl> {
 public:
  explicit ToyFastImpl(const ToyBlockImpl& plain)
      : weight(plain.conv->weight.detach()),
        bias(plain.conv->bias.detach()),
        alpha(plain.act->weight.detach()),
        stride(plain.args.stride) {
    reset();
  }
  void reset() override {
    weight = register_buffer("weight", weight.clone());
    bias = register_buffer("bias", bias.clone());
    alpha = register_buffer("alpha", alpha.clone());
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return torch::prelu(torch::conv2d(x, weight, bias, stride), alpha);
  }
  torch::Tensor weight, bias, alpha;
  int64_t stride = 1;
};
TORCH_MODULE(ToyFast);

BlockEntry toy_block_entry() {
  BlockEntry e;
  e.name = "test_toy";
  e.description = "test only: 1x1 convolution + PReLU";
  e.build = [](const BlockArgs& a) { return torch::nn::AnyModule(ToyBlock(a)); };
  e.analytic = [](Complexity& c, const BlockArgs& a, Shape in) {
    return cx::prelu(c, cx::conv(c, in, a.out_channels, 1, a.stride, 0, 1, 1, true));
  };
  return e;
}

FastFormEntry toy_fast_entry() {
  FastFormEntry e;
  e.name = "test_toy";
  e.description = "test only: the toy block as one conv2d + prelu";
  e.build = [](const torch::nn::AnyModule& block, const FastFormArgs&) {
    const auto* plain = block.ptr()->as<ToyBlockImpl>();
    return plain ? torch::nn::AnyModule(ToyFast(*plain)) : torch::nn::AnyModule();
  };
  return e;
}

template <typename Impl>
int64_t count_of(torch::nn::Module& net) {
  int64_t n = 0;
  for (const auto& m : net.modules()) n += m->as<Impl>() != nullptr;
  return n;
}

}  // namespace

TEST_CASE("a second entry under a taken name is an error naming the registry, the name and the first",
          "[registry]") {
  SECTION("every registry refuses a duplicate through try_add") {
    auto dup = [](auto& registry, const std::string& name) {
      auto entry = registry.at(name);
      INFO(registry.kind() << " " << name);
      REQUIRE_THROWS_WITH(
          registry.try_add(entry, "tests/test_registry.cpp"),
          Catch::Contains(registry.kind() + " registry") && Catch::Contains("'" + name + "'") &&
              Catch::Contains("tests/test_registry.cpp") && Catch::Contains(registry.origin(name)));
      REQUIRE(!registry.origin(name).empty());
    };
    dup(model_registry(), "espnetv2");
    dup(block_registry(), "eesp");
    dup(data::data_set_registry(), "fashion-mnist");
    dup(train::schedule_registry(), "cyclic");
    dup(fast_form_registry(), "eesp");
    dup(fused_network_registry(), "espnetv2");
    REQUIRE(block_registry().origin("eesp").find("modules/blocks/eesp.cpp") != std::string::npos);
  }
  SECTION("from a static initialiser (add): every later use of the registry throws the error") {
    Registry<train::ScheduleEntry> r("lr schedule", "schedules");
    train::ScheduleEntry e = linear_entry();
    REQUIRE(r.add(e, "first.cpp:1"));
    REQUIRE_FALSE(r.add(e, "second.cpp:2"));
    const std::string error = test::error_of([&] { r.names(); });
    CAPTURE(error);
    REQUIRE(error.find("lr schedule registry") != std::string::npos);
    REQUIRE(error.find("'test-linear'") != std::string::npos);
    REQUIRE(error.find("first.cpp:1") != std::string::npos);
    REQUIRE(error.find("second.cpp:2") != std::string::npos);
    REQUIRE_THROWS_AS(r.at("test-linear"), Error);
    REQUIRE_THROWS_AS(r.all(), Error);
  }
  SECTION("an unknown name lists the valid ones; a scoped registration leaves no trace") {
    REQUIRE_THROWS_WITH(fast_form_registry().at("eesq"), Catch::Contains("unknown fast form 'eesq'") &&
                                                             Catch::Contains("did you mean 'eesp'"));
    {
      ScopedRegistration<BlockEntry> toy(block_registry(), toy_block_entry());
      REQUIRE(block_registry().find("test_toy"));
    }
    REQUIRE_FALSE(block_registry().find("test_toy"));
  }
}

TEST_CASE("a data set registered in one place is opened by name, listed, loaded and trained on",
          "[registry][data]") {
  ScopedRegistration<data::DataSetEntry> reg(data::data_set_registry(), halves_entry());
  REQUIRE(data::data_set_names().back() == "test-halves");
  data::DataSpec spec;
  spec.name_or_path = "test-halves";
  spec.limit_train = 40;
  data::DataSplits d = data::open_data(spec);
  REQUIRE(d.train->size() == 40);
  data::LoaderOptions o;
  o.batch_size = 16;
  o.workers = 0;
  data::Loader loader(d.train, o);
  loader.start_epoch(0);
  data::Batch b;
  REQUIRE(loader.next(b));
  REQUIRE(b.images.sizes().vec() == std::vector<int64_t>{16, 1, 16, 16});
  spec.limit_train = 3;
  REQUIRE_THROWS_WITH(data::open_data(spec), Catch::Contains("limit_train 3"));
  spec.name_or_path = "test-halvs";
  REQUIRE_THROWS_WITH(data::open_data(spec),
                      Catch::Contains("did you mean 'test-halves'") && Catch::Contains("voc, test-halves"));

  test::TempDir tmp;
  const json config = {
      {"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}, {"small_input", true}}}}},
      {"data", {{"name", "test-halves"}, {"limit_train", 64}, {"limit_test", 32}}},
      {"train", {{"epochs", 1}, {"batch_size", 16}, {"lr", 0.01}, {"schedule", "constant"}, {"workers", 0}}},
      {"runtime", {{"threads", 1}, {"seed", 3}}}};
  const train::RunConfig cfg = train::resolve_run_config(config, "toy.json");
  train::TrainOptions quiet;
  quiet.progress.mode = train::ProgressOptions::Mode::Quiet;
  const json report = train::train_run(cfg, (tmp.path / "run").string(), quiet);
  REQUIRE(report["status"] == "done");
  REQUIRE(report["epochs"].size() == 1);
  REQUIRE(report["data"]["name"] == "test-halves");
}

TEST_CASE("a schedule registered in one place is built, validated and described by the schedule API",
          "[registry][schedule]") {
  ScopedRegistration<train::ScheduleEntry> reg(train::schedule_registry(), linear_entry());
  REQUIRE(train::schedule_names().back() == "test-linear");
  const train::LRSchedule s = train::make_schedule("test-linear", {{"end_factor", 0.5}}, 0.2, 10);
  REQUIRE(s.lr(0) == Approx(0.2));
  REQUIRE(s.lr(5) == Approx(0.15));
  REQUIRE(s.lr(9, 5, 10) == Approx(0.2 * (1 - 0.5 * 9.5 / 10)));
  REQUIRE(s.describe()["options"]["end_factor"] == 0.5);
  // The warm-up every schedule gets.
  const train::LRSchedule w = train::make_schedule("test-linear", {{"warmup_steps", 2}}, 0.2, 10);
  REQUIRE(w.lr(1) == Approx(0.2 * (1 - 1.0 / 10) * (0.1 + 0.9 * 1.0 / 2)));  // end_factor 0
  REQUIRE_THROWS_WITH(train::make_schedule("test-linear", {{"end", 0.5}}, 0.2, 10),
                      Catch::Contains("'end'") && Catch::Contains("end_factor"));

  // End to end: a run config names it and the trainer runs it.
  test::TempDir tmp;
  const json config = {
      {"model", {{"name", "espnetv2"}, {"options", {{"scale", 0.5}, {"small_input", true}}}}},
      {"data", {{"name", "synthetic"}, {"limit_train", 32}, {"limit_test", 16}}},
      {"train",
       {{"epochs", 2},
        {"batch_size", 16},
        {"lr", 0.02},
        {"schedule", "test-linear"},
        {"schedule_options", {{"end_factor", 0.5}}},
        {"workers", 0}}},
      {"runtime", {{"threads", 1}, {"seed", 3}}}};
  const train::RunConfig cfg = train::resolve_run_config(config, "toy.json");
  train::TrainOptions quiet;
  quiet.progress.mode = train::ProgressOptions::Mode::Quiet;
  const json report = train::train_run(cfg, (tmp.path / "run").string(), quiet);
  REQUIRE(report["status"] == "done");
  REQUIRE(report["epochs"].size() == 2);
  REQUIRE(report["epochs"][0]["lr"].get<double>() == Approx(0.02));
  REQUIRE(report["epochs"][1]["lr"].get<double>() == Approx(0.015));
}

TEST_CASE("a block registered with a fast form gets it from the --fast transform, alone and in ESPNetv2",
          "[registry][latency]") {
  ScopedRegistration<BlockEntry> block(block_registry(), toy_block_entry());
  ScopedRegistration<FastFormEntry> fast(fast_form_registry(), toy_fast_entry());
  torch::manual_seed(11);
  SECTION("a BlockNetwork") {
    BlockArgs a;
    a.in_channels = 8, a.out_channels = 16, a.stride = 2;
    auto plain = std::make_shared<BlockNetwork>("test_toy", a);
    test::randomize_inference_state(*plain, 3);
    plain->eval();
    FastResult r = make_fast_from_twin(*plain, std::make_shared<BlockNetwork>("test_toy", a),
                                       parse_fast_parts("eesp_kernel,fuse,gemm"));
    REQUIRE(r.applied == json::array({"eesp_kernel"}));
    REQUIRE(r.skipped.contains("fuse"));
    REQUIRE(r.skipped.contains("gemm"));
    REQUIRE(count_of<ToyFastImpl>(*r.net) == 1);
    REQUIRE(count_of<ToyBlockImpl>(*r.net) == 0);
    const auto x = torch::randn({2, 8, 9, 7});
    torch::NoGradGuard no_grad;
    test::require_close(r.net->forward(x), plain->forward(x), 1e-6, "toy fast form");
  }
  SECTION("every block of an ESPNetv2 built from it, strided branches included") {
    const ResolvedModel m = resolve_model(ModelSpec{"espnetv2", {{"scale", 0.5}, {"block", "test_toy"}}});
    NetworkPtr plain = build_model(m);
    test::randomize_inference_state(*plain, 4);
    plain->eval();
    FastResult r = make_fast(m, *plain, parse_fast_parts("eesp_kernel"));
    REQUIRE(r.applied == json::array({"eesp_kernel"}));
    REQUIRE(count_of<ToyFastImpl>(*r.net) == 4 + 3 + 7 + 3);
    REQUIRE(count_of<ToyBlockImpl>(*r.net) == 0);
    REQUIRE(count_of<ToyBlockImpl>(*plain) == 4 + 3 + 7 + 3);  // the plain network is not touched
    const auto x = torch::randn({1, 3, 64, 64});
    torch::NoGradGuard no_grad;
    test::require_close(r.net->forward(x), plain->forward(x), 1e-5, "espnetv2 of toy blocks");
    // The fused skeleton still comes from the model's registry entry, around the toy fast forms.
    FastResult fused = make_fast(m, *plain, parse_fast_parts("eesp_kernel,fuse"));
    REQUIRE(fused.applied == json::array({"eesp_kernel", "fuse"}));
    REQUIRE(count_of<ToyFastImpl>(*fused.net) == 4 + 3 + 7 + 3);
    test::require_close(fused.net->forward(x), plain->forward(x), 1e-5, "fused espnetv2 of toy blocks");
  }
}

TEST_CASE("every model names its width option, and it is one of its options", "[registry]") {
  for (const auto& [name, e] : model_registry().all()) {
    INFO(name);
    REQUIRE(!e.width_option.empty());
    bool found = false;
    for (const auto& o : e.schema) found |= o.name == e.width_option && o.type == OptionType::Float;
    REQUIRE(found);
  }
  REQUIRE(model_registry().at("espnetv2").width_option == "scale");
  REQUIRE(model_registry().at("mobilenet_v2").width_option == "width");
}
