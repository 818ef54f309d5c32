// `each.key` and `each.value` of resource and module instances, in a real plan
// (tests/fixtures/plans/for-each-values/, made by Terraform with the AWS provider), and the
// for_each values the plan cannot split per instance.
#include <catch2/catch.hpp>
#include <string>

#include "../../tests/unit/test_util.h"
#include "engine/resolve.h"

using namespace tfwarden;

namespace {

struct Resolved {
  std::vector<std::string> targets;
  std::vector<std::string> constants;
  std::vector<std::string> unresolved;
};

Resolved resolve_attribute(Resolver& resolver, const Plan& plan, const std::string& address,
                           const std::vector<PathStep>& path) {
  const Resource* r = plan.by_address(address);
  REQUIRE(r != nullptr);
  Resolution res;
  resolver.resolve(resolver.attribute_expression(*r, path), *r->config->module, r->module_address, "x", res, r);
  Resolved out;
  for (const Resource* t : res.targets) out.targets.emplace_back(t->address);
  for (const Node& c : res.constants) out.constants.push_back(to_json(c));
  out.unresolved = res.unresolved;
  return out;
}

std::unique_ptr<Plan> fixture() {
  std::string error;
  auto plan =
      load_plan_file(std::string(TFWARDEN_SOURCE_DIR) + "/tests/fixtures/plans/for-each-values/plan.json", error);
  INFO(error);
  REQUIRE(plan);
  return plan;
}

const std::vector<PathStep> kKmsKey = {{"server_side_encryption", -1}, {"", 0}, {"kms_key_arn", -1}};

}  // namespace

TEST_CASE("each.value of for_each = aws_subnet.x is the subnet with the instance's key", "[resolve][each]") {
  auto plan = fixture();
  Resolver resolver(*plan, "");
  for (const char* key : {"a", "b"}) {
    std::string k = std::string("[\"") + key + "\"]";
    auto got = resolve_attribute(resolver, *plan, "aws_route_table_association.public" + k, {{"subnet_id", -1}});
    CHECK(got.unresolved.empty());
    CHECK(got.targets == std::vector<std::string>{"aws_subnet.public" + k});
  }
}

TEST_CASE("each.value through a module call with for_each reaches the instance's own key", "[resolve][each]") {
  auto plan = fixture();
  Resolver resolver(*plan, "");
  for (const char* key : {"orders", "events"}) {
    std::string k = std::string("[\"") + key + "\"]";
    // module.keyed: for_each = aws_kms_key.per_table, key_arn = each.value.arn
    auto keyed = resolve_attribute(resolver, *plan, "module.keyed" + k + ".aws_dynamodb_table.this", kKmsKey);
    CHECK(keyed.unresolved.empty());
    CHECK(keyed.targets == std::vector<std::string>{"aws_kms_key.per_table" + k});
    // module.replica: for_each = module.keyed, key_arn = each.value.key_arn (an output)
    auto replica = resolve_attribute(resolver, *plan, "module.replica" + k + ".aws_dynamodb_table.this", kKmsKey);
    CHECK(replica.unresolved.empty());
    CHECK(replica.targets == std::vector<std::string>{"aws_kms_key.per_table" + k});
  }
  // module.unkeyed: for_each = var.plain_tables, whose value gives this instance null
  auto unkeyed = resolve_attribute(resolver, *plan, "module.unkeyed[\"audit\"].aws_dynamodb_table.this", kKmsKey);
  CHECK(unkeyed.unresolved.empty());
  CHECK(unkeyed.targets.empty());
  CHECK(unkeyed.constants == std::vector<std::string>{"null"});
}

TEST_CASE("a condition on a known value does not pick a branch the plan does not record", "[resolve][each]") {
  auto plan = fixture();
  Resolver resolver(*plan, "");
  auto flagged = resolve_attribute(resolver, *plan, "aws_dynamodb_table.flagged", kKmsKey);
  CHECK(flagged.targets.empty());
  REQUIRE(flagged.unresolved.size() == 1);
  CHECK(flagged.unresolved[0] ==
        "x depends on a condition (`var.use_cmk` is false): the plan JSON lists the "
        "references of every branch, not which one the value is");
  auto events = resolve_attribute(resolver, *plan, "aws_dynamodb_table.this[\"events\"]", kKmsKey);
  CHECK(events.targets.empty());
  REQUIRE(events.unresolved.size() == 1);
  CHECK(events.unresolved[0].find("(`each.value.cmk` is false)") != std::string::npos);
}

TEST_CASE("a for_each value whose keys are not the instances' is not split", "[resolve][each]") {
  // for_each = {for k, v in var.m : k => v if v.on}: the plan records only `var.m`, whose keys
  // are more than the instances'; taking var.m["off"]'s shape for an instance would be a guess.
  const char* text = R"({
    "format_version": "1.2", "terraform_version": "1.11.4",
    "variables": {"m": {"value": {"on": {"on": true, "key": "arn:aws:kms:us-east-1:111122223333:key/1"},
                                  "off": {"on": false, "key": null}}}},
    "resource_changes": [
      {"address": "aws_sqs_queue.q[\"on\"]", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
       "index": "on", "provider_name": "registry.terraform.io/hashicorp/aws",
       "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"kms_master_key_id": true},
                  "before_sensitive": false, "after_sensitive": {}}}
    ],
    "configuration": {"root_module": {
      "variables": {"m": {}},
      "resources": [{"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
                     "provider_config_key": "aws", "for_each_expression": {"references": ["var.m"]},
                     "expressions": {"kms_master_key_id": {"references": ["each.value.key", "each.value"]}}}]}}
  })";
  std::string error;
  auto plan = test::load_text(text, error);
  INFO(error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  auto got = resolve_attribute(resolver, *plan, "aws_sqs_queue.q[\"on\"]", {{"kms_master_key_id", -1}});
  CHECK(got.constants.empty());
  REQUIRE(got.unresolved.size() == 1);
  CHECK(got.unresolved[0] ==
        "x comes from `each.value.key`, and tfwarden cannot tell which element of the for_each "
        "value is this instance's");
}
