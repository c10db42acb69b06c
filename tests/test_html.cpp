// The sweep page (espbench report --html) as text, on hand-written reports: description escaped,
// claims with verdicts and intervals, the results table with config numbers and latency per path,
// links to every run's files, what is missing named; an empty folder is a one-line error.
#include <catch2/catch.hpp>
#include <filesystem>

#include "harness/report/html.h"
#include "modules/error.h"
#include "tests/html_fixture.h"
#include "tests/test_support.h"

using namespace espbench;
namespace fs = std::filesystem;

namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("report --html writes one self-contained page per sweep", "[html]") {
  test::TempDir tmp("espbench_html");
  const fs::path sweep = test::html_fixture_sweep(tmp.path);
  test::put_file(sweep / "plots/acc_vs_macs.svg",
                 "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 10 10\"><defs><circle id='gpPt5' r='1'/></defs>"
                 "<use xlink:href='#gpPt5'/><g id=\"gnuplot_canvas\" fill=\"url(#grad)\"/></svg>\n");
  const auto pages = report::write_html_reports(sweep.string(), {/*draw_plots=*/false});
  REQUIRE(pages.size() == 1);
  REQUIRE(pages[0].path == (sweep / "report.html").string());
  const std::string html = test::read_text(pages[0].path);

  // Self-contained: no script, style, font or image from elsewhere.
  REQUIRE(html.find("<script src") == std::string::npos);
  REQUIRE(html.find("<link") == std::string::npos);
  REQUIRE(html.find("http://") == std::string::npos);
  REQUIRE(html.find("https://") == std::string::npos);
  // The description, escaped.
  REQUIRE(html.find("Blocks &lt;ESP &amp; EESP&gt; compared &quot;fairly&quot;") != std::string::npos);
  // Claims with verdicts and intervals.
  REQUIRE(html.find("<td>EESP beats ESP</td>") != std::string::npos);
  REQUIRE(html.find("<span class=\"verdict supported\">supported</span>") != std::string::npos);
  REQUIRE(html.find("EESP is faster than ESP (plain LibTorch)") != std::string::npos);
  REQUIRE(html.find("latency_ms (lower is better)") != std::string::npos);
  REQUIRE(html.find("+3.00 [") != std::string::npos);  // improvement of 81.0 over 78.0 and its interval
  // The results table: one row per config, its plot number, mean +- std, latency per path.
  REQUIRE(html.find("<td class=\"num\" data-v=\"1\">1</td><td data-v=\"block=eesp\">block=eesp</td>") !=
          std::string::npos);
  REQUIRE(html.find("81.00 &plusmn; 0.60") != std::string::npos);
  REQUIRE(html.find("<th>latency ms<br><span class=\"muted\">plain LibTorch, p50</span></th>") !=
          std::string::npos);
  REQUIRE(html.find("<th>latency ms<br><span class=\"muted\">--fast, p50</span></th>") != std::string::npos);
  REQUIRE(html.find("0.420 <span class=\"range\">(0.410&ndash;0.430)</span>") != std::string::npos);
  // Links to every run's files, relative to the page.
  REQUIRE(
      html.find(
          "<a href=\"eesp-1/config.json\">config.json</a> <a href=\"eesp-1/report.json\">report.json</a>") !=
      std::string::npos);
  REQUIRE(count(html, "/report.json\">report.json</a>") == 9);
  // What is missing: the running run without a report, the latency block without its fast p50.
  REQUIRE(html.find("1 run(s) have no report.json yet") != std::string::npos);
  REQUIRE(html.find("latency left out: run esp-3: latency.paths.fast: no p50_ms") != std::string::npos);
  REQUIRE(html.find("<td data-v=\"\">latency.paths.fast: no p50_ms</td>") != std::string::npos);
  // The plot inline, its ids prefixed, with a caption.
  REQUIRE(html.find("<?xml") == std::string::npos);
  REQUIRE(html.find("<circle id='p0-gpPt5'") != std::string::npos);
  REQUIRE(html.find("xlink:href='#p0-gpPt5'") != std::string::npos);
  REQUIRE(html.find("url(#p0-grad)") != std::string::npos);
  REQUIRE(html.find("<figcaption><b>acc_vs_macs</b>: test top-1 against MACs") != std::string::npos);
}

TEST_CASE("report --html: no plots, no finished run, an empty folder", "[html]") {
  test::TempDir tmp("espbench_html");
  SECTION("a folder with runs but no report: a page that says so") {
    test::put_file(tmp.path / "s/r1/status.json", R"({"status": "pending"})");
    const auto pages = report::write_html_reports((tmp.path / "s").string(), {false});
    const std::string html = test::read_text(pages.at(0).path);
    REQUIRE(html.find("1 run(s) have no report.json yet") != std::string::npos);
    REQUIRE(html.find("no run has finished") != std::string::npos);
    REQUIRE(html.find("No pictures in plots/") != std::string::npos);
    REQUIRE(html.find("The sweep's manifest states no claims.") != std::string::npos);
  }
  SECTION("no runs at all: one line, exit code 2 from the CLI") {
    fs::create_directories(tmp.path / "empty");
    REQUIRE_THAT(test::error_of([&] { report::write_html_reports((tmp.path / "empty").string()); }),
                 Catch::Contains("holds no runs"));
    const auto [code, text] =
        test::run_command(test::espbench_binary() + " report " + (tmp.path / "empty").string() + " --html");
    REQUIRE(code == 2);
    REQUIRE(std::count(text.begin(), text.end(), '\n') == 1);
    REQUIRE(text.rfind("espbench: error: ", 0) == 0);
  }
  SECTION("a report whose latency block is malformed: the page names it, the CLI succeeds") {
    const fs::path sweep = test::html_fixture_sweep(tmp.path);
    json broken = json::parse(test::read_text((sweep / "eesp-2/report.json").string()));
    broken["latency"] = "fast";
    test::put_file(sweep / "eesp-2/report.json", broken.dump());
    const auto [code, text] =
        test::run_command(test::espbench_binary() + " report " + sweep.string() + " --html --no-plot");
    CAPTURE(text);
    REQUIRE(code == 0);
    REQUIRE(text.find("latency left out: run eesp-2: latency: expected an object with paths, got \"fast\"") !=
            std::string::npos);
    REQUIRE(test::read_text((sweep / "report.html").string()).find("got &quot;fast&quot;") !=
            std::string::npos);
  }
}

TEST_CASE("html_escape and inline_svg", "[html]") {
  REQUIRE(report::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  REQUIRE(report::inline_svg("no picture", "p-").empty());
  REQUIRE(report::inline_svg("<?xml?><svg id=\"a\"><use href=\"#a\"/><use href=\"b.png\"/></svg>", "q-") ==
          "<svg id=\"q-a\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\"><use href=\"#q-a\"/><use "
          "href=\"b.png\"/></svg>");
}
