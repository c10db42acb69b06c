// The espbench binary as a user meets it: list, measure, and one-line errors for bad input.
#include <catch2/catch.hpp>

#include "modules/options.h"
#include "tests/test_support.h"

using namespace espbench;
using test::run_command;

namespace {
std::string bin() { return test::espbench_binary(); }

void require_clean_error(const std::string& args, const std::string& must_contain) {
  CAPTURE(args);
  auto [code, out] = run_command(bin() + " " + args);
  CAPTURE(out);
  REQUIRE(code != 0);
  REQUIRE(out.find(must_contain) != std::string::npos);
  REQUIRE(out.find("Exception raised from") == std::string::npos);
  REQUIRE(out.find("frame #") == std::string::npos);
  // One line.
  REQUIRE(std::count(out.begin(), out.end(), '\n') <= 1);
}
}  // namespace

TEST_CASE("espbench list shows every model and block with options", "[cli]") {
  auto [code, out] = run_command(bin() + " list --json");
  REQUIRE(code == 0);
  json j = json::parse(out);
  std::set<std::string> models;
  for (const auto& m : j["models"]) models.insert(m["name"].get<std::string>());
  for (const auto& name : model_registry().names()) REQUIRE(models.count(name));
  REQUIRE(j["blocks"].size() == block_registry().all().size());
}

TEST_CASE("espbench measure --json prints the contract fields", "[cli]") {
  auto [code, out] = run_command(bin() + " measure espnetv2 --set scale=0.5 --json --threads 1");
  REQUIRE(code == 0);
  json j = json::parse(out);
  REQUIRE(j["model"]["name"] == "espnetv2");
  REQUIRE(j["model"]["options"]["scale"] == 0.5);
  REQUIRE(j["input"] == json::array({1, 3, 224, 224}));
  REQUIRE(j["params"] == 1241332);
  REQUIRE(j["macs"]["conv"] == 28375508);
  REQUIRE(j["macs"]["linear"] == 1024000);
  REQUIRE(j["elementwise_ops"].is_number_integer());
  REQUIRE(j["analytic"]["agrees"] == true);
  REQUIRE(j["context"]["threads"] == 1);
  // The CLI keeps large blocks in the heap (harness/runtime/allocator.h) and says so; the
  // environment switch turns it off. Under AddressSanitizer (scripts/sanitize.sh) its allocator
  // replaces glibc's, mallopt has no effect, and the report must say so.
#if defined(__SANITIZE_ADDRESS__)
  REQUIRE(j["context"]["malloc"]["tuned"] == false);
#else
  REQUIRE(j["context"]["malloc"]["tuned"] == true);
  REQUIRE(j["context"]["malloc"]["mmap_threshold_bytes"] == 32 << 20);
#endif
  auto [code_off, out_off] = run_command("ESPBENCH_MALLOC_TUNING=0 " + bin() +
                                         " measure espnetv2 --set scale=0.5 --json --threads 1");
  REQUIRE(code_off == 0);
  REQUIRE(json::parse(out_off)["context"]["malloc"]["tuned"] == false);
}

TEST_CASE("bad input gives a one-line error and a non-zero exit", "[cli][errors]") {
  require_clean_error("measure espnetv2 --input 3x0x224", "--input");
  require_clean_error("measure espnetv2 --input abc", "CxHxW");
  require_clean_error("measure mobilenet_v3", "valid models");
  require_clean_error("measure espnetv2 --set scal=1", "did you mean 'scale'");
  require_clean_error("measure espnetv2 --set scale=0.3", "divisible");
  require_clean_error("measure espnetv2 --set block=foo", "valid blocks");
  require_clean_error("measure espnetv2 --threads 0", "--threads");
  require_clean_error("measure espnetv2 --input 3x1x1", "cannot");
  require_clean_error("measure espnetv2 --input 1x224x224", "in_channels");
}
