// Weight files in (official .pth, legacy and zip; espbench checkpoints), .npy in and out, the name
// map, the restricted pickle reader's refusals, and a fuzz test of every reader.
#include <catch2/catch.hpp>
#include <random>

#include "harness/report/atomic_file.h"
#include "harness/train/checkpoint.h"
#include "harness/weights/name_map.h"
#include "harness/weights/npy.h"
#include "harness/weights/pickle.h"
#include "harness/weights/sha256.h"
#include "harness/weights/state_dict.h"
#include "harness/weights/torch_file.h"
#include "modules/error.h"
#include "modules/inference/fast_model.h"
#include "modules/layer_outputs.h"
#include "tests/pth_writer.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::weights;
using test::error_of;

namespace {

test::NamedTensors small_state() {
  return {{"conv.weight", torch::arange(24, torch::kFloat).reshape({2, 3, 2, 2})},
          {"bn.running_var", torch::tensor({0.5, 2.0}, torch::kFloat)},
          {"bn.num_batches_tracked", torch::tensor(7, torch::kLong)}};
}

void require_same(const WeightFile& f, const test::NamedTensors& expected) {
  REQUIRE(f.tensors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(expected[i].first);
    REQUIRE(f.tensors[i].first == expected[i].first);
    REQUIRE(f.tensors[i].second.scalar_type() == expected[i].second.scalar_type());
    REQUIRE(f.tensors[i].second.equal(expected[i].second));
  }
}

}  // namespace

TEST_CASE("pth files in both formats read back the tensors they were written from", "[weights]") {
  const auto state = small_state();
  SECTION("legacy") {
    const WeightFile f = parse_weights(test::legacy_pth(state), "s.pth");
    REQUIRE(f.format == "pytorch legacy");
    require_same(f, state);
  }
  SECTION("zip, stored and deflated") {
    for (bool deflate : {false, true}) {
      const WeightFile f = parse_weights(test::zip_pth(state, deflate), "s.pth");
      REQUIRE(f.format == "pytorch zip");
      require_same(f, state);
    }
  }
  SECTION("a tensor viewing part of a larger storage") {
    // Storage of 10 floats; tensor [2,2] at offset 3 with strides (4,1) picks 3,4,7,8.
    test::PickleWriter w;
    w.proto().op('}').mark().str("w").global("torch._utils", "_rebuild_tensor_v2").mark();
    w.mark()
        .str("storage")
        .global("torch", "FloatStorage")
        .str("0")
        .str("cpu")
        .integer(10)
        .op('N')
        .tuple()
        .op('Q');
    w.integer(3).mark().integer(2).integer(2).tuple().mark().integer(4).integer(1).tuple().op('\x89');
    w.op('}').tuple().op('R').op('u').stop();
    const torch::Tensor storage = torch::arange(10, torch::kFloat);
    const WeightFile f =
        parse_weights(test::legacy_file(w.bytes, {{10, test::tensor_bytes(storage)}}), "v.pth");
    REQUIRE(f.tensors.at(0).second.equal(torch::tensor({3.f, 4.f, 7.f, 8.f}).reshape({2, 2})));
  }
}

TEST_CASE("the pickle reader refuses foreign globals and damaged data with the file named", "[weights]") {
  const auto state = small_state();
  SECTION("a global outside the allow-list is refused by name, before anything else") {
    test::PickleWriter w;
    w.proto().global("posix", "system").str("echo pwned").op('\x85').op('R').stop();
    const std::string bytes = test::legacy_file(w.bytes, {});
    const std::string msg = error_of([&] { parse_weights(bytes, "evil.pth"); });
    REQUIRE(msg.find("evil.pth") == 0);
    REQUIRE(msg.find("refuses pickle global 'posix.system'") != std::string::npos);
    // The same inside a zip archive, and through STACK_GLOBAL.
    test::PickleWriter s;
    s.proto().str("builtins").str("eval").op('\x93').str("1").op('\x85').op('R').stop();
    const std::string zip_msg = error_of([&] { parse_weights(test::zip_pth_from(s.bytes, {}), "evil.pth"); });
    REQUIRE(zip_msg.find("refuses pickle global 'builtins.eval'") != std::string::npos);
  }
  SECTION("truncations at every 97th byte fail cleanly") {
    for (const std::string& full : {test::legacy_pth(state), test::zip_pth(state)})
      for (size_t n = 0; n < full.size(); n += 97) {
        CAPTURE(n);
        const std::string msg =
            error_of([&] { parse_weights(std::string_view(full).substr(0, n), "t.pth"); });
        REQUIRE(msg.find("t.pth") != std::string::npos);
      }
  }
  SECTION("a flipped bit in the zip data fails its CRC check; in a legacy pickle it is caught by a check") {
    std::string zip = test::zip_pth(state);
    zip[zip.find("model/data/0") + 12] ^= 0x10;  // first byte of storage 0
    REQUIRE(error_of([&] { parse_weights(zip, "z.pth"); }).find("CRC-32") != std::string::npos);
    std::string legacy = test::legacy_pth(state);
    const size_t key = legacy.find("conv.weight");
    legacy[key - 4] ^= 0x40;  // the key's length prefix
    REQUIRE(error_of([&] { parse_weights(legacy, "l.pth"); }).find("l.pth") == 0);
  }
  SECTION("a tensor reaching past its storage names its key") {
    test::PickleWriter w;
    w.proto().op('}').mark().str("big").global("torch._utils", "_rebuild_tensor_v2").mark();
    w.mark()
        .str("storage")
        .global("torch", "FloatStorage")
        .str("0")
        .str("cpu")
        .integer(4)
        .op('N')
        .tuple()
        .op('Q');
    w.integer(0).mark().integer(5).tuple().mark().integer(1).tuple().op('\x89').op('}').tuple().op('R');
    w.op('u').stop();
    const std::string msg = error_of([&] {
      parse_weights(test::legacy_file(w.bytes, {{4, std::string(16, '\0')}}), "b.pth");
    });
    REQUIRE(msg.find("b.pth: key 'big'") == 0);
    REQUIRE(msg.find("does not fit its storage") != std::string::npos);
  }
  SECTION("tied weights share a storage; hundreds of views of one storage are refused") {
    auto views = [](int n) {
      test::PickleWriter w;
      w.proto().op('}').mark();
      for (int i = 0; i < n; ++i) {
        w.str("t" + std::to_string(i)).global("torch._utils", "_rebuild_tensor_v2").mark().mark();
        w.str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(1024).op('N').tuple();
        w.op('Q').integer(0).mark().integer(1024).tuple().mark().integer(1).tuple().op('\x89').op('}');
        w.tuple().op('R');
      }
      w.op('u').stop();
      return test::legacy_file(w.bytes, {{1024, std::string(4096, '\0')}});
    };
    const WeightFile tied = parse_weights(views(2), "tied.pth");
    REQUIRE(tied.tensors.size() == 2);
    const std::string msg = error_of([&] { parse_weights(views(300), "views.pth"); });
    REQUIRE(msg.find("views.pth: key 't") == 0);
    REQUIRE(msg.find("overlap far more than tied weights do") != std::string::npos);
  }
  SECTION("not a weight file at all") {
    REQUIRE(error_of([&] { parse_weights("hello", "h.pth"); }).find("h.pth: not a PyTorch weight file") == 0);
    REQUIRE(error_of([&] { parse_weights("", "e.pth"); }).find("e.pth: empty") == 0);
    REQUIRE(error_of([] { read_weights("/nonexistent/w.pth"); }).find("/nonexistent/w.pth") !=
            std::string::npos);
  }
}

TEST_CASE("official names map to espbench's, wrappers stripped", "[weights]") {
  REQUIRE(official_to_espbench("level2_0.inp_reinf.0.conv.weight") == "level2_0.inp_reinf.cbr.conv.weight");
  REQUIRE(official_to_espbench("level2_0.inp_reinf.1.bn.bias") == "level2_0.inp_reinf.cb.bn.bias");
  REQUIRE(official_to_espbench("bu_dec_l1.projection_layer.cbr.1.running_mean") ==
          "bu_dec_l1.projection_layer.bn.running_mean");
  REQUIRE(official_to_espbench("bu_dec_l1.br.br.0.weight") == "bu_dec_l1.br.bn.weight");
  REQUIRE(official_to_espbench("level1.conv.weight").empty());
  REQUIRE(official_to_espbench("bu_br_l2.0.weight").empty());  // the tensor's own name is never renamed
  const auto c = candidate_names("module.base_net.level3_0.inp_reinf.0.act.weight");
  REQUIRE(std::find(c.begin(), c.end(), "level3_0.inp_reinf.cbr.act.weight") != c.end());
  REQUIRE(c.front() == "module.base_net.level3_0.inp_reinf.0.act.weight");
}

TEST_CASE("the official segmentation file loads the espnetv2 trunk: every trunk key, mapped", "[weights]") {
  const std::string pth = test::source_dir() + "/tests/fixtures/edgenets/espnetv2_s_1.0_city_512x256.pth";
  const WeightFile f = read_weights(pth);
  REQUIRE(f.format == "pytorch legacy");
  REQUIRE(f.tensors.size() == 526);
  int64_t trunk = 0, longs = 0;
  for (const auto& [k, t] : f.tensors) {
    trunk += k.rfind("base_net.", 0) == 0;
    longs += t.scalar_type() == torch::kLong;
  }
  REQUIRE(trunk == 361);
  REQUIRE(longs > 0);
  auto net = test::build("espnetv2");
  const auto before = test::module_state(*net);
  SECTION("strict: refused, the model untouched, the message names the file and a key") {
    const std::string msg = error_of([&] { load_state(*net, f); });
    CAPTURE(msg);
    REQUIRE(msg.find(pth + ": ") == 0);
    REQUIRE(msg.find("missing from the file (first 'level5_0.") != std::string::npos);
    REQUIRE(msg.find("not in the model (first 'bu_dec_l1.") != std::string::npos);
    REQUIRE(msg.find('\n') == std::string::npos);
    REQUIRE(test::same_state(before, test::module_state(*net)));
  }
  SECTION("allow_missing: the 361 trunk tensors, the rest reported") {
    const LoadReport r = load_state(*net, f, LoadOptions{true});
    REQUIRE(r.loaded == 361);
    REQUIRE(r.unexpected.size() == 526 - 361);
    for (const auto& k : r.missing) {
      CAPTURE(k);
      REQUIRE((k.rfind("level5", 0) == 0 || k.rfind("classifier.", 0) == 0));
    }
    int64_t renamed = 0;
    for (const auto& [from, to] : r.mapped) renamed += from.find("inp_reinf.") != std::string::npos;
    REQUIRE(renamed == 3 * 13);  // levels 2-4: a CBR (7 tensors) and a CB (6)
    REQUIRE(r.summary().find("not used 165: bu_dec_l1") != std::string::npos);
    auto named = net->named_parameters();
    for (const auto& [k, t] : f.tensors)
      if (k == "base_net.level2_0.inp_reinf.0.conv.weight")
        REQUIRE(named["level2_0.inp_reinf.cbr.conv.weight"].equal(t));
  }
}

TEST_CASE("weights of another scale or a corrupt file are refused with the file and the key", "[weights]") {
  test::TempDir dir("espbench_weights");
  auto half = test::build("espnetv2", {{"scale", 0.5}});
  auto full = test::build("espnetv2");
  const auto before = test::module_state(*full);
  write_file_atomic(dir / "half.pth", test::legacy_pth(test::named_state(*half)));
  const std::string msg = error_of([&] { load_weights(*full, dir / "half.pth"); });
  CAPTURE(msg);
  REQUIRE(msg.find(dir / "half.pth" + ": key '") == 0);
  REQUIRE(msg.find("does not match the model's") != std::string::npos);
  REQUIRE(msg.find("weights of another scale?") != std::string::npos);
  REQUIRE(test::same_state(before, test::module_state(*full)));
  // A float tensor where the model keeps an integer counter.
  auto state = test::named_state(*half);
  for (auto& [k, t] : state)
    if (k.find("num_batches_tracked") != std::string::npos) t = t.to(torch::kFloat);
  write_file_atomic(dir / "float.pth", test::legacy_pth(state));
  REQUIRE(error_of([&] { load_weights(*half, dir / "float.pth"); }).find("where the model keeps Long") !=
          std::string::npos);
}

TEST_CASE("espbench's own checkpoints load the same way", "[weights]") {
  test::TempDir dir("espbench_weights");
  auto a = test::build("espnetv2", {{"scale", 0.5}, {"num_classes", 10}});
  test::randomize_inference_state(*a, 3);
  torch::optim::SGD opt(a->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  train::save_checkpoint({dir / "ck.pt"}, *a, opt, {{"epoch", 1}});
  const WeightFile f = read_weights(dir / "ck.pt");
  REQUIRE(f.format == "espbench checkpoint");
  REQUIRE(f.meta["epoch"] == 1);
  auto b = test::build("espnetv2", {{"scale", 0.5}, {"num_classes", 10}});
  const LoadReport r = load_state(*b, f);
  REQUIRE(r.missing.empty());
  REQUIRE(r.unexpected.empty());
  REQUIRE(test::same_state(test::module_state(*a), test::module_state(*b)));
}

TEST_CASE(".npy: float32 C-order round trip; bad files named with the header key", "[weights]") {
  for (const auto& shape : std::vector<std::vector<int64_t>>{{1, 3, 4, 5}, {7}, {}, {2, 0, 3}}) {
    const torch::Tensor t = torch::randn(shape);
    const std::string bytes = npy_bytes(t);
    REQUIRE(bytes.size() % 64 == static_cast<size_t>(t.numel() * 4) % 64);  // header padded to 64
    REQUIRE(parse_npy(bytes, "x.npy").equal(t));
  }
  const std::string good = npy_bytes(torch::ones({2, 3}));
  REQUIRE(good.find("'shape': (2, 3)") != std::string::npos);
  auto header_edit = [&](const std::string& from, const std::string& to) {
    std::string b = good;
    b.replace(b.find(from), from.size(), to);
    return b;
  };
  REQUIRE(error_of([&] {
            parse_npy(header_edit("<f4", "<f8"), "a.npy");
          }).find("a.npy: header key 'descr'") == 0);
  REQUIRE(error_of([&] { parse_npy(header_edit("False", "True "), "a.npy"); }).find("'fortran_order'") !=
          std::string::npos);
  REQUIRE(error_of([&] { parse_npy(header_edit("(2, 3)", "(2, 4)"), "a.npy"); }).find("truncated") !=
          std::string::npos);
  REQUIRE(error_of([&] { parse_npy(good + "x", "a.npy"); }).find("a.npy: shape (2, 3) needs 24 data bytes") ==
          0);
  REQUIRE(error_of([&] { parse_npy(good.substr(0, 20), "a.npy"); }).find("a.npy") == 0);
  REQUIRE(error_of([&] { parse_npy("PK\x03\x04", "a.npy"); }).find("not a .npy file") != std::string::npos);
  REQUIRE(error_of([] { npy_bytes(torch::ones({2}, torch::kLong)); }).find("float32") != std::string::npos);
}

TEST_CASE("sha256 of the standard test vectors", "[weights]") {
  REQUIRE(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  REQUIRE(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  REQUIRE(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("named layers: plain and fused espnetv2 stop at any level; a bad name lists the valid ones",
          "[weights]") {
  auto net = test::build("espnetv2", {{"scale", 0.5}});
  net->eval();
  const torch::Tensor x = torch::randn({1, 3, 64, 64});
  torch::NoGradGuard no_grad;
  REQUIRE(forward_to_layer(*net, x, "classifier").equal(net->forward(x)));
  REQUIRE(forward_to_layer(*net, x, "level4").sizes() == torch::IntArrayRef({1, 128, 4, 4}));
  const std::string msg = error_of([&] { forward_to_layer(*net, x, "levle4"); });
  REQUIRE(msg.find("did you mean 'level4'") != std::string::npos);
  REQUIRE(msg.find("level1, level2_0") != std::string::npos);
  REQUIRE(layer_names(*test::build("mobilenet_v2")).empty());
  // The fused --fast network offers the same layers with the same values.
  test::randomize_inference_state(*net, 5);
  const FastResult fast =
      make_fast(resolve_model(ModelSpec{"espnetv2", {{"scale", 0.5}}}), *net, parse_fast_parts("default"));
  REQUIRE(fast.net->name().find("FastESPNetv2") != std::string::npos);
  REQUIRE(layer_names(*fast.net) == layer_names(*net));
  for (const auto& layer : layer_names(*net)) {
    CAPTURE(layer);
    test::require_close(forward_to_layer(*fast.net, x, layer), forward_to_layer(*net, x, layer), 1e-4, layer);
  }
}

TEST_CASE("named layers of espnetv2_seg: the trunk's levels and the decoder's units, plain and fused alike",
          "[weights][seg]") {
  const json options{{"scale", 0.5}, {"num_classes", 5}};
  auto net = test::build("espnetv2_seg", options);
  net->eval();
  test::randomize_inference_state(*net, 7);
  const torch::Tensor x = torch::randn({1, 3, 64, 96});
  torch::NoGradGuard no_grad;
  REQUIRE(forward_to_layer(*net, x, "output").equal(net->forward(x)));
  REQUIRE(forward_to_layer(*net, x, "level4").size(2) == 4);
  REQUIRE(forward_to_layer(*net, x, "bu_dec_l4").sizes() == torch::IntArrayRef({1, 5, 32, 48}));
  const std::string msg = error_of([&] { forward_to_layer(*net, x, "bu_dec_l9"); });
  REQUIRE(msg.find("bu_dec_l1") != std::string::npos);
  const FastResult fast =
      make_fast(resolve_model(ModelSpec{"espnetv2_seg", options}), *net, parse_fast_parts("default"));
  REQUIRE(fast.net->name().find("FastESPNetv2Seg") != std::string::npos);
  REQUIRE(layer_names(*fast.net) == layer_names(*net));
  for (const auto& layer : layer_names(*net)) {
    CAPTURE(layer);
    test::require_close(forward_to_layer(*fast.net, x, layer), forward_to_layer(*net, x, layer), 1e-4, layer);
  }
}

// ---------------------------------------------------------------------------------------------
// Fuzz: thousands of mutated files through every reader. Any espbench::Error is a pass; any other
// exception, a crash or a sanitizer report is a failure. Seeded, so a failure reproduces.

namespace {

std::string mutate(const std::string& seed, std::mt19937_64& rng, size_t lo = 0, size_t hi = 0) {
  std::string s = seed;
  if (hi == 0 || hi > s.size()) hi = s.size();
  auto pick = [&](size_t a, size_t b) { return a + rng() % std::max<size_t>(1, b - a); };
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    hi = std::min(hi, s.size());
    const size_t at = pick(lo, hi);
    switch (rng() % 7) {
      case 0:
        s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8)));  // bit flip
        break;
      case 1:
        s[at] = static_cast<char>(rng());  // random byte
        break;
      case 2: {
        static const unsigned char special[] = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe};
        s[at] = static_cast<char>(special[rng() % sizeof special]);
        break;
      }
      case 3:
        s.resize(at);  // truncate
        break;
      case 4:
        s.erase(at, 1 + rng() % 8);
        break;
      case 5:
        s.insert(at, 1 + rng() % 8, static_cast<char>(rng()));
        break;
      default: {  // copy a chunk elsewhere
        const size_t from = pick(lo, hi), n = std::min<size_t>(1 + rng() % 32, s.size() - from);
        s.replace(at, std::min(n, s.size() - at), s.substr(from, n));
      }
    }
  }
  return s;
}

// Runs `read` on `bytes`; counts whether it passed or failed with an espbench::Error. Anything else
// fails the test with the iteration.
template <typename F>
void survive(F read, const std::string& bytes, int iteration, int& accepted) {
  try {
    read(bytes);
    ++accepted;
  } catch (const Error&) {
  } catch (const std::exception& e) {
    FAIL("iteration " << iteration << ": escaped as " << typeid(e).name() << ": " << e.what());
  }
}

}  // namespace

TEST_CASE("fuzz: thousands of mutated .pth and .npy files never crash a reader", "[weights][fuzz]") {
  std::mt19937_64 rng(20240521);
  const auto state = small_state();
  const std::string legacy = test::legacy_pth(state), pickle = test::state_dict_pickle(state, false);
  std::vector<std::string> storages;
  for (const auto& [k, t] : state) storages.push_back(test::tensor_bytes(t));
  const std::string npy = npy_bytes(torch::randn({2, 3, 4}));
  const auto pth = [](const std::string& b) { parse_weights(b, "fuzz.pth"); };
  const auto np = [](const std::string& b) { parse_npy(b, "fuzz.npy"); };
  int accepted = 0, runs = 0;
  for (int i = 0; i < 5000; ++i, ++runs) survive(pth, mutate(legacy, rng), i, accepted);
  for (int i = 0; i < 3000; ++i, ++runs)  // the pickle inside a well-formed archive
    survive(pth, test::zip_pth_from(mutate(pickle, rng), storages, i % 2 == 1), i, accepted);
  const std::string zip = test::zip_pth(state), deflated = test::zip_pth(state, true);
  for (int i = 0; i < 2000; ++i, ++runs) survive(pth, mutate(i % 2 ? deflated : zip, rng), i, accepted);
  for (int i = 0; i < 3000; ++i, ++runs) survive(np, mutate(npy, rng, 0, 128), i, accepted);
  // The official file: mutations in its pickles (the first 114,098 bytes; the rest is raw floats).
  const std::string official =
      *read_file(test::source_dir() + "/tests/fixtures/edgenets/espnetv2_s_1.0_city_512x256.pth");
  for (int i = 0; i < 300; ++i, ++runs) survive(pth, mutate(official, rng, 0, 114098), i, accepted);
  INFO(runs << " files, " << accepted << " read as valid");
  REQUIRE(runs == 13300);
  REQUIRE(accepted < runs / 2);  // most mutations are caught
}
