// Weights through the command line: `espbench infer` against the official reference and its
// one-line refusals of damaged, hostile or mismatched files; `measure --weights`.
#include <catch2/catch.hpp>
#include <filesystem>

#include "harness/report/atomic_file.h"
#include "harness/weights/npy.h"
#include "tests/pth_writer.h"
#include "tests/test_support.h"

using namespace espbench;
using namespace espbench::weights;
using test::error_of;

namespace {

std::string fixture(const std::string& suffix) {
  return test::source_dir() + "/tests/fixtures/edgenets/espnetv2_s_1.0_city_512x256" + suffix;
}

// `infer espnetv2` (1 thread, --allow-missing) on WEIGHTS and INPUT, writing OUT, then EXTRA.
std::string infer_args(const std::string& weights, const std::string& input, const std::string& out,
                       const std::string& extra) {
  return "infer espnetv2 --threads 1 --allow-missing --input " + input + " --output " + out + " --weights " +
         weights + extra;
}

// Runs `espbench ARGS`; requires exit 2, one line naming `file` and containing `must`, and no
// output file.
void require_refused(const std::string& args, const std::string& file, const std::string& must,
                     const std::string& output) {
  auto [code, out] = test::run_command(test::espbench_binary() + " " + args);
  CAPTURE(args, out);
  REQUIRE(code == 2);
  REQUIRE(std::count(out.begin(), out.end(), '\n') == 1);
  REQUIRE(out.find(file) != std::string::npos);
  REQUIRE(out.find(must) != std::string::npos);
  REQUIRE((output.empty() || !std::filesystem::exists(output)));
}

}  // namespace

TEST_CASE("espbench infer writes the official level-4 output; damaged or hostile .pth files exit 2, one line",
          "[parity][cli]") {
  test::TempDir dir("espbench_infer");
  const std::string out = dir / "out.npy";
  auto args = [&](const std::string& weights, const std::string& input, const std::string& extra = "") {
    return infer_args(weights, input, out, extra);
  };
  const std::string in = fixture(".input.npy"), pth = fixture(".pth");
  const torch::Tensor expected = read_npy(fixture(".encoder.npy"));
  for (const std::string fast : {"", " --fast"}) {
    auto [code, text] =
        test::run_command(test::espbench_binary() + " " + args(pth, in, " --layer level4" + fast));
    CAPTURE(text);
    REQUIRE(code == 0);
    REQUIRE(text.find("weights: 361 tensors") != std::string::npos);
    REQUIRE(text.find("; missing ") != std::string::npos);
    REQUIRE(text.find(": level5_0 (") != std::string::npos);
    REQUIRE(text.find("not used 165: bu_dec_l1 (") != std::string::npos);
    test::require_close(read_npy(out), expected, 1e-4, "espbench infer" + fast);
    std::filesystem::remove(out);
  }
  const std::string official = *read_file(fixture(".pth"));
  // A truncated file: the cut falls in a storage, which the error names.
  write_file_atomic(dir / "cut.pth", official.substr(0, 600000));
  require_refused(args(dir / "cut.pth", in), dir / "cut.pth", "storage '", out);
  // A bit flipped in a key's length (the first tensor's key): the pickle no longer parses.
  std::string flipped = official;
  flipped[flipped.find("base_net.level1.conv.weight") - 3] ^= 0x01;
  write_file_atomic(dir / "flip.pth", flipped);
  require_refused(args(dir / "flip.pth", in), dir / "flip.pth", "corrupt or unsupported pickle", out);
  // A pickle that names a foreign global.
  test::PickleWriter evil;
  evil.proto().global("os", "system").str("touch " + dir / "pwned").op('\x85').op('R').stop();
  write_file_atomic(dir / "evil.pth", test::legacy_file(evil.bytes, {}));
  require_refused(args(dir / "evil.pth", in), dir / "evil.pth", "refuses pickle global 'os.system'", out);
  REQUIRE(!std::filesystem::exists(dir / "pwned"));
}

TEST_CASE(
    "espbench infer: weights of another scale, a strict load, bad inputs, a bad layer: exit 2, one line",
    "[weights][cli]") {
  test::TempDir dir("espbench_infer");
  const std::string out = dir / "out.npy";
  auto args = [&](const std::string& weights, const std::string& input, const std::string& extra = "") {
    return infer_args(weights, input, out, extra);
  };
  const std::string in = fixture(".input.npy"), pth = fixture(".pth");
  const std::string input = *read_file(in);
  // Weights of another scale (strict shapes even with --allow-missing).
  auto half = test::build("espnetv2", {{"scale", 0.5}});
  write_file_atomic(dir / "half.pth", test::zip_pth(test::named_state(*half)));
  require_refused(args(dir / "half.pth", in), dir / "half.pth", "weights of another scale?", out);
  // Strict without --allow-missing: the decoder keys of the file are not in the classifier.
  require_refused("infer espnetv2 --input " + in + " --output " + out + " --weights " + pth, pth,
                  "first 'level5_0.", out);
  // Damaged .npy inputs: truncated, a flipped bit in the header's dtype, wrong channel count.
  write_file_atomic(dir / "cut.npy", input.substr(0, 5000));
  require_refused(args(pth, dir / "cut.npy"), dir / "cut.npy", "truncated", out);
  std::string bad_dtype = input;
  bad_dtype[bad_dtype.find("<f4") + 2] ^= 0x0c;  // '4' -> '8'
  write_file_atomic(dir / "f8.npy", bad_dtype);
  require_refused(args(pth, dir / "f8.npy"), dir / "f8.npy", "header key 'descr'", out);
  write_npy(dir / "gray.npy", torch::zeros({1, 1, 64, 128}));
  require_refused(args(pth, dir / "gray.npy"), dir / "gray.npy", "in_channels", out);
  require_refused(args(pth, in, " --layer level9"), "--layer", "valid layers: level1", out);
}

TEST_CASE("measure --weights checks the file before measuring", "[weights][cli]") {
  const std::string pth = fixture(".pth");
  auto [code, out] =
      test::run_command(test::espbench_binary() + " measure espnetv2 --threads 1 --json --weights " + pth +
                        " --allow-missing 2>/dev/null");
  REQUIRE(code == 0);
  const json r = json::parse(out);
  REQUIRE(r["weights"]["loaded"] == 361);
  REQUIRE(r["weights"]["unexpected"].size() == 165);
  REQUIRE(r["params"] == 1670072);
  require_refused("measure espnetv2 --threads 1 --weights " + pth, pth, "--allow-missing loads the part", "");
}
