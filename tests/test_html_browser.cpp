// The sweep page in a real browser: headless Chromium (Debian's `chromium`, installed by
// scripts/install-deps.sh) loads a page made from hand-written reports, its DOM after the page's
// own script ran must hold the claims, the results table and the plots, and its screenshot must not
// be blank. Where Chromium is missing or cannot start, the case prints ESPBENCH-SKIPPED and CTest
// reports it as skipped (CMakeLists.txt), never as passed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "harness/data/png.h"
#include "harness/report/atomic_file.h"
#include "harness/report/html.h"
#include "tests/html_fixture.h"
#include "tests/test_support.h"

using namespace espbench;
namespace fs = std::filesystem;

namespace {

std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const auto [code, out] = test::run_command(std::string("command -v ") + name);
    if (code == 0 && !out.empty()) return out.substr(0, out.find('\n'));
  }
  return "";
}

// Runs Chromium headless on `url` with `mode` (--dump-dom, or --screenshot=FILE); stdout to `out`.
int chromium(const std::string& bin, const fs::path& tmp, const std::string& mode, const std::string& url,
             const fs::path& out) {
  const std::string cmd = "timeout 90 " + bin + " --headless --no-sandbox --disable-gpu --hide-scrollbars " +
                          "--no-first-run --user-data-dir=" + (tmp / "profile").string() +
                          " --window-size=1280,2400 " + mode + " '" + url + "' >" + out.string() + " 2>" +
                          (tmp / "chromium.log").string();
  return test::run_command(cmd).first;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the sweep page renders in headless Chromium: claims, table, plots, a screenshot that is not blank",
          "[browser][html]") {
  const std::string bin = find_chromium();
  if (bin.empty()) {
    WARN("ESPBENCH-SKIPPED: no chromium on PATH (scripts/install-deps.sh installs Debian's chromium)");
    return;
  }
  test::TempDir tmp("espbench_browser");
  const fs::path sweep = test::html_fixture_sweep(tmp.path);
  const bool gnuplot = test::run_command("command -v gnuplot").first == 0;
  const auto pages = report::write_html_reports(sweep.string(), {/*draw_plots=*/gnuplot});
  const std::string url = "file://" + fs::absolute(pages.at(0).path).string();

  const fs::path dom_file = tmp.path / "dom.html";
  const int code = chromium(bin, tmp.path, "--dump-dom", url, dom_file);
  const std::string dom = test::read_text(dom_file.string());
  if (code != 0 || dom.find("<html") == std::string::npos) {
    const std::string log = test::read_text((tmp.path / "chromium.log").string());
    WARN("ESPBENCH-SKIPPED: chromium cannot start here (exit " << code << "): " << log.substr(0, 400));
    return;
  }
  // The DOM the browser built: the claims with their verdicts, every config's row, the notices.
  REQUIRE(dom.find("EESP beats ESP") != std::string::npos);
  REQUIRE(dom.find("EESP-A within 1 point of EESP") != std::string::npos);
  REQUIRE(count(dom, "<span class=\"verdict ") == 3);
  REQUIRE(dom.find("<span class=\"verdict supported\">supported</span>") != std::string::npos);
  for (const char* label : {">block=eesp</td>", ">block=eesp_a</td>", ">block=esp</td>"}) {
    CAPTURE(label);
    REQUIRE(count(dom, label) >= 4);  // its row in the results table and one per run
  }
  REQUIRE(dom.find("latency left out: run esp-3: latency.paths.fast: no p50_ms") != std::string::npos);
  REQUIRE(dom.find("<table class=\"results sortable\">") != std::string::npos);
  if (gnuplot) {
    REQUIRE(dom.find("id=\"plot-acc_vs_macs\"") != std::string::npos);
    REQUIRE(dom.find("id=\"plot-acc_vs_latency_fast\"") != std::string::npos);
    REQUIRE(count(dom, "<svg") >= 6);
  }

  const fs::path shot = tmp.path / "shot.png";
  REQUIRE(chromium(bin, tmp.path, "--screenshot=" + shot.string(), url, tmp.path / "shot.log") == 0);
  const std::optional<std::string> png = read_file(shot.string());
  REQUIRE(png.has_value());
  data::RgbImage img;
  std::string error;
  REQUIRE(data::decode_png_rgb(reinterpret_cast<const uint8_t*>(png->data()), png->size(), img, error));
  REQUIRE(img.width == 1280);
  REQUIRE(img.height == 2400);
  // Not blank: a good share of pixels are not the background, in many colours (text, tables, plots).
  size_t ink = 0;
  std::set<uint32_t> colours;
  for (size_t i = 0; i + 2 < img.pixels.size(); i += 3) {
    const uint8_t r = img.pixels[i], g = img.pixels[i + 1], b = img.pixels[i + 2];
    ink += r < 200 || g < 200 || b < 200;
    if (colours.size() < 1000) colours.insert(uint32_t(r) << 16 | uint32_t(g) << 8 | b);
  }
  CAPTURE(ink, colours.size());
  REQUIRE(ink > img.pixels.size() / 3 / 100);  // over 1% of the page is ink
  REQUIRE(colours.size() > 20);
}
