#include "rules/fragment.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "plan/plan.h"
#include "rules/toml_util.h"

using namespace tfwarden;
using nlohmann::json;

namespace {

json document(const std::string& toml_text) {
  toml::table doc = toml::parse(toml_text);
  const toml::table& test = *doc["test"].as_array()->at(0).as_table();
  return json::parse(fragment_document(test));
}

std::string error_of(const std::string& toml_text) {
  try {
    document(toml_text);
  } catch (const TomlError& e) {
    return std::to_string(e.line) + ": " + e.key + ": " + e.message;
  }
  return "";
}

}  // namespace

TEST_CASE("a short-form test becomes the plan Terraform would write", "[fragment]") {
  json d = document(R"(
[[test]]
[[test.resource]]
address = "module.edge.aws_lb_listener.web[0]"
values = { port = 443, default_action = [{ type = "forward" }] }
computed = { ssl_policy = "ELBSecurityPolicy-2016-08" }
unknown = ["arn"]
refs = { load_balancer_arn = ["aws_lb.public.arn"], "default_action[0].target_group_arn" = ["aws_lb_target_group.web[0].arn"] }
sensitive = ["port"]
)");
  const json& rc = d["resource_changes"].at(0);
  CHECK(rc["address"] == "module.edge.aws_lb_listener.web[0]");
  CHECK(rc["module_address"] == "module.edge");
  CHECK(rc["type"] == "aws_lb_listener");
  CHECK(rc["name"] == "web");
  CHECK(rc["index"] == 0);
  CHECK(rc["provider_name"] == "registry.terraform.io/hashicorp/aws");
  CHECK(rc["change"]["actions"] == json::array({"create"}));
  CHECK(rc["change"]["before"].is_null());
  CHECK(rc["change"]["after"]["port"] == 443);
  CHECK(rc["change"]["after"]["ssl_policy"] == "ELBSecurityPolicy-2016-08");
  CHECK_FALSE(rc["change"]["after"].contains("load_balancer_arn"));
  CHECK(rc["change"]["after_unknown"]["arn"] == true);
  CHECK(rc["change"]["after_unknown"]["load_balancer_arn"] == true);
  CHECK(rc["change"]["after_unknown"]["default_action"][0]["target_group_arn"] == true);
  CHECK(rc["change"]["after_sensitive"]["port"] == true);
  CHECK(rc["change"]["before_sensitive"] == false);

  const json& call = d["configuration"]["root_module"]["module_calls"]["edge"];
  CHECK(call["source"] == "./modules/edge");
  const json& cr = call["module"]["resources"].at(0);
  CHECK(cr["address"] == "aws_lb_listener.web");
  CHECK(cr["provider_config_key"] == "aws");
  const json& ex = cr["expressions"];
  CHECK(ex["port"] == json{{"constant_value", 443}});
  CHECK_FALSE(ex.contains("ssl_policy"));  // computed: no expression
  CHECK(ex["load_balancer_arn"]["references"] == json::array({"aws_lb.public.arn", "aws_lb.public"}));
  CHECK(ex["default_action"][0]["type"] == json{{"constant_value", "forward"}});
  CHECK(ex["default_action"][0]["target_group_arn"]["references"] ==
        json::array({"aws_lb_target_group.web[0].arn", "aws_lb_target_group.web[0]", "aws_lb_target_group.web"}));
  CHECK(d["configuration"]["provider_config"]["aws"]["expressions"]["region"]["constant_value"] == "us-east-1");
}

TEST_CASE("data sources, changes, providers, modules and variables in the short form", "[fragment]") {
  json d = document(R"(
[[test]]
[test.providers]
aws = { region = "us-east-1" }
"aws.eu" = { region = "eu-west-1" }
[test.variables]
env = "prod"

[[test.resource]]
address = "data.aws_region.current"
values = { name = "us-east-1" }

[[test.resource]]
address = "aws_kms_key.k"
action = "update"
provider = "aws.eu"
values = { enable_key_rotation = false }
before = { enable_key_rotation = true }

[[test.resource]]
address = "aws_s3_bucket.old"
action = "delete"
values = { bucket = "old" }

[[test.module]]
address = "module.kms"
source = "../kms"
inputs = { name = "orders" }
refs = { env = ["var.env"] }
outputs = { key_arn = ["aws_kms_key.this.arn"] }
)");
  // A data source read while planning is in prior_state, not in resource_changes.
  const json& data = d["prior_state"]["values"]["root_module"]["resources"].at(0);
  CHECK(data["address"] == "data.aws_region.current");
  CHECK(data["mode"] == "data");
  CHECK(data["values"]["name"] == "us-east-1");
  REQUIRE(d["resource_changes"].size() == 2);
  const json& key = d["resource_changes"][0];
  CHECK(key["change"]["actions"] == json::array({"update"}));
  CHECK(key["change"]["before"]["enable_key_rotation"] == true);
  CHECK(key["change"]["after"]["enable_key_rotation"] == false);
  const json& gone = d["resource_changes"][1];
  CHECK(gone["change"]["actions"] == json::array({"delete"}));
  CHECK(gone["change"]["after"].is_null());
  CHECK(gone["change"]["before"]["bucket"] == "old");

  const json& root = d["configuration"]["root_module"];
  // The deleted bucket has left the configuration; the key uses the aliased provider.
  REQUIRE(root["resources"].size() == 2);
  CHECK(root["resources"][1]["address"] == "aws_kms_key.k");
  CHECK(root["resources"][1]["provider_config_key"] == "aws.eu");
  const json& eu = d["configuration"]["provider_config"]["aws.eu"];
  CHECK(eu["name"] == "aws");
  CHECK(eu["alias"] == "eu");
  CHECK(eu["expressions"]["region"]["constant_value"] == "eu-west-1");
  CHECK(d["variables"]["env"]["value"] == "prod");
  const json& call = root["module_calls"]["kms"];
  CHECK(call["source"] == "../kms");
  CHECK(call["expressions"]["name"]["constant_value"] == "orders");
  CHECK(call["expressions"]["env"]["references"] == json::array({"var.env"}));
  CHECK(call["module"]["outputs"]["key_arn"]["expression"]["references"] ==
        json::array({"aws_kms_key.this.arn", "aws_kms_key.this"}));
}

TEST_CASE("a short-form state and its loading", "[fragment]") {
  json d = document(R"(
[[test]]
state = true
[[test.resource]]
address = "module.a[\"x\"].aws_s3_bucket.logs"
values = { bucket = "logs" }
)");
  CHECK(d["format_version"] == "1.0");
  const json& child = d["values"]["root_module"]["child_modules"].at(0);
  CHECK(child["address"] == "module.a[\"x\"]");
  CHECK(child["resources"].at(0)["values"]["bucket"] == "logs");
  std::string error;
  auto plan = load_plan("state.json", simdjson::padded_string(d.dump()), error);
  INFO(error);
  REQUIRE(plan);
  REQUIRE(plan->resources.size() == 1);
  CHECK(plan->resources[0].address == "module.a[\"x\"].aws_s3_bucket.logs");
}

TEST_CASE("mistakes in a short-form test name the key", "[fragment]") {
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"aws_lb.a\"\nvalue = { x = 1 }\n") ==
        "4: test.resource.value: unknown key (did you mean `test.resource.values`?)");
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"lb\"\n").find("is not a resource address") !=
        std::string::npos);
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"aws_lb.a\"\nvalues = { x = 1 }\nunknown = [\"x\"]\n")
            .find("known or unknown, not both") != std::string::npos);
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"aws_lb.a\"\naction = \"update\"\n")
            .find("an update needs the values before the change") != std::string::npos);
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"aws_lb.a\"\naction = \"make\"\n")
            .find("is not one of create, update") != std::string::npos);
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"aws_lb.a\"\nrefs = { x = [\"nothing\"] }\n")
            .find("is not a reference") != std::string::npos);
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"aws_lb.a\"\nunknown = [\"a[\"]\n")
            .find("is not an attribute path") != std::string::npos);
  CHECK(error_of("[[test]]\n[[test.resource]]\naddress = \"data.aws_region.r\"\nunknown = [\"name\"]\n")
            .find("set `action = \"read\"`") != std::string::npos);
}
