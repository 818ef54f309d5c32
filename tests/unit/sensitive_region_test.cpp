// Regions set from sensitive variables, and instance keys Terraform escapes in addresses, in a real
// plan and state (tests/fixtures/plans/sensitive-region/, made by Terraform with the AWS provider).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "plan/plan.h"
#include "test_util.h"

using tfwarden::test::run_tfwarden;

namespace {

const std::string kDir = std::string(TFWARDEN_SOURCE_DIR) + "/tests/fixtures/plans/sensitive-region/";

// The default provider's region comes from a sensitive root variable, module.regional's from a
// variable the module declares sensitive.
void check_no_sensitive_region(const std::string& what, const std::string& output) {
  for (const char* region : {"eu-west-3", "ap-southeast-2"}) {
    INFO(what << " shows the sensitive region " << region << ":\n" << output);
    CHECK(output.find(region) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a region set from a sensitive variable is never printed", "[secrets][region][cli]") {
  for (const char* format : {"json", "sarif", "junit", "github", "markdown", "gitlab", "checkstyle", "text"}) {
    INFO("--format " << format);
    auto r = run_tfwarden("check '" + kDir + "plan.json' --color never --format " + format);
    CHECK(r.code == 1);
    check_no_sensitive_region(std::string(format) + " report", r.out + r.err);
    CHECK(r.out.find("HP-BAK-001") != std::string::npos);
  }
  for (const char* args : {"--resources", "--resources --format json"}) {
    auto r = run_tfwarden("inspect '" + kDir + "plan.json' " + args);
    CHECK(r.code == 0);
    check_no_sensitive_region(std::string("inspect ") + args, r.out + r.err);
    CHECK(r.out.find("(sensitive)") != std::string::npos);
  }
  auto r = run_tfwarden("check '" + kDir + "plan.json' --format json");
  auto report = nlohmann::json::parse(r.out);
  for (const auto& f : report.at("findings")) {
    INFO(f.dump());
    std::string address = f.at("address");
    CHECK(f.at("region") == (address == "aws_backup_vault.dr" ? "eu-central-1" : "(sensitive)"));
  }
}

TEST_CASE("a sensitive region still decides the rules that compare regions", "[secrets][region][cli]") {
  // The backup plan (sensitive eu-west-3) copies into a CMK vault of aws.eu (eu-central-1).
  auto r = run_tfwarden("check '" + kDir + "plan.json' --only HP-BAK-002 --format json");
  CHECK(r.code == 0);
  auto summary = nlohmann::json::parse(r.out).at("summary");
  CHECK(summary.at("checks") == 1);
  CHECK(summary.at("findings") == 0);
  CHECK(summary.at("undecided") == 0);
}

TEST_CASE("instance keys with ${, %{, quotes and control characters keep their module and provider", "[plan][region]") {
  // Terraform writes them `["a$${b}"]`, `["c%%{d}"]`, `["bell\u0007"]`, `["nl\nx"]`, ...
  for (const char* file : {"plan.json", "state.json"}) {
    INFO(file);
    std::string error;
    auto plan = tfwarden::load_plan_file(kDir + file, error);
    REQUIRE(plan);
    int keys = 0;
    for (const auto& res : plan->resources) {
      if (res.address.substr(0, 12) != "module.keys.") continue;
      INFO(res.address);
      CHECK(res.module_address == "module.keys");
      CHECK(res.config_module == "module.keys");
      if (res.type == "aws_iam_policy_document") {
        ++keys;
        // The key in Terraform's form is the address's last step.
        std::string suffix = "p[" + res.index + "]";
        CHECK(res.address.substr(res.address.size() - suffix.size()) == suffix);
      }
    }
    CHECK(keys == 8);
  }
  // In the plan, every one of them has the module's provider, aws.eu (IAM policy documents are
  // of a global service: their region is `global`, the provider still theirs).
  auto r = run_tfwarden("inspect '" + kDir + "plan.json' --resources --format json");
  REQUIRE(r.code == 0);
  int seen = 0;
  auto inspected = nlohmann::json::parse(r.out);
  for (const auto& res : inspected.at(0).at("resource_list")) {
    std::string address = res.at("address");
    if (address.rfind("module.keys.", 0) != 0) continue;
    INFO(address);
    ++seen;
    CHECK(res.at("provider_config_key") == "aws.eu");
    if (address.find("aws_iam_") != std::string::npos) {
      CHECK(res.at("region") == "global");
      continue;
    }
    CHECK(res.at("region") == "eu-central-1");
    CHECK(res.at("region_source") == "provider aws.eu");
  }
  CHECK(seen == 9);
}
