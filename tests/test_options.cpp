#include <catch2/catch.hpp>

#include "modules/error.h"
#include "modules/options.h"

using namespace espbench;

TEST_CASE("options resolve with defaults, types and helpful errors", "[options]") {
  OptionSchema schema{{"scale", OptionType::Float, 1.0, "width scale", {}, 0.01, 8.0},
                      {"block", OptionType::String, "eesp", "block", {"esp", "eesp_a", "eesp"}},
                      {"branches", OptionType::Int, 4, "K", {}, 1, 32},
                      {"r_lim", OptionType::IntList, json::array({13, 11}), "limits", {}, 3, 99},
                      {"input_reinforcement", OptionType::Bool, true, "IR"}};
  SECTION("defaults fill every key") {
    json r = resolve_options("model 'x'", schema, json::object());
    REQUIRE(r.size() == 5);
    REQUIRE(r["scale"] == 1.0);
    REQUIRE(r["block"] == "eesp");
  }
  SECTION("values are checked and normalised") {
    json r = resolve_options("m", schema, {{"branches", 3.0}, {"input_reinforcement", "off"}});
    REQUIRE(r["branches"].is_number_integer());
    REQUIRE(r["input_reinforcement"] == false);
  }
  SECTION("unknown key names the key, suggests the closest and lists the valid ones") {
    try {
      resolve_options("model 'espnetv2'", schema, {{"scal", 2.0}});
      FAIL("no error");
    } catch (const Error& e) {
      std::string m = e.what();
      REQUIRE(m.find("'scal'") != std::string::npos);
      REQUIRE(m.find("did you mean 'scale'") != std::string::npos);
      REQUIRE(m.find("branches") != std::string::npos);
    }
  }
  SECTION("bad values name the option and what is valid") {
    REQUIRE_THROWS_WITH(resolve_options("m", schema, {{"scale", -1}}),
                        Catch::Contains("'scale'") && Catch::Contains("in [0.01, 8]"));
    REQUIRE_THROWS_WITH(resolve_options("m", schema, {{"block", "foo"}}),
                        Catch::Contains("one of esp, eesp_a, eesp"));
    REQUIRE_THROWS_WITH(resolve_options("m", schema, {{"branches", 2.5}}), Catch::Contains("int"));
    REQUIRE_THROWS_WITH(resolve_options("m", schema, {{"r_lim", json::array()}}), Catch::Contains("r_lim"));
  }
}

TEST_CASE("option values given with --set parse as JSON or as strings and nest by dots", "[options]") {
  REQUIRE(parse_option_value("1.5") == 1.5);
  REQUIRE(parse_option_value("[1,2]") == json::array({1, 2}));
  REQUIRE(parse_option_value("eesp") == "eesp");
  json o = json::object();
  set_dotted(o, "block_options.hff", false);
  REQUIRE(o["block_options"]["hff"] == false);
  REQUIRE_THROWS_AS(set_dotted(o, "a..b", 1), Error);
}
