#include "engine/engine.h"

#include <catch2/catch.hpp>

#include "../../tests/unit/test_util.h"

using namespace tfwarden;

TEST_CASE("several threads on one plan give the same result as one", "[engine][threads]") {
  // 9,000 subnets behind references to VPCs, every seventh one public.
  std::string json = R"({"format_version": "1.2", "resource_changes": [)";
  std::string config = R"(], "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}}, "root_module": {"resources": [)";
  for (int i = 0; i < 9000; ++i) {
    std::string n = std::to_string(i);
    if (i) json += ",";
    json += R"({"address": "aws_subnet.s)" + n + R"(", "mode": "managed", "type": "aws_subnet", "name": "s)" + n +
            R"(", "change": {"actions": ["create"], "before": null, "after": {"map_public_ip_on_launch": )" +
            (i % 7 == 0 ? "true" : "false") + R"(}, "after_unknown": {"id": true, "vpc_id": true}}})";
    if (i) config += ",";
    config += R"({"address": "aws_subnet.s)" + n + R"(", "mode": "managed", "type": "aws_subnet", "name": "s)" + n +
              R"(", "provider_config_key": "aws", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}})";
  }
  std::string error;
  auto plan = tfwarden::test::load_text(json + config + "]}}}", error);
  REQUIRE(plan);
  RuleSet set;
  REQUIRE(load_bundled_rules(set, error, false));
  std::vector<const Rule*> rules;
  for (const auto& r : set.rules) rules.push_back(r.get());
  EngineOptions one, two;
  two.threads = 2;
  PlanResult a = run_rules(*plan, rules, one);
  PlanResult b = run_rules(*plan, rules, two);
  REQUIRE(a.findings.size() == b.findings.size());
  CHECK(a.findings.size() >= 9000 / 7);
  for (size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].address == b.findings[i].address);
    CHECK(a.findings[i].rule == b.findings[i].rule);
    CHECK(a.findings[i].message == b.findings[i].message);
  }
  REQUIRE(a.evaluations.size() == b.evaluations.size());
  for (size_t i = 0; i < a.evaluations.size(); ++i) CHECK(a.evaluations[i].address == b.evaluations[i].address);
}
