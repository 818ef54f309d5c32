#include "rules/compiled.h"

#include <catch2/catch.hpp>

namespace {

std::string serialize(const tfwarden::RuleSet& set) {
  std::vector<const tfwarden::Rule*> rules;
  for (const auto& r : set.rules) rules.push_back(r.get());
  return tfwarden::serialize_rules(rules);
}

}  // namespace

TEST_CASE("the embedded compiled pack is the rule files as they are now", "[rules][compiled]") {
  // A pack compiled from older rule files would run rules that differ from their pages.
  tfwarden::RuleSet parsed;
  std::string error;
  REQUIRE(tfwarden::load_bundled_rule_files(parsed, error, /*with_tests=*/false));
  REQUIRE_FALSE(tfwarden::compiled_rule_pack().empty());
  CHECK(serialize(parsed) == tfwarden::compiled_rule_pack());
}

TEST_CASE("a compiled pack reads back to the same rules", "[rules][compiled]") {
  tfwarden::RuleSet loaded, parsed;
  std::string error;
  REQUIRE(tfwarden::load_bundled_rules(loaded, error, /*with_tests=*/false));
  REQUIRE(tfwarden::load_bundled_rule_files(parsed, error, /*with_tests=*/true));
  REQUIRE(loaded.ids() == parsed.ids());
  CHECK(serialize(loaded) == tfwarden::compiled_rule_pack());
  for (size_t i = 0; i < loaded.rules.size(); ++i) {
    const tfwarden::Rule& a = *loaded.rules[i];
    const tfwarden::Rule& b = *parsed.rules[i];
    INFO(a.id);
    CHECK(a.pack == b.pack);
    CHECK(a.assert_text == b.assert_text);
    CHECK(a.tests.empty());
    // Regexes are compiled again as they were when the rule was parsed.
    CHECK(static_cast<bool>(a.address_pattern) == static_cast<bool>(b.address_pattern));
    CHECK(static_cast<bool>(a.secret_names) == static_cast<bool>(b.secret_names));
  }
}

TEST_CASE("a damaged compiled pack is an error, not a crash", "[rules][compiled]") {
  std::string_view pack = tfwarden::compiled_rule_pack();
  REQUIRE(pack.size() > 100);
  std::string error;
  {
    tfwarden::RuleSet set;
    CHECK_FALSE(tfwarden::deserialize_rules("not a pack", set, error));
    CHECK(error == "the compiled rule pack is of another version of tfwarden");
  }
  // Cut anywhere, it is refused with a message; no cut reads past its end (ASan runs this).
  for (size_t cut : {size_t{30}, pack.size() / 3, pack.size() / 2, pack.size() - 1}) {
    tfwarden::RuleSet set;
    error.clear();
    INFO(cut);
    CHECK_FALSE(tfwarden::deserialize_rules(pack.substr(0, cut), set, error));
    CHECK(error.rfind("the compiled rule pack is damaged: ", 0) == 0);
  }
  tfwarden::RuleSet set;
  CHECK_FALSE(tfwarden::deserialize_rules(std::string(pack) + "x", set, error));
  CHECK(error == "the compiled rule pack is damaged: bytes follow the last rule");
}
