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
