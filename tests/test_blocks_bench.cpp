// The micro-benchmark binary registers every block of the registry (compares the two lists).
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "tests/test_support.h"

using namespace espbench;

TEST_CASE("espbench_blocks_bench lists every registered block", "[bench]") {
  const auto bin = std::filesystem::path(test::espbench_binary()).parent_path() / "espbench_blocks_bench";
  auto [code, out] = test::run_command(bin.string() + " --benchmark_list_tests=true");
  REQUIRE(code == 0);
  // block names of the registered benchmarks ("skip ..." lines and the kernel_* benchmarks aside)
  std::set<std::string> listed;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("skip ", 0) != 0 && line.rfind("kernel_", 0) != 0 && line.find('/') != std::string::npos)
      listed.insert(line.substr(0, line.find('/')));
  std::set<std::string> registered;
  for (const auto& name : block_registry().names()) registered.insert(name);
  REQUIRE(listed == registered);
}
