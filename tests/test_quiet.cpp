// Quiet timing (harness/runtime/quiet.h): a window waits for the steps in flight and holds new ones
// off; a step waits while a window is open. Each side opens its own lock files, as two processes
// would, in a folder of the test's own (ESPBENCH_QUIET_DIR), so the machine's real sweeps are not
// touched.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "harness/runtime/quiet.h"
#include "tests/test_support.h"

using namespace espbench;
using runtime::QuietLocks;
using runtime::QuietStep;
using runtime::QuietWindow;

namespace {

struct QuietDir {
  test::TempDir dir{"espbench_quiet"};
  QuietDir() { ::setenv("ESPBENCH_QUIET_DIR", dir.path.c_str(), 1); }
  ~QuietDir() { ::unsetenv("ESPBENCH_QUIET_DIR"); }
};

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

TEST_CASE("quiet timing: a window waits for the step in flight, and a new step waits for the window",
          "[quiet]") {
  QuietDir d;
  QuietLocks worker;
  REQUIRE(worker.open());

  SECTION("the window opens only once the step in flight has ended") {
    std::optional<QuietStep> step(&worker);
    std::atomic<bool> opened{false};
    json record;
    std::thread timer([&] {
      QuietWindow w(30.0);
      opened = true;
      record = w.record();
    });
    pause_ms(200);
    REQUIRE_FALSE(opened.load());
    step.reset();
    timer.join();
    REQUIRE(opened.load());
    REQUIRE(record["paused_others"] == true);
    REQUIRE(record["waited_s"].get<double>() >= 0.1);
    REQUIRE(record["lock_dir"] == d.dir.path.string());
    REQUIRE_FALSE(record.contains("error"));
  }

  SECTION("a step waits while a window is open, and runs once it closes") {
    std::optional<QuietWindow> window(std::in_place, 30.0);
    REQUIRE(window->paused_others());
    std::atomic<bool> stepped{false};
    std::thread other([&] {
      QuietStep step(&worker);
      stepped = true;
    });
    pause_ms(200);
    REQUIRE_FALSE(stepped.load());
    window.reset();
    other.join();
    REQUIRE(stepped.load());
  }

  SECTION("a step that never ends: the window gives up after its limit and says so") {
    QuietStep step(&worker);
    QuietWindow w(0.2);
    REQUIRE_FALSE(w.paused_others());
    REQUIRE_THAT(w.record()["error"].get<std::string>(), Catch::Contains("not free after"));
    REQUIRE_THAT(w.summary(), Catch::StartsWith("not quiet: the steps in flight were not free after"));
  }

  SECTION("windows of two processes follow each other") {
    std::optional<QuietWindow> first(std::in_place, 30.0);
    QuietWindow second(0.2);
    REQUIRE_FALSE(second.paused_others());
    REQUIRE_THAT(second.record()["error"].get<std::string>(), Catch::Contains("another process's window"));
    first.reset();
    QuietWindow third(30.0);
    REQUIRE(third.paused_others());
    REQUIRE_THAT(third.summary(), Catch::StartsWith("quiet: ") && Catch::Contains("(waited 0.0 s)"));
  }
}

TEST_CASE("quiet timing where the lock files cannot be made: steps never wait, the window says why",
          "[quiet]") {
  test::TempDir dir("espbench_quiet");
  ::setenv("ESPBENCH_QUIET_DIR", (dir.path / "no" / "such" / "folder").c_str(), 1);
  QuietLocks worker;
  REQUIRE_FALSE(worker.open());
  QuietWindow w(30.0);
  { QuietStep step(&worker); }  // returns at once
  const json r = w.record();
  ::unsetenv("ESPBENCH_QUIET_DIR");
  REQUIRE(r["paused_others"] == false);
  REQUIRE_THAT(r["error"].get<std::string>(),
               Catch::Contains("cannot open") && Catch::Contains("no/such/folder"));
}
