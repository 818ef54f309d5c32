// Regions that add up (issue 13, class 10): resources of providers other than AWS have no
// region, are not "unresolved", and never take --default-region; a Terraform 0.12 plan's
// prior_state lists a module's resources relative to it, and they keep their module and provider.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "test_util.h"

using tfwarden::test::run_tfwarden;

TEST_CASE("a resource of another provider has no region and is not unresolved", "[region][cli]") {
  // terraform_data (Terraform's built-in provider), planned by Terraform 1.11.4.
  auto r = run_tfwarden(
      "inspect tests/fixtures/plans/deposed/plan.json --resources --default-region eu-west-1 "
      "--format json");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out).at(0);
  // One instance and the deposed object a create-before-destroy left: counted apart.
  CHECK(j.at("resources") == 1);
  CHECK(j.at("deposed") == 1);
  CHECK(j.at("data_sources") == 0);
  CHECK(j.at("by_region") == nlohmann::json({{"(not an AWS resource)", 2}}));
  CHECK(j.at("region_problems").empty());
  for (const auto& res : j.at("resource_list")) CHECK(res.at("region").is_null());
}

TEST_CASE("a Terraform 0.12 prior_state's module resources keep their module and inherited provider",
          "[region][corpus]") {
  if (!tfwarden::test::have_corpus()) {
    WARN("skipped: ../shared/corpus is absent");
    return;
  }
  std::string plan =
      tfwarden::test::corpus_dir() + "/real-world/terraform-compliance__cli__test_issue-249-plan.out.json";
  auto r = run_tfwarden("inspect '" + plan + "' --resources --format json");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out).at(0);
  CHECK(j.at("region_problems").empty());
  int aws = 0, regional = 0;
  for (const auto& res : j.at("resource_list")) {
    std::string address = res.at("address");
    if (address.find(".aws_") == std::string::npos && address.rfind("aws_", 0) != 0) continue;
    INFO(address);
    ++aws;
    // var.aws_region of the root provider, inherited; IAM and Route 53 are global services
    bool global = address.find("aws_iam_") != std::string::npos || address.find("aws_route53_") != std::string::npos;
    CHECK(res.at("region") == (global ? "global" : "us-east-1"));
    if (!global) ++regional;
  }
  CHECK(aws == 56);
  CHECK(regional == 36);
  // `data.aws_region.current` of module.alb.module.data-tags is that, not a root data source.
  CHECK(r.out.find("\"module.alb.module.data-tags.data.aws_region.current\"") != std::string::npos);
}

TEST_CASE("a resource whose module left the configuration keeps its provider's region", "[region][cli]") {
  // Real plans (tests/fixtures/plans/removed-module*): the state's module.old is gone from the
  // configuration and its security group rule, whose id holds no region, is deleted.
  auto one = run_tfwarden(
      "inspect tests/fixtures/plans/removed-module/plan.json --resources --default-region ap-south-1 --format json");
  REQUIRE(one.code == 0);
  bool seen = false;
  auto listed = nlohmann::json::parse(one.out);
  for (const auto& res : listed.at(0).at("resource_list")) {
    if (res.at("address") != "module.old.aws_security_group_rule.https") continue;
    seen = true;
    CHECK(res.at("action") == "delete");
    CHECK(res.at("region") == "eu-west-1");  // the only aws configuration, not the default
  }
  CHECK(seen);
  // With aws and aws.us configured, the plan does not say which deletes it: unknown, never the
  // default region.
  auto two = run_tfwarden(
      "inspect tests/fixtures/plans/removed-module-aliased/plan.json --resources --default-region ap-south-1 "
      "--format json");
  REQUIRE(two.code == 0);
  auto j = nlohmann::json::parse(two.out).at(0);
  CHECK(j.at("by_region").value("ap-south-1", 0) == 0);
  REQUIRE(j.at("region_problems").size() == 1);
  CHECK(j.at("region_problems").begin().key().find("does not say which aws provider configuration deletes it") !=
        std::string::npos);
}

TEST_CASE("a module without a provider block uses its caller's, or the one `providers` maps", "[region][cli]") {
  // Real plan: tests/fixtures/plans/provider-inheritance (Terraform 1.11.4, AWS provider 5.100.0).
  auto r = run_tfwarden(
      "inspect tests/fixtures/plans/provider-inheritance/plan.json --resources --default-region ap-south-1 "
      "--format json");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  std::map<std::string, std::string> regions;
  for (const auto& res : j.at(0).at("resource_list")) regions[res.at("address")] = res.at("region");
  CHECK(regions == std::map<std::string, std::string>{{"module.a.aws_sqs_queue.qa", "eu-central-1"},
                                                      {"module.a.module.b.aws_sqs_queue.qb", "eu-central-1"},
                                                      {"module.c.aws_sqs_queue.qc", "us-east-1"}});
  CHECK(j.at(0).at("region_problems").empty());
}
