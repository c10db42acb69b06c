// espbench: the command-line entry point. It only parses and dispatches; every subcommand is a
// library call. Errors print one line and exit 2; nothing reaches the user as a backtrace.
#include <c10/util/Exception.h>
#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "harness/runtime/allocator.h"
#include "modules/error.h"

int main(int argc, char** argv) {
  espbench::configure_allocator();  // before LibTorch allocates anything large
  CLI::App app{"espbench: benchmark and ablation harness for efficient convolutional blocks"};
  app.require_subcommand(1);
  espbench::cli::add_list(app);
  espbench::cli::add_measure(app);
  espbench::cli::add_zoo(app);
  espbench::cli::add_train(app);
  espbench::cli::add_bench_train(app);
  espbench::cli::add_launch(app);
  espbench::cli::add_sweep(app);
  espbench::cli::add_collect(app);
  espbench::cli::add_report(app);
  espbench::cli::add_plot(app);
  espbench::cli::add_compare(app);
  espbench::cli::add_infer(app);
  espbench::cli::add_schedule(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const espbench::Error& e) {
    std::cerr << "espbench: error: " << e.what() << "\n";
    return 2;
  } catch (const c10::Error& e) {
    std::string msg = e.what_without_backtrace();
    std::cerr << "espbench: error: " << msg.substr(0, msg.find('\n')) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "espbench: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
