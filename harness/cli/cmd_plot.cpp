// `espbench plot DIR`: accuracy vs MACs / params / latency and training curves, from reports alone.
#include <fmt/format.h>

#include <iostream>

#include "harness/cli/commands.h"
#include "harness/plot/plot.h"

namespace espbench::cli {

void add_plot(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto no_render = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("plot",
                                 "redraw a sweep's plots from its reports (gnuplot scripts + data beside SVG and "
                                 "PNG pictures in <sweep>/plots/)");
  cmd->add_option("dir", *dir, "a sweep folder (OUT/<sweep>) or an output root holding several")->required();
  cmd->add_flag("--no-render", *no_render, "write the data and gnuplot scripts only");
  cmd->callback([=] {
    plot::PlotOptions o;
    o.render = !*no_render;
    for (const auto& s : plot::plot_dir(*dir, o)) {
      int64_t pictures = 0;
      for (const auto& f : s.files) pictures += f.size() > 4 && f.substr(f.size() - 4) == ".svg";
      std::cout << fmt::format("{}: {} plots in {}\n", s.sweep, pictures, s.dir);
      for (const auto& n : s.notes) std::cout << "  " << n << "\n";
    }
  });
}

}  // namespace espbench::cli
