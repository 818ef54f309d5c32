// The secrets of a real plan (tests/fixtures/plans/secrets/, made by Terraform) reach no output:
// no report format, no baseline, no error line. The findings about them are still reported.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.h"

namespace fs = std::filesystem;
using tfwarden::test::read_file;
using tfwarden::test::run_tfwarden;

namespace {

// The plan's secrets and their first bytes, so a value cut short is caught too.
const std::vector<std::string> kSecrets = {
    "hunter2",   // DB_PASSWORD, also inside DATABASE_URL
    "AKIAZ7TF",  // AWS_ACCESS_KEY_ID
    "tfwFAKE",
    "0123456789abcdefEXAMPLE",  // AWS_SECRET_ACCESS_KEY
    "sensitive-api-token",      // var.api_token (sensitive = true)
};

void check_no_secret(const std::string& what, const std::string& output) {
  for (const auto& s : kSecrets) {
    INFO(what << " shows `" << s << "`:\n" << output);
    CHECK(output.find(s) == std::string::npos);
  }
}

const std::string kSource = TFWARDEN_SOURCE_DIR;
const std::string kPlan = kSource + "/tests/fixtures/plans/secrets/plan.json";
const std::string kArgs = "check '" + kPlan + "' --rules '" + kSource + "/tests/e2e/secret-values-redacted/rules'";

}  // namespace

TEST_CASE("no output format, baseline or error line prints a secret of the plan", "[secrets][cli]") {
  fs::path baseline = fs::temp_directory_path() / ("tfwarden-secrets-baseline-" + std::to_string(::getpid()) + ".json");
  for (const char* format : {"json", "sarif", "junit", "github", "markdown", "gitlab", "checkstyle", "text"}) {
    INFO("--format " << format);
    auto r =
        run_tfwarden(kArgs + " --color never --format " + format + " --write-baseline '" + baseline.string() + "'");
    CHECK(r.code == 1);
    CHECK(r.err.empty());
    check_no_secret(std::string(format) + " report", r.out);
    check_no_secret("the baseline", read_file(baseline.string()));
    // The finding about the secret is still there, in every format.
    CHECK(r.out.find("HP-ECS-003") != std::string::npos);
    CHECK(r.out.find("aws_ecs_task_definition.api") != std::string::npos);
  }
  auto report = nlohmann::json::parse(read_file(baseline.string()));
  fs::remove(baseline);
  std::vector<std::string> values;
  for (const auto& f : report.at("findings"))
    if (f.at("rule") == "HP-ECS-003" && f.at("address") == "aws_ecs_task_definition.api")
      values.push_back(f.at("value"));
  CHECK(values == std::vector<std::string>{
                      "AWS_ACCESS_KEY_ID=(redacted), AWS_SECRET_ACCESS_KEY=(redacted), DATABASE_URL=(redacted), "
                      "DB_PASSWORD=(redacted)"});
}

TEST_CASE("an error line does not print a secret of the plan", "[secrets][cli]") {
  // The real plan, cut inside the sensitive variable's value: a JSON syntax error there.
  std::string plan = read_file(kPlan);
  size_t at = plan.find("sensitive-api-token-7f3a9c");
  REQUIRE(at != std::string::npos);
  fs::path cut = fs::temp_directory_path() / ("tfwarden-secrets-cut-" + std::to_string(::getpid()) + ".json");
  std::ofstream(cut, std::ios::binary) << plan.substr(0, at + 20) << "\n" << plan.substr(at + 20);
  auto r = run_tfwarden("check '" + cut.string() + "'");
  fs::remove(cut);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matchers::Contains("invalid JSON at byte"));
  check_no_secret("the error line", r.err);
}
