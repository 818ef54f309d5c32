#include "engine/resolve.h"

#include <catch2/catch.hpp>

#include "../../tests/unit/test_util.h"
#include "engine/engine.h"

using namespace tfwarden;
using tfwarden::test::load_text;

namespace {

// A plan in Terraform's exact shape: the root passes a WAF ACL from module.waf (two levels
// deep: module.waf -> module.waf.module.acl) into module.edge's variable.
const char* kModulePlan = R"({
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": {"edge_region": {"value": "us-east-1"}, "dr_region": {"value": "eu-west-1"}},
  "resource_changes": [
    {"address": "module.edge.aws_cloudfront_distribution.main", "module_address": "module.edge",
     "mode": "managed", "type": "aws_cloudfront_distribution", "name": "main",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"enabled": true},
                "after_unknown": {"arn": true, "id": true, "web_acl_id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "module.waf.module.acl.aws_wafv2_web_acl.this[0]", "module_address": "module.waf.module.acl",
     "mode": "managed", "type": "aws_wafv2_web_acl", "name": "this", "index": 0,
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"scope": "CLOUDFRONT"},
                "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "aws_backup_vault.dr", "mode": "managed", "type": "aws_backup_vault", "name": "dr",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"name": "dr"},
                "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "aws_backup_vault.same", "mode": "managed", "type": "aws_backup_vault", "name": "same",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"name": "same"},
                "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "aws_backup_vault.local", "mode": "managed", "type": "aws_backup_vault", "name": "local",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"name": "local"},
                "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}},
    {"address": "aws_vpc.known", "mode": "managed", "type": "aws_vpc", "name": "known",
     "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["no-op"], "before": {"arn": "arn:aws:ec2:ap-south-1:123456789012:vpc/vpc-1"},
                "after": {"arn": "arn:aws:ec2:ap-south-1:123456789012:vpc/vpc-1", "id": "vpc-1"},
                "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}}
  ],
  "configuration": {
    "provider_config": {
      "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
              "expressions": {"region": {"references": ["var.edge_region"]}}},
      "aws.dr": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "alias": "dr",
                 "expressions": {"region": {"references": ["var.dr_region"]}}},
      "aws.same": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "alias": "same",
                   "expressions": {"region": {"constant_value": "us-east-1"}}},
      "aws.local": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "alias": "local",
                    "expressions": {"region": {"references": ["local.region"]}}}
    },
    "root_module": {
      "resources": [
        {"address": "aws_backup_vault.dr", "mode": "managed", "type": "aws_backup_vault", "name": "dr",
         "provider_config_key": "aws.dr", "expressions": {"name": {"constant_value": "dr"}}, "schema_version": 0},
        {"address": "aws_backup_vault.same", "mode": "managed", "type": "aws_backup_vault", "name": "same",
         "provider_config_key": "aws.same", "expressions": {"name": {"constant_value": "same"}}, "schema_version": 0},
        {"address": "aws_backup_vault.local", "mode": "managed", "type": "aws_backup_vault", "name": "local",
         "provider_config_key": "aws.local", "expressions": {"name": {"constant_value": "local"}}, "schema_version": 0},
        {"address": "aws_vpc.known", "mode": "managed", "type": "aws_vpc", "name": "known",
         "provider_config_key": "aws", "expressions": {}, "schema_version": 1}
      ],
      "module_calls": {
        "edge": {
          "source": "./modules/edge",
          "expressions": {"web_acl_arn": {"references": ["module.waf.web_acl_arn", "module.waf"]}},
          "module": {
            "resources": [
              {"address": "aws_cloudfront_distribution.main", "mode": "managed", "type": "aws_cloudfront_distribution",
               "name": "main", "provider_config_key": "aws",
               "expressions": {"enabled": {"constant_value": true}, "web_acl_id": {"references": ["var.web_acl_arn"]}},
               "schema_version": 1}
            ],
            "variables": {"web_acl_arn": {"description": "the ACL"}}
          }
        },
        "waf": {
          "source": "./modules/waf",
          "module": {
            "outputs": {"web_acl_arn": {"expression": {"references": ["module.acl.arn", "module.acl"]}}},
            "module_calls": {
              "acl": {
                "source": "./acl",
                "module": {
                  "outputs": {"arn": {"expression": {"references": ["aws_wafv2_web_acl.this[0].arn", "aws_wafv2_web_acl.this[0]", "aws_wafv2_web_acl.this"]}}},
                  "resources": [
                    {"address": "aws_wafv2_web_acl.this", "mode": "managed", "type": "aws_wafv2_web_acl", "name": "this",
                     "provider_config_key": "aws", "count_expression": {"constant_value": 1},
                     "expressions": {"scope": {"constant_value": "CLOUDFRONT"}}, "schema_version": 0}
                  ]
                }
              }
            }
          }
        }
      }
    }
  }
})";

}  // namespace

TEST_CASE("references resolve through var, two module levels and outputs", "[resolve]") {
  std::string error;
  auto plan = load_text(kModulePlan, error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  const Resource* dist = plan->by_address("module.edge.aws_cloudfront_distribution.main");
  REQUIRE(dist);
  REQUIRE(dist->config);
  Node expr = resolver.attribute_expression(*dist, {PathStep{"web_acl_id", -1}});
  REQUIRE(expr.present);
  Resolution res;
  resolver.resolve(expr, *dist->config->module, dist->module_address, "web_acl_id", res);
  CHECK(res.unresolved.empty());
  REQUIRE(res.targets.size() == 1);
  CHECK(res.targets[0]->address == "module.waf.module.acl.aws_wafv2_web_acl.this[0]");
}

TEST_CASE("an unresolvable reference says why", "[resolve]") {
  std::string error;
  auto plan = load_text(R"({
    "format_version": "1.2",
    "resource_changes": [
      {"address": "aws_cloudfront_distribution.a", "mode": "managed", "type": "aws_cloudfront_distribution", "name": "a",
       "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"web_acl_id": true}}}
    ],
    "configuration": {"root_module": {"resources": [
      {"address": "aws_cloudfront_distribution.a", "mode": "managed", "type": "aws_cloudfront_distribution", "name": "a",
       "provider_config_key": "aws", "expressions": {"web_acl_id": {"references": ["local.acl", "module.nope.arn"]}}}]}}
  })", error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  const Resource* r = plan->by_address("aws_cloudfront_distribution.a");
  Resolution res;
  resolver.resolve(resolver.attribute_expression(*r, {PathStep{"web_acl_id", -1}}), *r->config->module, std::string(),
                   "web_acl_id", res);
  REQUIRE(res.unresolved.size() == 2);
  CHECK_THAT(res.unresolved[0], Catch::Matchers::Contains("locals are not in the plan JSON"));
  CHECK_THAT(res.unresolved[1], Catch::Matchers::Contains("module.nope"));
}

TEST_CASE("a reference cycle between modules ends with a reason", "[resolve]") {
  std::string error;
  auto plan = load_text(R"({
    "format_version": "1.2",
    "resource_changes": [
      {"address": "aws_cloudfront_distribution.a", "mode": "managed", "type": "aws_cloudfront_distribution", "name": "a",
       "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"web_acl_id": true}}}
    ],
    "configuration": {"root_module": {
      "resources": [
        {"address": "aws_cloudfront_distribution.a", "mode": "managed", "type": "aws_cloudfront_distribution", "name": "a",
         "provider_config_key": "aws", "expressions": {"web_acl_id": {"references": ["module.a.out"]}}}],
      "module_calls": {
        "a": {"source": "./a", "expressions": {"x": {"references": ["module.b.out"]}},
              "module": {"outputs": {"out": {"expression": {"references": ["var.x"]}}}, "variables": {"x": {}}}},
        "b": {"source": "./b", "expressions": {"y": {"references": ["module.a.out"]}},
              "module": {"outputs": {"out": {"expression": {"references": ["var.y"]}}}, "variables": {"y": {}}}}}}}
  })", error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  const Resource* r = plan->by_address("aws_cloudfront_distribution.a");
  Resolution res;
  resolver.resolve(resolver.attribute_expression(*r, {PathStep{"web_acl_id", -1}}), *r->config->module, std::string(),
                   "web_acl_id", res);
  REQUIRE_FALSE(res.unresolved.empty());
  CHECK_THAT(res.unresolved[0], Catch::Matchers::Contains("cycle"));
}

TEST_CASE("regions come from provider aliases, variables, ARNs and the default", "[resolve][region]") {
  std::string error;
  auto plan = load_text(kModulePlan, error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  CHECK(resolver.region_of(*plan->by_address("aws_backup_vault.dr")).region == "eu-west-1");
  CHECK(resolver.region_of(*plan->by_address("aws_backup_vault.same")).region == "us-east-1");
  // CloudFront is a global service: `global`, whatever its provider's region (here us-east-1).
  const RegionInfo& edge = resolver.region_of(*plan->by_address("module.edge.aws_cloudfront_distribution.main"));
  CHECK(edge.region == "global");
  CHECK(edge.source == "global service");
  const RegionInfo& known = resolver.region_of(*plan->by_address("aws_vpc.known"));
  CHECK(known.region == "ap-south-1");
  CHECK(known.source == "arn");
  const RegionInfo& local = resolver.region_of(*plan->by_address("aws_backup_vault.local"));
  CHECK_FALSE(local.known);
  CHECK_THAT(local.reason, Catch::Matchers::Contains("local.region"));
  // A default region never replaces a provider region tfwarden cannot follow.
  Resolver with_default(*plan, "ap-northeast-1");
  CHECK_FALSE(with_default.region_of(*plan->by_address("aws_backup_vault.local")).known);
}

TEST_CASE("regions of the corpus provider-aliasing plans", "[resolve][region][corpus]") {
  if (!tfwarden::test::have_corpus()) {
    WARN("skipped: ../shared/corpus is absent");
    return;
  }
  std::string error;
  auto plan = load_plan_file(tfwarden::test::corpus_dir() + "/terraform-golden/provider-aliasing.json", error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  CHECK(resolver.region_of(*plan->by_address("test_instance.test")).region == "somewhere");
  CHECK(resolver.region_of(*plan->by_address("test_instance.test_backup")).region == "elsewhere");
  CHECK(resolver.region_of(*plan->by_address("module.child.test_instance.test_secondary")).region == "elsewhere");
  CHECK(resolver.region_of(*plan->by_address("module.child.module.grandchild.test_instance.test_main")).region == "somewhere");
  CHECK(resolver.region_of(*plan->by_address("module.sibling.module.grandchild.test_instance.test_alternate")).region ==
        "somewhere");

  // Terraform 0.12-1.0 wrote `NAME:aws` keys for inherited providers; the root provider applies.
  plan = load_plan_file(tfwarden::test::corpus_dir() + "/terraform-golden/nested-modules.json", error);
  REQUIRE(plan);
  // Its only resource is a test_instance whose provider sets no region: not an AWS resource, so
  // it has no region, and the default region is not given to it.
  Resolver nested(*plan, "eu-north-1");
  for (const Resource& r : plan->resources) {
    CHECK_FALSE(nested.region_of(r).known);
    CHECK_FALSE(nested.region_of(r).applicable);
  }
}

TEST_CASE("arn_region reads the region field", "[resolve]") {
  CHECK(arn_region("arn:aws:backup:eu-west-1:123456789012:backup-vault:x") == std::optional<std::string_view>("eu-west-1"));
  CHECK(arn_region("arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b") == std::optional<std::string_view>("us-east-1"));
  CHECK(arn_region("arn:aws:iam::123456789012:role/x") == std::optional<std::string_view>(""));
  CHECK_FALSE(arn_region("vpc-123").has_value());
  CHECK_FALSE(arn_region("arn:aws").has_value());
}

TEST_CASE("the WAF rule is decided through both modules", "[engine][semantics]") {
  std::string error;
  auto plan = load_text(kModulePlan, error);
  REQUIRE(plan);
  RuleSet set;
  REQUIRE(load_bundled_rules(set, error));
  const Rule* waf = set.find("HP-EDGE-001");
  REQUIRE(waf);
  PlanResult res = run_rules(*plan, {waf}, {});
  CHECK(res.findings.empty());
  REQUIRE(res.evaluations.size() == 1);
  CHECK(res.evaluations[0].outcome == Outcome::Pass);
}
