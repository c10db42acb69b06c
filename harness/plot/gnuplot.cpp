#include "harness/plot/gnuplot.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "harness/report/atomic_file.h"
#include "modules/error.h"

namespace espbench::plot {

namespace {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

bool has_gnuplot() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

const std::string& png_terminal() {
  static const std::string t =
      std::system("gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1") == 0 ? "pngcairo" : "png";
  return t;
}

}  // namespace

void write_plot(const std::string& dir, const std::string& name, const std::string& data,
                const std::string& body, std::vector<std::string>& files) {
  const std::string header = fmt::format(
      "# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in\n"
      "# this folder:  gnuplot {0}.gp  (SVG)   or   gnuplot -e \"fmt='png'\" {0}.gp  (PNG)\n"
      "if (!exists(\"fmt\")) fmt = 'svg'\n"
      "if (fmt eq 'png') {{\n"
      "  set terminal {1} noenhanced size {2},{3} font ',10'\n"
      "  set output '{0}.png'\n"
      "}} else {{\n"
      "  set terminal svg noenhanced size {2},{3} dynamic font ',10'\n"
      "  set output '{0}.svg'\n"
      "}}\n",
      name, has_gnuplot() ? png_terminal() : "pngcairo", kCanvasWidth, kCanvasHeight);
  const fs::path d(dir);
  write_file_atomic((d / (name + ".dat")).string(), data);
  write_file_atomic((d / (name + ".gp")).string(), header + body);
  for (const char* ext : {".dat", ".gp", ".svg", ".png"}) files.push_back((d / (name + ext)).string());
}

void render_all(const std::string& dir, const std::vector<std::string>& files) {
  if (!has_gnuplot())
    throw Error(
        fmt::format("gnuplot not found (scripts/install-deps.sh installs gnuplot-nox); the data and "
                    "scripts are in {}, render them there with gnuplot NAME.gp",
                    dir));
  const std::string log = (fs::path(dir) / "gnuplot.log").string();
  write_file_atomic(log, "");
  for (const auto& f : files) {
    if (fs::path(f).extension() != ".gp") continue;
    const std::string script = fs::path(f).filename().string();
    for (const char* fmt_name : {"svg", "png"}) {
      // The log's path absolute: the shell changes into `dir` first, which may itself be relative.
      const std::string cmd =
          fmt::format("cd {} && gnuplot -e \"fmt='{}'\" {} >>{} 2>&1", shell_quote(dir), fmt_name,
                      shell_quote(script), shell_quote(fs::absolute(log).string()));
      if (std::system(cmd.c_str()) != 0)
        throw Error(fmt::format("gnuplot failed on {} ({}); its messages are in {}", f, fmt_name, log));
    }
  }
}

}  // namespace espbench::plot
