// `espbench launch --nproc N -- train ...`: torchrun-style multi-process launch on one machine.
#include <fmt/format.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <iostream>

#include "harness/cli/commands.h"
#include "harness/dist/launch.h"
#include "modules/error.h"

namespace espbench::cli {

namespace {

std::string self_path() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) throw Error("launch: cannot find the espbench binary (/proc/self/exe)");
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

void add_launch(CLI::App& app) {
  auto o = std::make_shared<dist::LaunchOptions>();
  auto args = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "launch",
      "run an espbench command as N data-parallel ranks on this machine (sets RANK, WORLD_SIZE, MASTER_ADDR, "
      "MASTER_PORT), e.g. `espbench launch --nproc 2 -- train espnetv2 --out runs/x`");
  cmd->add_option("--nproc", o->nproc, "number of ranks (processes), default 2");
  cmd->add_option("--master-port", o->master_port, "rendezvous port (default: a free one)");
  cmd->add_option(
      "--grace", o->grace_s,
      "seconds the other ranks get to exit by themselves after one fails, before SIGTERM (default 70)");
  cmd->add_option("command", *args, "the espbench command each rank runs, after `--`")->required();
  cmd->callback([o, args] {
    std::vector<std::string> argv = *args;
    argv.insert(argv.begin(), self_path());
    const auto exits = dist::launch(argv, *o);
    int first_bad = 0;
    for (const auto& e : exits)
      if (e.code != 0) {
        std::cerr << fmt::format("espbench launch: rank {} exited with status {}\n", e.rank, e.code);
        if (first_bad == 0) first_bad = e.code;
      }
    if (first_bad != 0) std::exit(first_bad);
  });
}

}  // namespace espbench::cli
