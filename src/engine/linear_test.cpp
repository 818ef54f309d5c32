// Costs that must grow linearly with the plan, bounded in evaluation steps (thread_steps in
// plan/json.h), not in time: a shared machine's clock cannot tell 4x from 16x reliably.

#include <catch2/catch.hpp>
#include <set>

#include "../../tests/unit/test_util.h"
#include "engine/engine.h"

using namespace tfwarden;
using tfwarden::test::load_text;

namespace {

std::vector<const Rule*> rules_with_id(const RuleSet& set, std::string_view id) {
  std::vector<const Rule*> out;
  for (const auto& r : set.rules)
    if (r->id == id) out.push_back(r.get());
  return out;
}

std::string change(const std::string& address, const std::string& type, const std::string& name,
                   const std::string& index, const std::string& after, const std::string& unknown) {
  return R"({"address": ")" + address + R"(", "mode": "managed", "type": ")" + type + R"(", "name": ")" + name +
         R"(", "index": )" + index +
         R"(, "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": )" +
         after + R"(, "after_unknown": )" + unknown + R"(, "before_sensitive": false, "after_sensitive": {}}})";
}

// Checks that `steps(4n)` is under 4.5 times `steps(n)`: about 4 when the cost is linear in n,
// 16 when it is quadratic.
template <typename Steps>
void check_linear(Steps&& steps, int n) {
  uint64_t small = steps(n), large = steps(4 * n);
  INFO("steps(" << n << ") = " << small << ", steps(" << 4 * n << ") = " << large);
  CHECK(static_cast<double>(large) / static_cast<double>(small) < 4.5);
}

// A plan of the changes alone, without configuration.
std::string changes_only(const std::string& changes) {
  return R"({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [)" + changes + "]}";
}

std::string config(const std::string& type, const std::string& name, int count, const std::string& expressions) {
  return R"({"address": ")" + type + "." + name + R"(", "mode": "managed", "type": ")" + type + R"(", "name": ")" +
         name + R"(", "provider_config_key": "aws", "expressions": )" + expressions +
         R"(, "schema_version": 0, "count_expression": {"constant_value": )" + std::to_string(count) + "}}";
}

// The shape of tests/fixtures/plans/count-index (made with Terraform 1.11.4 and the AWS
// provider 5.100.0) with `n` of each count: subnets, route tables, default routes (to the
// internet gateway at [1], else to the NAT gateway), associations and instances, each using
// `aws_X.s[count.index]`, which Terraform records as `["aws_X.s", "count.index"]`.
std::string count_index_plan(int n) {
  std::string changes =
      change("aws_vpc.main", "aws_vpc", "main", "null", R"({"cidr_block": "10.0.0.0/16"})",
             R"({"arn": true, "id": true, "default_route_table_id": true, "main_route_table_id": true})") +
      "," +
      change("aws_internet_gateway.main", "aws_internet_gateway", "main", "null", "{}",
             R"({"arn": true, "id": true, "vpc_id": true})") +
      "," +
      change("aws_nat_gateway.main", "aws_nat_gateway", "main", "null", R"({"connectivity_type": "public"})",
             R"({"id": true, "subnet_id": true})");
  for (int i = 0; i < n; ++i) {
    std::string k = std::to_string(i), at = "[" + k + "]";
    bool pub = i == 1;
    changes += "," + change("aws_subnet.s" + at, "aws_subnet", "s", k, R"({"map_public_ip_on_launch": false})",
                            R"({"arn": true, "id": true, "vpc_id": true})");
    changes += "," + change("aws_route_table.s" + at, "aws_route_table", "s", k, R"({})",
                            R"({"arn": true, "id": true, "route": true, "vpc_id": true})");
    changes += "," + change("aws_route.s" + at, "aws_route", "s", k,
                            pub ? R"({"destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": null})"
                                : R"({"destination_cidr_block": "0.0.0.0/0", "gateway_id": null})",
                            pub ? R"({"id": true, "gateway_id": true, "route_table_id": true})"
                                : R"({"id": true, "nat_gateway_id": true, "route_table_id": true})");
    changes += "," + change("aws_route_table_association.s" + at, "aws_route_table_association", "s", k,
                            R"({"gateway_id": null})", R"({"id": true, "route_table_id": true, "subnet_id": true})");
    changes +=
        "," +
        change(
            "aws_instance.app" + at, "aws_instance", "app", k,
            R"({"ami": "ami-0abcdef1234567890", "instance_type": "t3.micro", "launch_template": [], "network_interface": []})",
            R"({"arn": true, "id": true, "subnet_id": true})");
  }
  std::string by_index = R"({"references": ["aws_subnet.s", "count.index"]})";
  std::string resources =
      R"({"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "provider_config_key": "aws", "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}, "schema_version": 1},)"
      R"({"address": "aws_internet_gateway.main", "mode": "managed", "type": "aws_internet_gateway", "name": "main", "provider_config_key": "aws", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}, "schema_version": 0},)"
      R"({"address": "aws_nat_gateway.main", "mode": "managed", "type": "aws_nat_gateway", "name": "main", "provider_config_key": "aws", "expressions": {}, "schema_version": 0},)" +
      config("aws_subnet", "s", n, R"({"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}})") + "," +
      config("aws_route_table", "s", n, R"({"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}})") + "," +
      config(
          "aws_route", "s", n,
          R"({"destination_cidr_block": {"constant_value": "0.0.0.0/0"}, "gateway_id": {"references": ["count.index", "aws_internet_gateway.main.id", "aws_internet_gateway.main"]}, "nat_gateway_id": {"references": ["count.index", "aws_nat_gateway.main.id", "aws_nat_gateway.main"]}, "route_table_id": {"references": ["aws_route_table.s", "count.index"]}})") +
      "," +
      config("aws_route_table_association", "s", n,
             R"({"route_table_id": {"references": ["aws_route_table.s", "count.index"]}, "subnet_id": )" + by_index +
                 "}") +
      "," +
      config(
          "aws_instance", "app", n,
          R"({"ami": {"constant_value": "ami-0abcdef1234567890"}, "instance_type": {"constant_value": "t3.micro"}, "subnet_id": )" +
              by_index + "}");
  return R"({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [)" + changes +
         R"(], "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "us-east-1"}}}}, "root_module": {"resources": [)" +
         resources + "]}}}";
}

}  // namespace

TEST_CASE("count.index: each consumer of the Terraform fixture resolves to its own subnet", "[engine][linear]") {
  std::string error;
  auto plan = load_plan_file(std::string(TFWARDEN_SOURCE_DIR) + "/tests/fixtures/plans/count-index/plan.json", error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  auto subnet_of = [&](const std::string& address, const std::vector<PathStep>& path) {
    const Resource* r = plan->by_address(address);
    REQUIRE(r);
    Resolution res;
    resolver.resolve(resolver.attribute_expression(*r, path), *r->config->module, r->module_address, "x", res, r);
    std::set<std::string> out;
    for (const Resource* t : res.targets) out.insert(std::string(t->address));
    CHECK(res.unresolved.empty());
    return out;
  };
  for (std::string k : {"0", "1", "2"}) {
    CHECK(subnet_of("aws_instance.app[" + k + "]", {{"subnet_id", -1}}) ==
          std::set<std::string>{"aws_subnet.s[" + k + "]"});
    CHECK(subnet_of("aws_ecs_service.app[" + k + "]", {{"network_configuration", -1}, {{}, 0}, {"subnets", -1}}) ==
          std::set<std::string>{"aws_subnet.s[" + k + "]"});
  }
  for (std::string k : {"\"a\"", "\"b\"", "\"c\""})
    CHECK(subnet_of("aws_instance.f[" + k + "]", {{"subnet_id", -1}}) ==
          std::set<std::string>{"aws_subnet.f[" + k + "]"});

  RuleSet set;
  REQUIRE(load_bundled_rules(set, error, false));
  // HP-NET-002 checks the ECS services, HP-NET-009 the instances
  std::vector<const Rule*> rules = rules_with_id(set, "HP-NET-002");
  for (const Rule* r : rules_with_id(set, "HP-NET-009")) rules.push_back(r);
  REQUIRE(rules.size() == 2);
  PlanResult result = run_rules(*plan, rules, EngineOptions{});
  std::set<std::string> flagged;
  for (const Finding& f : result.findings) {
    CHECK_FALSE(f.undecided);
    CHECK(f.rule->id == (f.type == "aws_ecs_service" ? "HP-NET-002" : "HP-NET-009"));
    flagged.insert(f.address);
  }
  CHECK(flagged == std::set<std::string>{"aws_ecs_service.app[1]", "aws_instance.app[1]", "aws_instance.f[\"b\"]"});
}

TEST_CASE("count.index: HP-NET-009 over n consumers takes steps linear in n", "[engine][linear]") {
  std::string error;
  RuleSet set;
  REQUIRE(load_bundled_rules(set, error, false));
  auto rules = rules_with_id(set, "HP-NET-009");
  REQUIRE(rules.size() == 1);
  auto steps = [&](int n) {
    auto plan = load_text(count_index_plan(n), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, rules, EngineOptions{});
    CHECK(r.findings.size() == 1);
    if (!r.findings.empty()) CHECK(r.findings[0].address == "aws_instance.app[1]");
    return r.steps;
  };
  check_linear(steps, 500);
}

namespace {

// `n` CloudFront distributions whose web_acl_id is `module.l1.a`; in each of `depth` nested
// modules, outputs `a` and `b` both refer to `a` and `b` of the next module, and the deepest
// module's outputs to its WAF ACL: 2^depth paths per attribute, 2 * depth distinct outputs.
std::string diamond_plan(int n, int depth) {
  std::string waf_module;
  for (int d = 1; d <= depth; ++d) waf_module += (d > 1 ? ".module.l" : "module.l") + std::to_string(d);
  std::string changes =
      R"({"address": ")" + waf_module + R"(.aws_wafv2_web_acl.x", "module_address": ")" + waf_module +
      R"(", "mode": "managed", "type": "aws_wafv2_web_acl", "name": "x", "provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "before": null, "after": {"scope": "CLOUDFRONT"}, "after_unknown": {"arn": true, "id": true}, "before_sensitive": false, "after_sensitive": {}}})";
  for (int i = 0; i < n; ++i)
    changes +=
        "," + change("aws_cloudfront_distribution.d[" + std::to_string(i) + "]", "aws_cloudfront_distribution", "d",
                     std::to_string(i), R"({"enabled": true})", R"({"arn": true, "id": true, "web_acl_id": true})");
  std::string module =
      R"({"resources": [{"address": "aws_wafv2_web_acl.x", "mode": "managed", "type": "aws_wafv2_web_acl", "name": "x", "provider_config_key": "aws", "expressions": {"scope": {"constant_value": "CLOUDFRONT"}}, "schema_version": 1}], "outputs": {"a": {"expression": {"references": ["aws_wafv2_web_acl.x.arn", "aws_wafv2_web_acl.x"]}}, "b": {"expression": {"references": ["aws_wafv2_web_acl.x.arn", "aws_wafv2_web_acl.x"]}}}})";
  for (int d = depth; d > 1; --d) {
    std::string next = "module.l" + std::to_string(d);
    std::string both = R"({"expression": {"references": [")" + next + R"(.a", ")" + next + R"(", ")" + next +
                       R"(.b", ")" + next + R"("]}})";
    module = R"({"outputs": {"a": )" + both + R"(, "b": )" + both + R"(}, "module_calls": {"l)" + std::to_string(d) +
             R"(": {"source": "./l", "module": )" + module + "}}}";
  }
  std::string root =
      R"({"resources": [)" +
      config("aws_cloudfront_distribution", "d", n,
             R"({"enabled": {"constant_value": true}, "web_acl_id": {"references": ["module.l1.a", "module.l1"]}})") +
      R"(], "module_calls": {"l1": {"source": "./l", "module": )" + module + "}}}";
  return R"({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [)" + changes +
         R"(], "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"constant_value": "us-east-1"}}}}, "root_module": )" +
         root + "}}";
}

}  // namespace

TEST_CASE("a diamond of module outputs costs each output once, not once per path", "[engine][linear]") {
  constexpr int kDepth = 12;  // 4,096 paths per attribute unmemoised
  auto steps = [](int n) {
    std::string error;
    auto plan = load_text(diamond_plan(n, kDepth), error);
    REQUIRE(plan);
    Resolver resolver(*plan, "");
    uint64_t before = thread_steps;
    for (const Resource& r : plan->resources) {
      if (r.type != "aws_cloudfront_distribution") continue;
      Resolution res;
      resolver.resolve(resolver.attribute_expression(r, {{"web_acl_id", -1}}), *r.config->module, r.module_address,
                       "web_acl_id", res, &r);
      REQUIRE(res.unresolved.empty());
      REQUIRE(!res.targets.empty());
      CHECK(res.targets.front()->type == "aws_wafv2_web_acl");
    }
    return thread_steps - before;
  };
  uint64_t small = steps(250), large = steps(1000);
  INFO("steps(250) = " << small << ", steps(1000) = " << large);
  CHECK(large < uint64_t{20} * 1000);  // a few steps per attribute, the outputs once
  CHECK(static_cast<double>(large) / static_cast<double>(small) < 4.5);
}

TEST_CASE("a diamond's memoised output still names each attribute in its reasons", "[engine][linear]") {
  std::string plan_text = diamond_plan(2, 3);
  // The deepest outputs come from a local: every attribute is undecided, each with its own name.
  std::string from = R"("references": ["aws_wafv2_web_acl.x.arn", "aws_wafv2_web_acl.x"])";
  for (size_t at; (at = plan_text.find(from)) != std::string::npos;)
    plan_text.replace(at, from.size(), R"("references": ["local.acl"])");
  std::string error;
  auto plan = load_text(plan_text, error);
  REQUIRE(plan);
  Resolver resolver(*plan, "");
  for (const char* address : {"aws_cloudfront_distribution.d[0]", "aws_cloudfront_distribution.d[1]"}) {
    const Resource* r = plan->by_address(address);
    REQUIRE(r);
    Resolution res;
    resolver.resolve(resolver.attribute_expression(*r, {{"web_acl_id", -1}}), *r->config->module, r->module_address,
                     std::string("the acl of ") + address, res, r);
    REQUIRE(res.unresolved.size() == 1);
    CHECK(res.unresolved[0] == std::string("the acl of ") + address +
                                   " comes from `local.acl` in `module.l1.module.l2.module.l3`, and locals are not in "
                                   "the plan JSON");
  }
}

TEST_CASE("an output the depth limit cut short is resolved again when reached nearer the root", "[engine][linear]") {
  constexpr int kDepth = 40;  // deeper than the resolver follows from the root
  std::string error;
  auto plan = load_text(diamond_plan(3, kDepth), error);
  REQUIRE(plan);
  std::string l9;
  for (int d = 1; d <= 9; ++d) l9 += (d > 1 ? ".module.l" : "module.l") + std::to_string(d);
  const ConfigModule* inner = plan->module_at(l9);
  REQUIRE(inner);
  // From module.l9, the ACL is 31 modules down: within reach.
  auto from_inner = [&](Resolver& resolver) {
    Resolution res;
    resolver.resolve(inner->outputs.at("a"), *inner, l9, "output a of " + l9, res);
    return res;
  };
  auto from_root = [&](Resolver& resolver) {
    std::vector<Resolution> out;
    for (const Resource& r : plan->resources) {
      if (r.type != "aws_cloudfront_distribution") continue;
      Resolution& res = out.emplace_back();
      resolver.resolve(resolver.attribute_expression(r, {{"web_acl_id", -1}}), *r.config->module, r.module_address,
                       "web_acl_id", res, &r);
    }
    return out;
  };
  Resolver fresh(*plan, "");
  Resolution alone = from_inner(fresh);
  INFO((alone.unresolved.empty() ? "" : alone.unresolved.front()));
  CHECK(alone.unresolved.empty());
  REQUIRE(!alone.targets.empty());
  for (const Resource* t : alone.targets) CHECK(t->type == "aws_wafv2_web_acl");
  // The root's distributions are 40 modules up: undecided, and what they cached along the way
  // does not make the shallower lookup undecided too, whichever comes first.
  Resolver root_first(*plan, "");
  for (const Resolution& res : from_root(root_first)) {
    REQUIRE(res.unresolved.size() == 1);
    CHECK(res.unresolved[0] == "web_acl_id is reached through a chain of references deeper than 32 steps");
    CHECK(res.limited);
  }
  Resolution after = from_inner(root_first);
  CHECK(after.unresolved.empty());
  CHECK(after.targets == alone.targets);
  // And the other way round: what the shallower lookup stored does not decide the root's
  // distributions, which are out of reach.
  Resolver inner_first(*plan, "");
  from_inner(inner_first);
  for (const Resolution& res : from_root(inner_first)) {
    REQUIRE(res.unresolved.size() == 1);
    CHECK(res.limited);
  }
}

TEST_CASE("[*] over an object of 20,000 members takes steps linear in its size", "[engine][linear]") {
  auto steps = [](int n) {
    std::string members, unknown;
    for (int i = 0; i < n; ++i) {
      members += (i ? ",\"k" : "\"k") + std::to_string(i) + "\": \"v\"";
      if (i % 1000 == 7) unknown += (unknown.empty() ? "\"k" : ",\"k") + std::to_string(i) + "\": true";
    }
    std::string error;
    auto plan = load_text(
        R"({"format_version": "1.2", "resource_changes": [)" +
            change("aws_x.y", "aws_x", "y", "null", R"({"m": {)" + members + "}}", R"({"m": {)" + unknown + "}}") +
            "]}",
        error);
    REQUIRE(plan);
    uint64_t before = thread_steps;
    Val all = splat(get_attr(Val::resource(plan->resources[0]), "m"));
    uint64_t taken = thread_steps - before;
    REQUIRE(all.k == Val::K::Seq);
    REQUIRE(all.items->size() == static_cast<size_t>(n));
    CHECK((*all.items)[7].k == Val::K::Unknown);
    CHECK((*all.items)[8].k == Val::K::Str);
    return taken;
  };
  check_linear(steps, 5000);
}

TEST_CASE("a let that reads self only through a let is shared by resources with the same value", "[engine][linear]") {
  // Each instance compares itself with its region's peers: counted once per region, not once
  // per instance (which made HP-DR-002 quadratic in the plan).
  std::string error;
  auto rule = load_rule("peers.toml", R"(id = "T-PEERS-001"
name = "instance-without-regional-peers"
title = "t"
severity = "low"
area = "t"
rationale = "t"
remediation = "t"
[select]
types = ["aws_instance"]
[let]
my_region = 'region(self)'
here = 'count(resources("aws_instance"), region(.) == $my_region)'
enough = '$here >= 2'
[check]
assert = '$enough and type_of(self) == "aws_instance"'
path = "region"
message = "`{address}`"
)",
                        error, false);
  REQUIRE(rule);
  REQUIRE(rule->let_memo.size() == 3);
  CHECK(rule->let_memo[0] == Rule::LetMemo::ByKeys);  // lets are stored by name: enough, here, my_region
  CHECK(rule->let_memo[1] == Rule::LetMemo::ByKeys);
  CHECK(rule->let_memo[2] == Rule::LetMemo::PerSelf);
  auto steps = [&](int n) {
    // n instances over three regions, and one alone in a fourth: the only finding.
    std::string changes =
        change("aws_instance.alone", "aws_instance", "alone", "null", R"({"region": "ap-south-1"})", "{}");
    const char* regions[] = {"eu-west-1", "us-east-1", "eu-central-1"};
    for (int i = 0; i < n; ++i)
      changes += "," + change("aws_instance.a[" + std::to_string(i) + "]", "aws_instance", "a", std::to_string(i),
                              std::string(R"({"region": ")") + regions[i % 3] + "\"}", "{}");
    auto plan = load_text(changes_only(changes), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, {rule.get()}, EngineOptions{});
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].address == "aws_instance.alone");
    return r.steps;
  };
  check_linear(steps, 300);
}

TEST_CASE("a quantifier over a type whose predicate needs .path == X reads only the matching elements",
          "[engine][linear]") {
  // HP-S3-001 finds a bucket's public access block by its literal name when no reference
  // leads there: through an index of the blocks by `bucket`, not a pass over every block.
  std::string error;
  RuleSet set;
  REQUIRE(load_bundled_rules(set, error, false));
  auto rules = rules_with_id(set, "HP-S3-001");
  REQUIRE(rules.size() == 1);
  auto steps = [&](int n) {
    std::string changes =
        change("aws_s3_bucket.lonely", "aws_s3_bucket", "lonely", "null", R"({"bucket": "lonely"})", "{}");
    for (int i = 0; i < n; ++i) {
      std::string k = std::to_string(i);
      changes += "," + change("aws_s3_bucket.b[" + k + "]", "aws_s3_bucket", "b", k,
                              R"({"bucket": "bucket-)" + k + "\"}", "{}");
      changes +=
          "," +
          change(
              "aws_s3_bucket_public_access_block.b[" + k + "]", "aws_s3_bucket_public_access_block", "b", k,
              R"({"bucket": "bucket-)" + k +
                  R"(", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true})",
              "{}");
    }
    auto plan = load_text(changes_only(changes), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, rules, EngineOptions{});
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].address == "aws_s3_bucket.lonely");
    return r.steps;
  };
  check_linear(steps, 300);
}

TEST_CASE("elements a conjunct without self rules out are judged once per plan and not per resource",
          "[engine][linear]") {
  // Public access blocks whose `bucket` is known only after apply: HP-S3-001's
  // `not is_unknown(.bucket)` is false for each of them whatever the bucket, so no bucket reads
  // them again (each bucket once read every block: quadratic in the buckets).
  std::string error;
  RuleSet set;
  REQUIRE(load_bundled_rules(set, error, false));
  auto rules = rules_with_id(set, "HP-S3-001");
  REQUIRE(rules.size() == 1);
  auto steps = [&](int n) {
    std::string changes;
    for (int i = 0; i < n; ++i) {
      std::string k = std::to_string(i);
      changes += std::string(i ? "," : "") + change("aws_s3_bucket.b[" + k + "]", "aws_s3_bucket", "b", k,
                                                    R"({"bucket": "bucket-)" + k + "\"}", "{}");
      changes +=
          "," +
          change(
              "aws_s3_bucket_public_access_block.b[" + k + "]", "aws_s3_bucket_public_access_block", "b", k,
              R"({"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true})",
              R"({"bucket": true, "id": true})");
    }
    auto plan = load_text(changes_only(changes), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, rules, EngineOptions{});
    // Without a configuration no reference leads from a block to a bucket: each bucket fails.
    CHECK(r.findings.size() == static_cast<size_t>(n));
    return r.steps;
  };
  check_linear(steps, 300);
}

TEST_CASE("a conjunct without self rules out only the elements it is false for", "[engine]") {
  // `.enabled == true` does not read self: false rules an element out for every resource;
  // unknown keeps it, and the verdict it leads to is undecided, as without the shortcut.
  std::string error;
  auto rule = load_rule("paired.toml", R"(id = "T-PAIR-001"
name = "instance-without-enabled-pair"
title = "t"
severity = "low"
area = "t"
rationale = "t"
remediation = "t"
[select]
types = ["aws_instance"]
[check]
assert = 'any(resources("aws_s3_bucket"), .enabled == true and .tags.pair == self.tags.pair)'
path = "tags"
message = "`{address}`"
)",
                        error, false);
  REQUIRE(rule);
  std::string changes =
      change("aws_s3_bucket.on", "aws_s3_bucket", "on", "null", R"({"enabled": true, "tags": {"pair": "a"}})", "{}") +
      "," +
      change("aws_s3_bucket.maybe", "aws_s3_bucket", "maybe", "null", R"({"tags": {"pair": "b"}})",
             R"({"enabled": true})") +
      "," +
      change("aws_s3_bucket.off", "aws_s3_bucket", "off", "null", R"({"enabled": false, "tags": {"pair": "c"}})", "{}");
  // The pair's value is known (through the equality index) or unknown (a pass over the viable).
  for (const char* pair : {"a", "b", "c", "d", "?"}) {
    std::string unknown = std::string(pair) == "?" ? R"({"tags": {"pair": true}})" : "{}";
    std::string after =
        std::string(pair) == "?" ? R"({"tags": {}})" : std::string(R"({"tags": {"pair": ")") + pair + "\"}}";
    auto plan = load_text(
        changes_only(changes + "," + change("aws_instance.i", "aws_instance", "i", "null", after, unknown)), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, {rule.get()}, EngineOptions{});
    INFO("pair " << pair);
    if (std::string(pair) == "a") {
      CHECK(r.findings.empty());
    } else {
      REQUIRE(r.findings.size() == 1);
      // b: `enabled` unknown; ?: the pair unknown, and `on` and `maybe` may match.
      bool undecided = std::string(pair) == "b" || std::string(pair) == "?";
      CHECK(r.findings[0].undecided == undecided);
    }
  }
}

TEST_CASE("an equality on a value of the element that is not a plain path is indexed too", "[engine][linear]") {
  // `lower(.bucket) == lower(self.bucket)`: the key is worked out once per bucket, and each
  // bucket reads only those with its key (before, every bucket read every bucket).
  std::string error;
  auto rule = load_rule("names.toml", R"(id = "T-NAME-001"
name = "bucket-name-taken-twice"
title = "t"
severity = "low"
area = "t"
rationale = "t"
remediation = "t"
[select]
types = ["aws_s3_bucket"]
[check]
assert = 'count(resources("aws_s3_bucket"), lower(.bucket) == lower(self.bucket)) == 1'
path = "bucket"
message = "`{address}`"
)",
                        error, false);
  REQUIRE(rule);
  auto steps = [&](int n) {
    // n buckets of distinct names, and two whose names differ only in case: the findings.
    std::string changes =
        change("aws_s3_bucket.upper", "aws_s3_bucket", "upper", "null", R"({"bucket": "Logs"})", "{}") + "," +
        change("aws_s3_bucket.lower", "aws_s3_bucket", "lower", "null", R"({"bucket": "logs"})", "{}");
    for (int i = 0; i < n; ++i)
      changes += "," + change("aws_s3_bucket.b[" + std::to_string(i) + "]", "aws_s3_bucket", "b", std::to_string(i),
                              R"({"bucket": "bucket-)" + std::to_string(i) + "\"}", "{}");
    auto plan = load_text(changes_only(changes), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, {rule.get()}, EngineOptions{});
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].address == "aws_s3_bucket.lower");
    CHECK(r.findings[1].address == "aws_s3_bucket.upper");
    return r.steps;
  };
  check_linear(steps, 300);
}

TEST_CASE("resources that share a known id are one list for every resource that refers to it", "[engine][linear]") {
  // A managed prefix list that every stack of a region reads has the same id in each: a rule
  // following `prefix_list_id` from each ingress rule once built and judged the whole list per
  // rule (HP-LB-004 on a region of many stacks: quadratic in the stacks).
  std::string error;
  auto rule = load_rule("shared.toml", R"(id = "T-SHARED-001"
name = "instance-in-public-subnet"
title = "t"
severity = "low"
area = "t"
rationale = "t"
remediation = "t"
[select]
types = ["aws_instance"]
[check]
assert = 'any(refs(subnet_id, "aws_subnet"), true) and all(refs(subnet_id, "aws_subnet"), .map_public_ip_on_launch == false)'
path = "subnet_id"
message = "`{address}`"
)",
                        error, false);
  REQUIRE(rule);
  auto steps = [&](int n) {
    std::string changes = change("aws_subnet.public", "aws_subnet", "public", "null",
                                 R"({"id": "subnet-public", "map_public_ip_on_launch": true})", "{}") +
                          "," +
                          change("aws_instance.exposed", "aws_instance", "exposed", "null",
                                 R"({"subnet_id": "subnet-public"})", R"({"id": true})");
    for (int i = 0; i < n; ++i) {
      std::string k = std::to_string(i);
      changes += "," + change("aws_subnet.s[" + k + "]", "aws_subnet", "s", k,
                              R"({"id": "subnet-shared", "map_public_ip_on_launch": false})", "{}");
      changes += "," + change("aws_instance.i[" + k + "]", "aws_instance", "i", k, R"({"subnet_id": "subnet-shared"})",
                              R"({"id": true})");
    }
    auto plan = load_text(changes_only(changes), error);
    REQUIRE(plan);
    PlanResult r = run_rules(*plan, {rule.get()}, EngineOptions{});
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].address == "aws_instance.exposed");
    CHECK_FALSE(r.findings[0].undecided);
    return r.steps;
  };
  check_linear(steps, 300);
}
