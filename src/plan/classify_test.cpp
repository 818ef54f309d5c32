#include "plan/classify.h"

#include <catch2/catch.hpp>
#include <string>

using namespace tfwarden;

namespace {

Classification classify(const std::string& json) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(simdjson::padded_string(json)).get(root) == simdjson::SUCCESS);
  return classify_document(Node(root));
}

}  // namespace

TEST_CASE("plans and states are told apart as the loader always did", "[classify]") {
  struct Case {
    const char* json;
    DocumentClass kind;
  };
  const std::vector<Case> cases = {
      {R"({"format_version": "1.2", "resource_changes": []})", DocumentClass::Plan},
      {R"({"format_version": "1.2", "planned_values": {}})", DocumentClass::Plan},
      {R"({"format_version": "1.2", "configuration": {}})", DocumentClass::Plan},
      {R"({"format_version": "1.2", "prior_state": {}})", DocumentClass::Plan},
      {R"({"format_version": "1.2", "resource_drift": []})", DocumentClass::Plan},
      {R"({"format_version": "1.0", "values": {"root_module": {}}})", DocumentClass::State},
      {R"({"format_version": "1.0"})", DocumentClass::State},  // `terraform show -json` with no state
      {R"({"format_version": "1.0", "terraform_version": "1.9.0"})", DocumentClass::State},
      // Meant as one: the loader then names the missing format_version.
      {R"({"resource_changes": []})", DocumentClass::Plan},
      {R"({"values": {"root_module": {}}})", DocumentClass::State},
      {R"({"version": 4, "serial": 1, "lineage": "x", "resources": []})", DocumentClass::RawState},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    CHECK(classify(c.json).kind == c.kind);
  }
}

TEST_CASE("JSON that is neither a plan nor a state says what it looks like", "[classify]") {
  struct Case {
    const char* json;
    const char* what;
  };
  const std::vector<Case> cases = {
      {R"({"name": "web", "version": "1.0.0", "dependencies": {"x": "^1"}})", "looks like an npm package.json"},
      {R"({"name": "tests", "private": true, "devDependencies": {}})", "looks like an npm package.json"},
      {R"({"name": "x", "lockfileVersion": 3, "packages": {}})", "looks like an npm package-lock.json"},
      {R"({"Modules": [{"Key": "", "Source": "", "Dir": "."}]})",
       "looks like Terraform's module manifest (.terraform/modules/modules.json)"},
      {R"({"format_version": "1.0", "provider_schemas": {}})",
       "looks like a provider schema (`terraform providers schema -json`)"},
      {R"({"format_version": "1.0", "valid": true, "error_count": 0, "diagnostics": []})",
       "looks like `terraform validate -json` output"},
      {R"({"format_version": "1.0", "function_signatures": {}})",
       "looks like `terraform metadata functions -json` output"},
      {R"({"terraform_version": "1.9.0", "platform": "linux_amd64", "terraform_outdated": false})",
       "looks like `terraform version -json` output"},
      {R"({"resource": {"aws_s3_bucket": {"b": {}}}, "variable": {"x": {}}})",
       "looks like Terraform configuration in JSON syntax (a .tf.json file)"},
      {R"({"tool": {"name": "tfwarden", "version": "0.1.0"}, "inputs": [], "findings": []})",
       "looks like a tfwarden report"},
      {R"({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []})",
       "looks like a SARIF log"},
      {R"([{"rule": "HP-EDGE-001", "address": "x", "undecided": false}])", "expected a JSON object, found an array"},
      {R"("plan")", "expected a JSON object, found a string"},
      {"3", "expected a JSON object, found a number"},
      {"null", "expected a JSON object, found null"},
      {"{}", "an empty JSON object"},
      {R"({"region": "us-east-1", "instance_count": 3})",
       "a JSON object without `format_version` (keys `region`, `instance_count`)"},
      {R"({"a": 1, "b": 2, "c": 3, "d": 4})", "a JSON object without `format_version` (keys `a`, `b`, `c`, ...)"},
      {"{\"\\u001b[2J\": 1}", "a JSON object without `format_version` (keys `\\u001b[2J`)"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    Classification got = classify(c.json);
    CHECK(got.kind == DocumentClass::NotPlanOrState);
    CHECK(got.what == c.what);
  }
}
