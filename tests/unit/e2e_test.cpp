// End-to-end cases: every directory under tests/e2e/ is run against the built binary from the
// repository root, and its output is compared byte for byte with the golden files beside it.
// UPDATE_GOLDEN=1 rewrites the goldens (expected.json, expected.txt, expected.stderr, exit_code);
// review the diff. The layout of a case is described in tests/e2e/README.md.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "test_util.h"

namespace fs = std::filesystem;
using tfwarden::test::read_file;
using tfwarden::test::run_tfwarden;

namespace {

std::string trim(std::string s) {
  auto ws = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), ws));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), ws).base(), s.end());
  return s;
}

// Single-line files hold paths and arguments; newlines become spaces.
std::string read_line(const fs::path& p) {
  std::string s = read_file(p.string());
  std::replace(s.begin(), s.end(), '\n', ' ');
  return trim(s);
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

bool update_golden() {
  const char* v = std::getenv("UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

struct Case {
  std::string name;
  fs::path dir;  // relative to the repository root
  std::string command;
};

// Paths in the goldens are relative to the repository root, where CTest runs the tests.
void enter_source_dir() {
  if (!fs::is_directory("tests/e2e")) fs::current_path(TFWARDEN_SOURCE_DIR);
}

std::vector<Case> cases() {
  enter_source_dir();
  std::vector<Case> out;
  for (const auto& entry : fs::directory_iterator("tests/e2e")) {
    if (!entry.is_directory()) continue;
    Case c;
    c.name = entry.path().filename().string();
    c.dir = fs::path("tests/e2e") / c.name;
    c.command = "check " + read_line(c.dir / "input");
    if (fs::exists(c.dir / ".tfwarden.toml")) c.command += " --config " + (c.dir / ".tfwarden.toml").string();
    if (fs::exists(c.dir / "args")) c.command += " " + read_line(c.dir / "args");
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

// The first line where two outputs differ, to keep a failure readable.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string le, la;
  for (int line = 1;; ++line) {
    bool more_e = static_cast<bool>(std::getline(e, le));
    bool more_a = static_cast<bool>(std::getline(a, la));
    if (!more_e && !more_a) return "the outputs differ only in their final newline";
    if (!more_e || !more_a || le != la) {
      return "first difference at line " + std::to_string(line) + ":\n  expected: " +
             (more_e ? le : "(end of file)") + "\n  actual:   " + (more_a ? la : "(end of output)");
    }
  }
}

// Compares `actual` with the golden file, or rewrites the golden under UPDATE_GOLDEN=1.
// A missing stderr golden means "no stderr".
void check_golden(const fs::path& golden, const std::string& actual, bool optional = false) {
  if (update_golden()) {
    if (optional && actual.empty()) {
      fs::remove(golden);
    } else {
      write_file(golden, actual);
    }
    return;
  }
  if (optional && !fs::exists(golden)) {
    INFO(golden.string() << " does not exist, so the output must be empty");
    CHECK(actual.empty());
    return;
  }
  REQUIRE(fs::exists(golden));
  const std::string expected = read_file(golden.string());
  INFO("golden file " << golden.string() << " (UPDATE_GOLDEN=1 ctest -R e2e rewrites it)\n"
                      << first_difference(expected, actual));
  const bool matches_golden = actual == expected;  // not CHECK(a == b): that prints both outputs
  CHECK(matches_golden);
}

using Finding = std::tuple<std::string, std::string, bool>;

std::set<Finding> finding_set(const nlohmann::json& findings) {
  std::set<Finding> out;
  for (const auto& f : findings) out.emplace(f.at("rule"), f.at("address"), f.at("undecided"));
  return out;
}

// True when every line holds only printable ASCII: the tool's own messages never echo a raw
// input byte (a control character, an escape sequence, a byte that is not ASCII).
bool printable_ascii_lines(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); });
}

std::string describe(const std::set<Finding>& s) {
  std::ostringstream os;
  for (const auto& [rule, address, undecided] : s) {
    os << "\n  " << rule << " " << address << (undecided ? " (undecided)" : "");
  }
  return os.str();
}

// The goldens' waivers expire on fixed dates: the cases run on a fixed day, so that they say the
// same every day (and stay within the three years a waiver may run).
struct FixedToday {
  FixedToday() { ::setenv("TFWARDEN_TODAY", "2026-12-01", 1); }
  ~FixedToday() { ::unsetenv("TFWARDEN_TODAY"); }
  FixedToday(const FixedToday&) = delete;
  FixedToday& operator=(const FixedToday&) = delete;
};

}  // namespace

TEST_CASE("e2e: every case of tests/e2e matches its goldens", "[.][e2e]") {
  FixedToday today;
  const std::vector<Case> all = cases();
  REQUIRE(all.size() >= 20);
  for (const Case& c : all) {
    DYNAMIC_SECTION(c.name) {
      INFO("tfwarden " << c.command);
      auto json = run_tfwarden(c.command + " --format json");
      auto text = run_tfwarden(c.command + " --format text --color never");

      CHECK(json.code == text.code);
      CHECK(json.err == text.err);
      check_golden(c.dir / "exit_code", std::to_string(json.code) + "\n");
      check_golden(c.dir / "expected.json", json.out);
      check_golden(c.dir / "expected.txt", text.out);
      check_golden(c.dir / "expected.stderr", json.err, /*optional=*/true);
      CHECK(printable_ascii_lines(json.err));

      // A case may name the exact set of findings it must produce (a variant's expected.json,
      // decided from the rules, not from the output); the goldens never rewrite it.
      if (fs::exists(c.dir / "findings")) {
        fs::path expected_path = read_line(c.dir / "findings");
        REQUIRE(fs::exists(expected_path));
        auto report = nlohmann::json::parse(json.out);
        auto expected = finding_set(nlohmann::json::parse(read_file(expected_path.string())));
        auto actual = finding_set(report.at("findings"));
        INFO("expected (" << expected_path.string() << "):" << describe(expected) << "\nactual:" << describe(actual));
        CHECK(actual == expected);
      }
    }
  }
}

TEST_CASE("e2e: every reference-platform variant has a case and a complete fixture", "[.][e2e]") {
  enter_source_dir();
  const fs::path variants = "fixtures/reference-platform/variants";
  REQUIRE(fs::is_directory(variants));
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(variants)) {
    if (!entry.is_directory()) continue;
    ++n;
    const std::string name = entry.path().filename().string();
    INFO("variant " << name);
    for (const char* f : {"plan.json", "README.md", "expected.json"}) CHECK(fs::exists(entry.path() / f));
    const fs::path e2e = fs::path("tests/e2e") / ("variant-" + name);
    CHECK(fs::exists(e2e / "input"));
    CHECK(fs::exists(e2e / "findings"));
    // A variant is a mistake: it produces at least one finding, none of them undecided.
    auto expected = nlohmann::json::parse(read_file((entry.path() / "expected.json").string()));
    CHECK(!expected.empty());
    for (const auto& f : expected) CHECK(f.at("undecided") == false);
  }
  CHECK(n >= 15);
}

TEST_CASE("e2e: every output format has a golden", "[.][e2e]") {
  FixedToday today;
  enter_source_dir();
  const fs::path dir = "tests/e2e-formats";
  for (const char* format : {"text", "json", "sarif", "junit", "github", "markdown", "gitlab", "checkstyle"}) {
    std::string args = std::string("check tests/fixtures/plans/findings.json --source-dir tests/fixtures/source-map") +
                       " --config tests/e2e-formats/.tfwarden.toml --color never --format " + format;
    INFO("tfwarden " << args);
    auto r = run_tfwarden(args);
    CHECK(r.code == 1);
    CHECK(r.err.empty());
    check_golden(dir / (std::string("expected.") + format), r.out);
  }
}
