// The check command's own plumbing, through the real binary.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace {

// The region of the single finding in a JSON report ("" when it is not known: null).
std::string finding_region(const std::string& report) {
  auto doc = nlohmann::json::parse(report);
  REQUIRE(doc["findings"].size() == 1);
  const auto& region = doc["findings"][0]["region"];
  return region.is_null() ? "" : region.get<std::string>();
}

}  // namespace

TEST_CASE("the config's default region reaches the engine, and --default-region wins", "[cli]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // A public subnet whose provider sets no region.
  std::ofstream(dir / "plan.json") << R"({"format_version": "1.2", "resource_changes": [
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"map_public_ip_on_launch": true}, "after_unknown": {}}}],
    "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
      "root_module": {"resources": [{"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
        "provider_config_key": "aws", "expressions": {"map_public_ip_on_launch": {"constant_value": true}}}]}}})";
  std::ofstream(dir / "region.toml") << "default-region = \"eu-west-3\"\n";
  std::string plan = "'" + (dir / "plan.json").string() + "'";
  std::string cfg = " --config '" + (dir / "region.toml").string() + "'";
  std::string only = " --only HP-NET-001 --format json";

  auto none = tfwarden::test::run_tfwarden("check " + plan + only);
  REQUIRE(none.code == 1);
  CHECK(finding_region(none.out).empty());
  auto from_config = tfwarden::test::run_tfwarden("check " + plan + only + cfg);
  REQUIRE(from_config.code == 1);
  CHECK(finding_region(from_config.out) == "eu-west-3");
  auto from_flag = tfwarden::test::run_tfwarden("check " + plan + only + cfg + " --default-region ap-south-1");
  REQUIRE(from_flag.code == 1);
  CHECK(finding_region(from_flag.out) == "ap-south-1");
  fs::remove_all(dir);
}

namespace {

bool printable_ascii_lines(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); });
}

}  // namespace

TEST_CASE("a file name with control characters reaches stderr escaped", "[cli][inputs]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-names-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string name = "plan\x1b[2J\a\xE9.json";
  std::ofstream(dir / name) << "{\"format_version\": \"1.2\", \"x\": \"\xE9\"}";
  // The shell's $'...' would be bash-only: the name is globbed instead.
  auto r = tfwarden::test::run_tfwarden("check '" + dir.string() + "'/plan*.json");
  CHECK(r.code == 2);
  CHECK(printable_ascii_lines(r.err));
  CHECK_THAT(r.err, Catch::Matchers::Contains("plan\\u001b[2J\\u0007\\xe9.json: invalid UTF-8 at byte 32 (`\\xe9`)"));
  auto missing = tfwarden::test::run_tfwarden("check '" + dir.string() + "'/plan*.json'" + "\x1b[1m" + "'");
  CHECK(missing.code == 2);
  CHECK(printable_ascii_lines(missing.err));
  fs::remove_all(dir);
}

TEST_CASE("a directory scan skips what is not a plan, but not everything, and not unreadable folders",
          "[cli][inputs]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-scan-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "package.json") << R"({"name": "x", "version": "1.0.0"})";
  std::ofstream(dir / "sub" / "tsconfig.json") << R"({"compilerOptions": {}})";
  // Only JSON that is neither a plan nor a state: nothing to lint is an error, as an empty folder is.
  auto none = tfwarden::test::run_tfwarden("check '" + dir.string() + "' --format json");
  CHECK(none.code == 2);
  CHECK(none.out.empty());
  CHECK_THAT(none.err, Catch::Matchers::Contains("tfwarden: note: skipped 2 JSON files under " + dir.string() +
                                                 " that are neither plans nor states\n"));
  CHECK_THAT(none.err, Catch::Matchers::Contains("tfwarden: error: no plan or state to lint"));

  std::ofstream(dir / "plan.json") << R"({"format_version": "1.2", "resource_changes": []})";
  // A file name that is not UTF-8 (Latin-1 "café") cannot go into JSON as it is.
  std::ofstream(dir / "caf\xE9.json") << R"({"name": "x", "version": "1.0.0"})";
  auto one = tfwarden::test::run_tfwarden("check '" + dir.string() + "' --format json");
  CHECK(one.code == 0);
  auto report = nlohmann::json::parse(one.out);
  CHECK(report["inputs"].size() == 1);
  REQUIRE(report["skipped"].size() == 3);
  CHECK(report["skipped"][0]["path"] == (dir / "caf\xEF\xBF\xBD.json").string());
  CHECK(report["skipped"][2]["path"] == (dir / "sub" / "tsconfig.json").string());
  CHECK(report["skipped"][2]["reason"] ==
        "not a plan or state: a JSON object without `format_version` (keys `compilerOptions`)");

  if (::geteuid() != 0) {
    fs::create_directories(dir / "locked");
    fs::permissions(dir / "locked", fs::perms::none);
    auto locked = tfwarden::test::run_tfwarden("check '" + dir.string() + "'");
    CHECK(locked.code == 2);
    CHECK_THAT(locked.err, Catch::Matchers::Contains((dir / "locked").string() + ": cannot read the directory: "));
    fs::permissions(dir / "locked", fs::perms::owner_all);
  }
  fs::remove_all(dir);
}
