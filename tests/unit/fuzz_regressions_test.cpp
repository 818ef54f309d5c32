// Inputs the fuzzers found problems with, kept so the fixes stay fixed (run under ASan/UBSan in
// scripts/test-sanitizers).
#include <catch2/catch.hpp>
#include <filesystem>

#include "../fuzz/report_checks.h"
#include "hcl/parser.h"
#include "rules/expr.h"
#include "source/load.h"
#include "test_util.h"

TEST_CASE("fuzz regressions: the condition parser", "[fuzz][rules]") {
  namespace fs = std::filesystem;
  tfwarden::LetTable lets;
  lets.names = {"a", "b"};
  lets.sequence = {false, true};
  std::vector<std::string> params = {"min", "names"};
  size_t n = 0;
  for (auto& e : fs::directory_iterator(std::string(TFWARDEN_SOURCE_DIR) + "/tests/fuzz/regressions/expr_fuzz")) {
    ++n;
    INFO(e.path().string());
    std::string text = tfwarden::test::read_file(e.path().string());
    try {
      tfwarden::parse_expression(text, lets, params);
    } catch (const tfwarden::ExprError& err) {
      CHECK_FALSE(err.message.empty());
    }
  }
  CHECK(n >= 1);
  // The two problems found: an index too large to convert, and unbounded nesting.
  CHECK_THROWS_AS(tfwarden::parse_expression("a[1e300]", lets, params), tfwarden::ExprError);
  auto message = [&](const std::string& text) {
    try {
      tfwarden::parse_expression(text, lets, params);
    } catch (const tfwarden::ExprError& err) {
      return err.message;
    }
    return std::string();
  };
  CHECK_THAT(message(std::string(100000, '(') + "true" + std::string(100000, ')')),
             Catch::Matchers::Contains("nests deeper than 200 levels"));
  CHECK_THAT(message("x in " + std::string(5000, '[') + std::string(5000, ']')), Catch::Matchers::Contains("nests deeper"));
  CHECK_THAT(message(std::string(100000, 'n') + "ot true"), Catch::Matchers::Contains("unexpected"));
}

TEST_CASE("fuzz regressions: the HCL parser", "[fuzz][hcl]") {
  // The problem found: blocks left open inside each other were read again by each enclosing
  // block's error recovery, 2^depth times.
  namespace fs = std::filesystem;
  size_t n = 0;
  for (auto& e : fs::directory_iterator(std::string(TFWARDEN_SOURCE_DIR) + "/tests/fuzz/regressions/hcl_fuzz")) {
    ++n;
    INFO(e.path().string());
    std::string text = tfwarden::test::read_file(e.path().string());
    tfwarden::hcl::File f = tfwarden::hcl::parse(text, "fuzz.tf");
    for (const auto& d : f.errors) {
      CHECK(d.pos.byte <= text.size());
      CHECK_FALSE(d.message.empty());
    }
  }
  CHECK(n >= 1);
}

TEST_CASE("fuzz regressions: the Terraform source reader", "[fuzz][source]") {
  // The problem found: names that are not UTF-8 reached the plan document's JSON writer, which
  // threw. Each input is a main.tf; the result is a document the plan loader reads, or an error.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-source-regression-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  size_t n = 0;
  for (auto& e : fs::directory_iterator(std::string(TFWARDEN_SOURCE_DIR) + "/tests/fuzz/regressions/source_fuzz")) {
    ++n;
    INFO(e.path().string());
    fs::copy_file(e.path(), dir / "main.tf", fs::copy_options::overwrite_existing);
    std::string error;
    std::vector<std::string> notes;
    std::string doc = tfwarden::source::plan_document(dir.string(), {}, error, notes);
    CHECK(doc.empty() != error.empty());
    if (!doc.empty()) {
      std::string load_error;
      CHECK(tfwarden::load_plan("fuzz", simdjson::padded_string(doc), load_error));
    }
  }
  fs::remove_all(dir);
  CHECK(n >= 1);
}

TEST_CASE("fuzz regressions: the plan loader and every report format", "[fuzz][report]") {
  namespace fs = std::filesystem;
  tfwarden::RuleSet set;
  std::string error;
  REQUIRE(tfwarden::load_bundled_rules(set, error, /*with_tests=*/false));
  std::vector<const tfwarden::Rule*> rules;
  for (const auto& r : set.rules) rules.push_back(r.get());
  // The plan fuzzer's crashes, and the hostile plans that seed it.
  std::string root = std::string(TFWARDEN_SOURCE_DIR) + "/tests/";
  size_t n = 0;
  for (const std::string& dir : {root + "fuzz/regressions/plan_fuzz", root + "fixtures/plans/hostile-strings"}) {
    if (!fs::is_directory(dir)) continue;
    for (auto& e : fs::directory_iterator(dir)) {
      ++n;
      INFO(e.path().string());
      CHECK(tfwarden::report_checks::check_plan_reports(tfwarden::test::read_file(e.path().string()), rules) == "");
    }
  }
  CHECK(n >= 2);
}
