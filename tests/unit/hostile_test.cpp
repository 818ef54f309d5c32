// Hostile inputs: each must give a clear error (exit 2) or a bounded, correct result; never a
// crash or a hang.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../fuzz/report_checks.h"
#include "engine/config.h"
#include "rules/rule.h"
#include "test_util.h"

using tfwarden::test::run_tfwarden;
namespace fs = std::filesystem;

namespace {

// The tests' scratch directory, removed when they end.
struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("tfwarden-hostile-" + std::to_string(::getpid()));
  ScratchDir() = default;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

fs::path temp_file(const std::string& name) {
  static ScratchDir dir;
  fs::create_directories(dir.path);
  return dir.path / name;
}

}  // namespace

TEST_CASE("a 1 GB string is refused with a clear error", "[hostile]") {
  fs::path p = temp_file("huge-string.json");
  {
    std::ofstream out(p, std::ios::binary);
    out << R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"], "after": {"policy": ")";
    std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 1024; ++i) out << chunk;
    out << R"("}}}]})";
  }
  auto r = run_tfwarden("check '" + p.string() + "'");
  fs::remove(p);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("resource_changes[0].change.after.policy: a string of 1073741824 bytes"));
}

TEST_CASE("100,000-deep nesting is refused", "[hostile]") {
  fs::path p = temp_file("deep.json");
  {
    std::ofstream out(p, std::ios::binary);
    out << R"({"format_version": "1.2", "x": )" << std::string(100000, '[') << std::string(100000, ']') << "}";
  }
  auto r = run_tfwarden("check '" + p.string() + "'");
  fs::remove(p);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("nesting is deeper than 512 levels"));
}

TEST_CASE("numbers that overflow are refused with their offset", "[hostile]") {
  fs::path p = temp_file("overflow.json");
  std::ofstream(p) << R"({"format_version": "1.2", "x": 123456789012345678901234567890})";
  auto r = run_tfwarden("check '" + p.string() + "'");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("at byte 31 is out of the range"));
  std::ofstream(p) << R"({"format_version": "1.2", "x": 1e400})";
  r = run_tfwarden("check '" + p.string() + "'");
  fs::remove(p);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("a number at byte 31 is out of the range"));
  CHECK_THAT(r.err, !Catch::Matchers::Contains("1e400"));  // error lines show no value of the plan
}

TEST_CASE("a JSON syntax error does not quote the value it stopped in", "[hostile][secrets]") {
  fs::path p = temp_file("bad-string.json");
  for (std::string bad : {"\"hunter2-correct-horse\x01\"", "\"hunter2-correct-horse\nx\"", "hunter2-correct-horse"}) {
    std::ofstream(p, std::ios::binary) << R"({"format_version": "1.2", "variables": {"p": {"value": )" << bad << "}}}";
    auto r = run_tfwarden("check '" + p.string() + "'");
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Matchers::Contains("invalid JSON at byte "));
    CHECK_THAT(r.err, !Catch::Matchers::Contains("hunter2"));
    CHECK_THAT(r.err, !Catch::Matchers::Contains("last read"));
  }
  fs::remove(p);
}

TEST_CASE("a catastrophic regex in a rule file is refused or linear", "[hostile]") {
  // RE2 has no backtracking: `(a*)*$` runs in linear time; a huge repetition is refused.
  std::string base = tfwarden::test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nmessage = \"m\"\n");
  std::string error;
  auto rule = tfwarden::load_rule("x.toml", base + "[let]\nr = 'x matches \"((a{1000}){1000}){1000}\"'\n", error);
  CHECK_FALSE(rule);
  CHECK_THAT(error, Catch::Matchers::Contains("bad regular expression"));
}

TEST_CASE("a 10,000-character waiver pattern is refused", "[hostile]") {
  tfwarden::Config cfg;
  std::string error;
  std::string text = "[[waiver]]\nrule = \"HP-NET-001\"\naddress = \"" + std::string(10000, '*') +
                     "\"\nreason = \"r\"\napproved-by = \"a\"\nexpires = 2027-01-01\n";
  CHECK_FALSE(tfwarden::load_config_text(".tfwarden.toml", text, cfg, error));
  CHECK_THAT(error,
             Catch::Matchers::Contains(".tfwarden.toml:3: key `waiver.address`: the pattern is 10000 characters long"));
}

TEST_CASE("a failed run leaves an existing output file untouched and writes no partial file", "[hostile]") {
  fs::path out = temp_file("report.json");
  std::ofstream(out) << "previous report";
  fs::path bad = temp_file("bad.json");
  std::ofstream(bad) << R"({"format_version": "1.2", "resource_changes": [)";
  auto r = run_tfwarden("check '" + bad.string() + "' --format json --output '" + out.string() + "'");
  CHECK(r.code == 2);
  CHECK(tfwarden::test::read_file(out.string()) == "previous report");
  size_t leftovers = 0;
  for (auto& e : fs::directory_iterator(out.parent_path()))
    if (e.path().filename().string().find(".tfwarden-") != std::string::npos) ++leftovers;
  CHECK(leftovers == 0);
  fs::remove(out);
  fs::remove(bad);
}

TEST_CASE("inputs are opened read-only and never modified", "[hostile]") {
  fs::path p = temp_file("readonly.json");
  std::ofstream(p) << R"({"format_version": "1.2", "resource_changes": []})";
  fs::permissions(p, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  auto before = fs::last_write_time(p);
  auto r = run_tfwarden("check '" + p.string() + "'");
  CHECK(r.code == 0);
  CHECK(fs::last_write_time(p) == before);
  fs::remove(p);
}

// `{a = {a = ... 1 ...}}`, `depth` tables deep.
std::string nested_inline_tables(int depth) {
  std::string s = "1";
  for (int i = 0; i < depth; ++i) s = "{a = " + s + "}";
  return s;
}

TEST_CASE("TOML nested beyond 64 levels is refused before parsing, never a stack overflow", "[hostile]") {
  // 50,000 dotted parts overflowed toml++'s recursion (a segmentation fault).
  std::string key;
  for (int i = 0; i < 50000; ++i) key += i ? ".a" : "a";
  for (const std::string& text :
       {key + " = 1\n", "[" + key + "]\nx = 1\n", "x = " + std::string(70, '[') + std::string(70, ']') + "\n",
        "x = " + nested_inline_tables(70) + "\n"}) {
    tfwarden::Config cfg;
    std::string error;
    CHECK_FALSE(tfwarden::load_config_text(".tfwarden.toml", text, cfg, error));
    CHECK_THAT(error, Catch::Matchers::StartsWith(".tfwarden.toml:1: "));
    CHECK_THAT(error, Catch::Matchers::Contains("nest deeper than 64 levels"));
    std::string rule_error;
    CHECK_FALSE(tfwarden::load_rule("r.toml", text, rule_error));
    CHECK_THAT(rule_error, Catch::Matchers::Contains("r.toml:1: "));
  }
  // Dots and brackets inside strings and comments are text, and 64 levels are fine.
  std::string ok_key;
  for (int i = 0; i < 64; ++i) ok_key += i ? ".a" : "a";
  tfwarden::Config cfg;
  std::string error;
  CHECK_THAT(std::string(tfwarden::load_config_text(".tfwarden.toml",
                                                    "# " + key + "\n" + ok_key + " = \"" + key + "[[[[\"\n", cfg, error)
                             ? ""
                             : error),
             !Catch::Matchers::Contains("nest deeper"));
}

TEST_CASE("a waiver's expiry must be a calendar date", "[hostile]") {
  for (const char* date : {"\"2026-04-31\"", "\"2027-02-29\"", "\"2026-13-01\"", "\"2026-00-10\""}) {
    INFO(date);
    tfwarden::Config cfg;
    std::string error;
    std::string text =
        std::string(
            "[[waiver]]\nrule = \"HP-NET-001\"\naddress = \"a\"\nreason = \"r\"\napproved-by = \"a\"\nexpires = ") +
        date + "\n";
    CHECK_FALSE(tfwarden::load_config_text(".tfwarden.toml", text, cfg, error));
    CHECK_THAT(error, Catch::Matchers::Contains("is not a calendar date"));
  }
  tfwarden::Config cfg;
  std::string error;
  CHECK(tfwarden::load_config_text(".tfwarden.toml",
                                   "[[waiver]]\nrule = \"HP-NET-001\"\naddress = \"a\"\nreason = \"r\"\napproved-by = "
                                   "\"a\"\nexpires = \"2028-02-29\"\n",
                                   cfg, error));
}

namespace {

// Sets TFWARDEN_TODAY for the life of the object.
struct FixedToday {
  explicit FixedToday(const char* date) { ::setenv("TFWARDEN_TODAY", date, 1); }
  ~FixedToday() { ::unsetenv("TFWARDEN_TODAY"); }
  FixedToday(const FixedToday&) = delete;
  FixedToday& operator=(const FixedToday&) = delete;
};

std::string waiver_expiring(const std::string& date) {
  return "[[waiver]]\nrule = \"HP-NET-001\"\naddress = \"a\"\nreason = \"r\"\napproved-by = \"a\"\nexpires = " + date +
         "\n";
}

}  // namespace

TEST_CASE("a waiver expires at most three years after today", "[hostile]") {
  struct Case {
    const char* today;
    const char* expires;
    bool ok;
  };
  for (const Case& c : {Case{"2026-12-01", "2029-12-01", true}, Case{"2026-12-01", "2029-12-02", false},
                        Case{"2026-12-01", "\"2029-12-01\"", true}, Case{"2026-12-01", "9999-12-31", false},
                        Case{"2026-12-01", "\"9999-12-31\"", false}, Case{"2028-02-29", "2031-02-28", true},
                        Case{"2028-02-29", "2031-03-01", false}, Case{"2026-12-01", "2020-01-01", true}}) {
    INFO("today " << c.today << ", expires " << c.expires);
    FixedToday today(c.today);
    tfwarden::Config cfg;
    std::string error;
    CHECK(tfwarden::load_config_text(".tfwarden.toml", waiver_expiring(c.expires), cfg, error) == c.ok);
    if (!c.ok)
      CHECK_THAT(error, Catch::Matchers::Contains(".tfwarden.toml:6: key `waiver.expires`:") &&
                            Catch::Matchers::Contains("is more than 3 years away: a waiver expires by"));
  }
  // Through the binary, as a user meets it.
  fs::path dir = fs::temp_directory_path() / ("tfwarden-expiry-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / ".tfwarden.toml") << waiver_expiring("9999-12-31");
  auto r =
      run_tfwarden("check fixtures/reference-platform/plan.json --config '" + (dir / ".tfwarden.toml").string() + "'");
  fs::remove_all(dir);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::StartsWith("tfwarden: error: ") &&
                        Catch::Matchers::Contains("`9999-12-31` is more than 3 years away"));
}

TEST_CASE("a string over 64 MiB fails its plan, with the path and the limit, and only its plan", "[hostile]") {
  fs::path big = temp_file("big-string.json");
  {
    std::ofstream f(big, std::ios::binary);
    f << R"({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [{"address": "aws_s3_object.o", )"
      << R"("mode": "managed", "type": "aws_s3_object", "name": "o", "provider_name": "registry.terraform.io/hashicorp/aws", )"
      << R"("change": {"actions": ["create"], "before": null, "after": {"content": ")"
      << std::string((size_t{64} << 20) + 1, 'x') << R"("}, "after_unknown": {}}}]})";
  }
  auto r = run_tfwarden("check '" + big.string() + "' fixtures/reference-platform/plan.json --format json");
  fs::remove(big);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("resource_changes[0].change.after.content: a string of 67108865 bytes is "
                                              "over the limit of 64 MiB (tfwarden does not lint a plan it cannot read "
                                              "whole"));
  // The other input is still linted and reported.
  auto report = nlohmann::json::parse(r.out);
  REQUIRE(report.at("inputs").size() == 2);
  CHECK(report.at("inputs").at(1).at("error").is_null());
  CHECK(report.at("inputs").at(1).at("resources").get<int>() > 100);
}

TEST_CASE("a file name with control characters is the same name in the report whether it was read or not",
          "[hostile]") {
  fs::path dir = fs::temp_directory_path() / ("tfwarden-names-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file("tests/fixtures/plans/findings.json", dir / "read\x1b[31m.json");
  std::ofstream(dir / "broken\x1b[31m.json") << R"({"format_version": "1.2", "resource_changes": [)";
  auto r = run_tfwarden("check '" + dir.string() + "' --format json");
  auto t = run_tfwarden("check '" + dir.string() + "' --color never");
  fs::remove_all(dir);
  CHECK(r.code == 2);
  auto report = nlohmann::json::parse(r.out);
  std::set<std::string> names;
  for (const auto& in : report.at("inputs")) names.insert(in.at("input").get<std::string>());
  CHECK(names == std::set<std::string>{(dir / "broken\x1b[31m.json").string(), (dir / "read\x1b[31m.json").string()});
  // The text report and the error lines show both the same way, escaped.
  CHECK(t.out.find("\x1b") == std::string::npos);
  CHECK(t.err.find("\x1b") == std::string::npos);
  CHECK(t.out.find("broken\\u001b[31m.json") != std::string::npos);
  CHECK(t.out.find("read\\u001b[31m.json") != std::string::npos);
}

TEST_CASE("--baseline naming a directory is one clear error", "[hostile]") {
  auto r = run_tfwarden("check fixtures/reference-platform/plan.json --baseline tests");
  CHECK(r.code == 2);
  CHECK(r.err == "tfwarden: error: tests: the baseline is a directory; give the JSON report file\n");
}

namespace {

// Checks one rendering of a hostile plan against the invariants the plan fuzzer checks.
void check_rendering(const std::string& format, const tfwarden::test::RunResult& r) {
  namespace rc = tfwarden::report_checks;
  INFO(format << " output:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(rc::valid_utf8(r.out));
  CHECK(rc::no_controls_but_newline(r.out));
  CHECK(rc::valid_utf8(r.err));
  CHECK(rc::no_controls_but_newline(r.err));
  CHECK_THAT(r.err, !Catch::Matchers::Contains("internal error"));
  // No line of any output or error starts a workflow command tfwarden did not write.
  for (const std::string* s : {&r.out, &r.err}) {
    std::istringstream lines(*s);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("::", 0) == 0) CHECK(rc::github_line_ok(line));
  }
  if (format == "github") CHECK(rc::github_output_ok(r.out));
  if (format == "json" || format == "sarif" || format == "gitlab") CHECK(rc::json_parses(r.out));
}

const char* const kFormats[] = {"text", "json", "sarif", "junit", "github", "markdown", "gitlab", "checkstyle"};

}  // namespace

TEST_CASE("a plan string cut inside a UTF-8 character breaks no report format", "[hostile][report]") {
  std::string plan = std::string(TFWARDEN_SOURCE_DIR) + "/tests/fixtures/plans/hostile-strings/ssl-policy-100-e.json";
  for (const char* format : kFormats) {
    auto r = run_tfwarden(std::string("check --format ") + format + " --color always '" + plan + "'");
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Matchers::Contains("HP-LB-002"));
    if (std::string(format) != "text") check_rendering(format, r);  // text is coloured: checked below
  }
  auto text = run_tfwarden("check --format text --color never '" + plan + "'");
  check_rendering("text", text);
  // The value is cut to whole characters: "ELBSecurityPolicy-x" and 50 é (119 bytes), then "...".
  std::string cut = "ELBSecurityPolicy-x";
  for (int i = 0; i < 50; ++i) cut += "\xC3\xA9";
  CHECK_THAT(text.out, Catch::Matchers::Contains("TLS policy `" + cut + "...`"));

  fs::path baseline = temp_file("baseline.json");
  auto b = run_tfwarden("check --format text --write-baseline '" + baseline.string() + "' '" + plan + "'");
  CHECK(b.code == 1);
  CHECK_THAT(b.err, !Catch::Matchers::Contains("internal error"));
  std::string written = tfwarden::test::read_file(baseline.string());
  fs::remove(baseline);
  CHECK(tfwarden::report_checks::json_parses(written));
  CHECK_THAT(written, Catch::Matchers::Contains("\"value\": \"" + cut + "...\""));
}

TEST_CASE("an action holding a workflow command forges no line in any format", "[hostile][report]") {
  std::string dir = std::string(TFWARDEN_SOURCE_DIR) + "/tests/fixtures/plans/hostile-strings/";
  std::string forged = dir + "actions-forged-annotation.json", good = dir + "ssl-policy-100-e.json";
  for (const char* format : kFormats) {
    // The forged plan is not read (an unknown action); the other still is, and the run exits 2.
    auto r = run_tfwarden(std::string("check --format ") + format + " --color never '" + good + "' '" + forged + "'");
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Matchers::Contains("HP-LB-002"));
    CHECK_THAT(r.err, Catch::Matchers::Contains("unknown action \"\\n::error title=tfwarden::all checks passed\\n\""));
    check_rendering(format, r);
  }
}
