#include "rules/bundled.h"

#include <catch2/catch.hpp>

#include <filesystem>

#include "../../tests/unit/test_util.h"
#include "report/report.h"
#include "rules/rule.h"

TEST_CASE("the embedded pack is byte-for-byte the rule files", "[rules][bundled]") {
  namespace fs = std::filesystem;
  size_t on_disk = 0;
  for (auto& e : fs::recursive_directory_iterator(std::string(TFWARDEN_SOURCE_DIR) + "/rules"))
    if (e.is_regular_file() && e.path().extension() == ".toml") ++on_disk;
  const auto& files = tfwarden::bundled_rule_files();
  CHECK(files.size() == on_disk);
  for (const auto& f : files) {
    INFO(f.path);
    CHECK(f.content == tfwarden::test::read_file(std::string(TFWARDEN_SOURCE_DIR) + "/" + std::string(f.path)));
  }
  tfwarden::RuleSet set;
  std::string error;
  REQUIRE(tfwarden::load_bundled_rules(set, error));
  CHECK(set.rules.size() >= 35);
  for (const char* id : {"HP-NET-001", "HP-NET-002", "HP-EDGE-001", "HP-BAK-001", "HP-BAK-002", "HP-DNS-001"})
    CHECK(set.find(id));
}

TEST_CASE("every bundled rule's help line is a sentence", "[rules][bundled]") {
  // The first paragraph of `remediation` is the `help:` line of text, JUnit and annotations: it
  // must be prose, not the start of a code block.
  tfwarden::RuleSet set;
  std::string error;
  REQUIRE(tfwarden::load_bundled_rules(set, error));
  for (const auto& r : set.rules) {
    INFO(r->id);
    std::string help = tfwarden::remediation_summary(r->remediation);
    CHECK(help.size() >= 30);
    CHECK(help.find("```") == std::string::npos);
    CHECK(help.find('{') == std::string::npos);
  }
}
