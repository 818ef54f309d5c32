#include "plan/plan.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "../../tests/unit/test_util.h"

using namespace tfwarden;
using tfwarden::test::load_text;

namespace {

// Counts the instances a document lists, independently of the loader, with nlohmann/json.
void collect_module(const nlohmann::json& m, std::vector<std::string>& out, bool data_only) {
  if (!m.is_object()) return;
  // Terraform 0.12 writes a child module's resources relative to it (`data.aws_region.current`
  // inside `module.alb`); their address is the module's followed by that.
  std::string module = m.value("address", "");
  if (m.contains("resources"))
    for (const auto& r : m["resources"])
      if (!data_only || r.value("mode", "") == "data") {
        std::string a = r["address"];
        out.push_back(!module.empty() && a.rfind("module.", 0) != 0 ? module + "." + a : a);
      }
  if (m.contains("child_modules"))
    for (const auto& c : m["child_modules"]) collect_module(c, out, data_only);
}

std::vector<std::string> expected_addresses(const nlohmann::json& doc) {
  std::vector<std::string> out;
  bool is_plan = doc.contains("resource_changes") || doc.contains("planned_values") || doc.contains("configuration") ||
                 doc.contains("prior_state") || doc.contains("resource_drift");
  if (!is_plan) {
    if (doc.contains("values")) collect_module(doc["values"]["root_module"], out, false);
    return out;
  }
  if (doc.contains("resource_changes")) {
    std::set<std::string> seen;
    for (const auto& rc : doc["resource_changes"]) {
      out.push_back(rc["address"]);
      seen.insert(rc["address"].get<std::string>());
    }
    if (doc.contains("prior_state") && doc["prior_state"].contains("values")) {
      std::vector<std::string> data;
      collect_module(doc["prior_state"]["values"]["root_module"], data, true);
      for (const auto& a : data)
        if (!seen.count(a)) out.push_back(a);
    }
  } else if (doc.contains("planned_values")) {
    collect_module(doc["planned_values"]["root_module"], out, false);
  }
  return out;
}

}  // namespace

TEST_CASE("every corpus document loads with the instances it lists", "[plan][corpus]") {
  namespace fs = std::filesystem;
  if (!tfwarden::test::have_corpus()) {
    WARN("skipped: ../shared/corpus is absent (" << tfwarden::test::corpus_dir() << ")");
    return;
  }
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(tfwarden::test::corpus_dir())) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    if (e.path().string().find("aws-provider-schema") != std::string::npos) continue;
    ++files;
    std::string path = e.path().string();
    INFO(path);
    std::string error;
    auto plan = load_plan_file(path, error);
    REQUIRE(error.empty());
    REQUIRE(plan);
    auto doc = nlohmann::json::parse(tfwarden::test::read_file(path));
    std::vector<std::string> want = expected_addresses(doc);
    std::vector<std::string> got;
    for (const auto& r : plan->resources) got.emplace_back(r.address);
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    CHECK(got == want);
  }
  CHECK(files > 100);
}

TEST_CASE("actions, index keys and module paths", "[plan]") {
  std::string error;
  auto plan = load_text(R"({
    "format_version": "1.2",
    "resource_changes": [
      {"address": "module.svc[\"api\"].aws_ecs_service.this[0]", "module_address": "module.svc[\"api\"]",
       "mode": "managed", "type": "aws_ecs_service", "name": "this", "index": 0,
       "provider_name": "registry.terraform.io/hashicorp/aws",
       "change": {"actions": ["delete", "create"], "before": {"name": "a"}, "after": {"name": "a"},
                  "after_unknown": {"id": true}, "before_sensitive": {}, "after_sensitive": {}},
       "action_reason": "replace_because_cannot_update"},
      {"address": "aws_db_instance.x", "mode": "managed", "type": "aws_db_instance", "name": "x",
       "change": {"actions": ["create", "delete"], "before": {}, "after": {}, "after_unknown": {}}},
      {"address": "aws_s3_bucket.b[\"logs\"]", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "index": "logs",
       "change": {"actions": ["delete"], "before": {"bucket": "logs"}, "after": null}},
      {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me",
       "change": {"actions": ["read"], "before": null, "after": {}, "after_unknown": {"id": true}}},
      {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
       "change": {"actions": ["no-op"], "before": {"cidr_block": "10.0.0.0/16"}, "after": {"cidr_block": "10.0.0.0/16"}}}
    ]
  })", error);
  REQUIRE(error.empty());
  REQUIRE(plan->resources.size() == 5);
  const Resource& svc = plan->resources[0];
  CHECK(svc.action == Action::Replace);
  CHECK(svc.replace_order == ReplaceOrder::DeleteThenCreate);
  CHECK(svc.index == "0");
  CHECK(svc.module_address == "module.svc[\"api\"]");
  CHECK(svc.config_module == "module.svc");
  CHECK(svc.action_reason == "replace_because_cannot_update");
  CHECK(plan->resources[1].replace_order == ReplaceOrder::CreateThenDelete);
  CHECK(plan->resources[2].action == Action::Delete);
  CHECK(plan->resources[2].index == "\"logs\"");
  CHECK_FALSE(plan->resources[2].exists_after());
  CHECK(plan->resources[3].data);
  CHECK(plan->resources[3].action == Action::Read);
  CHECK(plan->resources[4].action == Action::NoOp);
  CHECK(plan->by_address("aws_vpc.main") == &plan->resources[4]);
  REQUIRE(plan->instances_of_config("module.svc", "aws_ecs_service.this"));
  CHECK(plan->instances_of_config("module.svc", "aws_ecs_service.this")->size() == 1);
}

TEST_CASE("absent, null, unknown and sensitive stay distinct", "[plan]") {
  std::string error;
  auto plan = load_text(R"({
    "format_version": "1.2",
    "resource_changes": [
      {"address": "aws_db_instance.x", "mode": "managed", "type": "aws_db_instance", "name": "x",
       "change": {"actions": ["create"], "before": null,
                  "after": {"password": "hunter2", "kms_key_id": null},
                  "after_unknown": {"arn": true},
                  "after_sensitive": {"password": true}}}
    ]
  })", error);
  REQUIRE(plan);
  const Resource& r = plan->resources[0];
  CHECK(r.after["password"].is_string());
  CHECK(r.after_sensitive["password"].is_true());
  CHECK(r.after["kms_key_id"].is_null());
  CHECK_FALSE(r.after["arn"].present);
  CHECK(r.after_unknown["arn"].is_true());
  CHECK_FALSE(r.after["storage_encrypted"].present);
  CHECK_FALSE(r.after_unknown["storage_encrypted"].present);
}

TEST_CASE("state documents load their values", "[plan]") {
  std::string error;
  auto plan = load_text(R"({
    "format_version": "1.0",
    "values": {"root_module": {
      "resources": [{"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
                     "values": {"arn": "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1"}, "sensitive_values": {}}],
      "child_modules": [{"address": "module.db", "resources": [
        {"address": "module.db.aws_rds_cluster.this[0]", "mode": "managed", "type": "aws_rds_cluster", "name": "this",
         "index": 0, "values": {}, "sensitive_values": {}}]}]}}
  })", error);
  REQUIRE(plan);
  CHECK(plan->kind == DocumentKind::State);
  REQUIRE(plan->resources.size() == 2);
  CHECK(plan->resources[1].module_address == "module.db");
  CHECK(plan->resources[1].index == "0");
  CHECK(plan->resources[1].action == Action::NoOp);
}

TEST_CASE("bad input is refused with one clear message", "[plan][bad-input]") {
  struct Case {
    const char* name;
    std::string text;
    const char* expect;  // a substring of the error
  };
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  std::string deep_object;
  for (int i = 0; i < 5000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(5000, '}');
  std::vector<Case> cases = {
      {"empty file", "", "empty"},
      {"whitespace only", "   \n  ", "invalid JSON"},
      {"zip (binary plan)", std::string("PK\x03\x04\x14\x00\x00\x00", 8), "binary plan file"},
      {"human plan text", "Terraform used the selected providers to generate the following execution plan.",
       "human-readable plan"},
      {"human plan text 2", "\nTerraform will perform the following actions:\n", "human-readable plan"},
      {"truncated in an object", R"({"format_version": "1.2", "resource_changes": [{"address": )", "byte"},
      {"truncated in a string", R"({"format_version": "1.2", "terraform_vers)", "byte"},
      {"truncated after a value", R"({"format_version": "1.2")", "byte"},
      {"trailing garbage", R"({"format_version": "1.2"} x)", "byte"},
      {"not an object", R"([1, 2, 3])", "expected a JSON object"},
      {"a string", R"("plan")", "expected a JSON object"},
      {"no format_version", R"({"resource_changes": []})", "format_version"},
      {"format_version a number", R"({"format_version": 1.2})", "format_version: expected a string"},
      {"unknown major version", R"({"format_version": "2.0"})", "unsupported format_version \"2.0\""},
      {"garbage version", R"({"format_version": "abc"})", "not a version number"},
      {"resource_changes an object", R"({"format_version": "1.2", "resource_changes": {}})",
       "resource_changes: expected an array"},
      {"planned_values an array", R"({"format_version": "1.2", "planned_values": []})", "planned_values: expected an object"},
      {"configuration a string", R"({"format_version": "1.2", "configuration": "x"})", "configuration: expected an object"},
      {"variables an array", R"({"format_version": "1.2", "variables": []})", "variables: expected an object"},
      {"prior_state a number", R"({"format_version": "1.2", "prior_state": 3})", "prior_state: expected an object"},
      {"values a list", R"({"format_version": "1.0", "values": []})", "values: expected an object"},
      {"errored a string", R"({"format_version": "1.2", "errored": "yes"})", "errored: expected a boolean"},
      {"change missing", R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b"}]})",
       "resource_changes[0].change: missing"},
      {"actions a string",
       R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": "create"}}]})",
       "resource_changes[0].change.actions: expected an array"},
      {"unknown action",
       R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["explode"]}}]})",
       "unknown action"},
      {"address a number",
       R"({"format_version": "1.2", "resource_changes": [{"address": 7, "type": "a", "name": "b", "change": {"actions": []}}]})",
       "resource_changes[0].address: expected a string"},
      {"provider schema", R"({"format_version": "1.0", "provider_schemas": {}})", "provider schema"},
      {"raw tfstate", R"({"version": 4, "serial": 1, "lineage": "x", "resources": []})", "raw state file"},
      {"validate output", R"({"format_version": "1.0", "valid": true, "diagnostics": []})", "validate"},
      {"10,000-deep nesting", deep, "nesting is deeper than"},
      {"5,000-deep objects", deep_object, "nesting is deeper than"},
      {"10,000 open brackets", std::string(10000, '['), "truncated"},
      {"duplicate top-level key", R"({"format_version": "1.2", "format_version": "1.2"})", "appears twice"},
      {"duplicate key deep inside",
       R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"], "after": {"x": false, "y": 1, "x": true}}}]})",
       "resource_changes[0].change.after: the key \"x\" appears twice"},
      {"invalid UTF-8", std::string("{\"format_version\": \"1.2\", \"x\": \"\xff\xfe\"}"), "invalid UTF-8 at byte"},
  };
  REQUIRE(cases.size() >= 20);
  for (const auto& c : cases) {
    INFO(c.name);
    std::string error;
    auto plan = load_text(c.text, error);
    CHECK_FALSE(plan);
    CHECK_THAT(error, Catch::Matchers::Contains(c.expect));
    CHECK(error.find('\n') == std::string::npos);
  }
}

TEST_CASE("a JSON syntax error names its byte offset and line", "[plan][bad-input]") {
  std::string error;
  load_text("{\n  \"format_version\": \"1.2\",\n  \"x\": tru\n}", error);
  CHECK_THAT(error, Catch::Matchers::Contains("line 3"));
  CHECK_THAT(error, Catch::Matchers::Contains("byte"));
}

TEST_CASE("an errored plan loads with a note", "[plan]") {
  std::string error;
  auto plan = load_text(R"({"format_version": "1.2", "errored": true, "planned_values": {"root_module": {}}})", error);
  REQUIRE(plan);
  CHECK(plan->errored);
  bool noted = false;
  for (const auto& n : plan->notes) noted |= n.find("incomplete") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("duplicate keys are found in every shape of object", "[plan][bad-input]") {
  // The scan takes different paths for sorted keys, small unsorted objects and large unsorted
  // ones, inside objects and arrays; each must find the repeat and name where it is.
  auto plan_with = [](const std::string& after) {
    return R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"], "after": )" +
           after + "}}]}";
  };
  std::string many_sorted, many_unsorted;
  for (char c = 'a'; c <= 'l'; ++c) many_sorted += std::string(many_sorted.empty() ? "" : ", ") + "\"" + c + "\": 1";
  for (char c = 'l'; c >= 'a'; --c) many_unsorted += std::string(many_unsorted.empty() ? "" : ", ") + "\"" + c + "\": 1";
  struct Case {
    std::string name, after, expect;
  };
  std::vector<Case> cases = {
      {"sorted, adjacent repeat", R"({"a": 1, "b": 2, "b": 3})", "change.after: the key \"b\" appears twice"},
      {"small, unsorted", R"({"b": 1, "a": 2, "b": 3})", "change.after: the key \"b\" appears twice"},
      {"large, sorted then a repeat", "{" + many_sorted + ", \"c\": 2}", "the key \"c\" appears twice"},
      {"large, unsorted", "{" + many_unsorted + ", \"e\": 2}", "the key \"e\" appears twice"},
      {"inside an array", R"({"rules": [{"x": 1}, {"y": 1, "y": 2}]})", "change.after.rules[1]: the key \"y\" appears twice"},
      {"a key equal to a value", R"({"a": "b", "b": "a", "a": 1})", "the key \"a\" appears twice"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string error;
    CHECK_FALSE(load_text(plan_with(c.after), error));
    CHECK_THAT(error, Catch::Matchers::Contains(c.expect));
  }
  // Distinct keys in any order, a key repeated in sibling objects, and keys that equal values load.
  for (const std::string& ok : {"{" + many_unsorted + "}", "{" + many_sorted + "}",
                                std::string(R"({"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}, {"x": 2}]})"),
                                std::string(R"({"a": "a", "b": ["a", "a"], "c": {}})")}) {
    INFO(ok);
    std::string error;
    CHECK(load_text(plan_with(ok), error));
    CHECK(error.empty());
  }
}

TEST_CASE("instances are indexed by module and block, whatever the address spells", "[plan]") {
  std::string error;
  auto plan = load_text(R"({"format_version": "1.2", "resource_changes": [
    {"address": "module.a[\"x\"].aws_s3_bucket.b[0]", "module_address": "module.a[\"x\"]", "type": "aws_s3_bucket", "name": "b", "index": 0, "change": {"actions": ["create"]}},
    {"address": "module.a[\"x\"].aws_s3_bucket.b[1]", "module_address": "module.a[\"x\"]", "type": "aws_s3_bucket", "name": "b", "index": 1, "change": {"actions": ["create"]}},
    {"address": "module.a[\"y\"].aws_s3_bucket.b[0]", "module_address": "module.a[\"y\"]", "type": "aws_s3_bucket", "name": "b", "index": 0, "change": {"actions": ["create"]}},
    {"address": "module.a[\"y\"].data.aws_s3_bucket.b", "module_address": "module.a[\"y\"]", "mode": "data", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["read"]}},
    {"address": "hand-made", "type": "aws_s3_bucket", "name": "c", "change": {"actions": ["create"]}}
  ]})",
                        error);
  REQUIRE(plan);
  auto count = [](const std::vector<uint32_t>* v) { return v ? v->size() : size_t{0}; };
  CHECK(count(plan->instances_in("module.a[\"x\"]", "aws_s3_bucket.b")) == 2);
  CHECK(count(plan->instances_in("module.a[\"y\"]", "aws_s3_bucket.b")) == 1);
  CHECK(count(plan->instances_in("module.a[\"y\"]", "data.aws_s3_bucket.b")) == 1);
  CHECK(count(plan->instances_of_config("module.a", "aws_s3_bucket.b")) == 3);
  CHECK(count(plan->instances_in("", "aws_s3_bucket.c")) == 1);
  CHECK(count(plan->instances_in("module.a[\"z\"]", "aws_s3_bucket.b")) == 0);
}

namespace {

std::unique_ptr<Plan> load_bytes(const std::string& bytes, LoadError& error) {
  return load_plan("test.json", simdjson::padded_string(bytes), error);
}

std::string to_utf16(const std::string& ascii, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char c : ascii) out += big_endian ? std::string{'\0', c} : std::string{c, '\0'};
  return out;
}

}  // namespace

TEST_CASE("a failed load says what kind of failure it was", "[plan][bad-input]") {
  using K = LoadErrorKind;
  struct Case {
    std::string text;
    LoadErrorKind kind;
  };
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  const std::vector<Case> cases = {
      {"", K::Syntax},
      {"\xEF\xBB\xBF", K::Syntax},
      {"   ", K::Syntax},
      {std::string("PK\x03\x04\x14\x00", 6), K::Syntax},
      {"Terraform will perform the following actions:", K::Syntax},
      {R"({"format_version": "1.2", "resource_changes": [)", K::Syntax},
      {R"({"format_version": "1.2"} x)", K::Syntax},
      {R"({"format_version": "1.2", "format_version": "1.2"})", K::Syntax},
      {"{\"format_version\": \"1.2\", \"x\": \"caf\xE9\"}", K::Encoding},
      {std::string("\xFF\xFE\0\0{\0\0\0}\0\0\0", 12), K::Encoding},
      {std::string("\xFF\xFE{\0}", 5), K::Encoding},
      {R"({"name": "web", "version": "1.0.0"})", K::NotPlanOrState},
      {R"({"Modules": []})", K::NotPlanOrState},
      {R"([{"rule": "HP-EDGE-001"}])", K::NotPlanOrState},
      {R"({"format_version": "1.0", "provider_schemas": {}})", K::NotPlanOrState},
      {R"({"tool": {"name": "tfwarden"}, "inputs": [], "skipped": [], "findings": []})", K::NotPlanOrState},
      {R"({"format_version": "2.0"})", K::Unsupported},
      {R"({"version": 4, "serial": 1, "lineage": "x", "resources": []})", K::Unsupported},
      {R"({"resource_changes": []})", K::Shape},
      {R"({"format_version": 1.2})", K::Shape},
      {R"({"format_version": "1.2", "resource_changes": {}})", K::Shape},
      {deep, K::Limit},
      {R"({"format_version": "1.2", "x": 1e999})", K::Limit},
  };
  for (const auto& c : cases) {
    INFO(c.text.substr(0, 80));
    LoadError error;
    CHECK_FALSE(load_bytes(c.text, error));
    CHECK(error.kind == c.kind);
    CHECK_FALSE(error.message.empty());
  }
  // A truncated package.json is broken input, not "not a plan": it stays an error when scanned.
  LoadError error;
  CHECK_FALSE(load_bytes(R"({"name": "web", "version": "1.0.)", error));
  CHECK(error.kind == K::Syntax);
  CHECK_THAT(error.message, Catch::Matchers::Contains("truncated"));
}

TEST_CASE("a plan saved with a UTF-8 BOM or as UTF-16 loads like the UTF-8 original", "[plan][encoding]") {
  const std::string plan = R"({"format_version": "1.2", "resource_changes": [
    {"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "x"}}}]})";
  for (const std::string& bytes :
       {plan, "\xEF\xBB\xBF" + plan, to_utf16(plan, false), to_utf16(plan, true), to_utf16(plan, false).substr(2)}) {
    INFO(bytes.substr(0, 4));
    LoadError error;
    auto p = load_bytes(bytes, error);
    REQUIRE(p);
    CHECK(error.message.empty());
    REQUIRE(p->resources.size() == 1);
    CHECK(p->resources[0].address == "aws_s3_bucket.b");
    CHECK(p->resources[0].after["bucket"].str() == "x");
  }
}

TEST_CASE("byte offsets count the file, or say they count its UTF-8 decoding", "[plan][encoding]") {
  const std::string bad = "{\"format_version\": tru}";
  LoadError plain, bom, utf16;
  load_bytes(bad, plain);
  load_bytes("\xEF\xBB\xBF" + bad, bom);
  load_bytes(to_utf16(bad, false), utf16);
  CHECK_THAT(plain.message, Catch::Matchers::StartsWith("invalid JSON at byte 22 (line 1, column 23)"));
  CHECK_THAT(bom.message, Catch::Matchers::StartsWith("invalid JSON at byte 25 (line 1, column 23)"));
  CHECK_THAT(utf16.message, Catch::Matchers::StartsWith(
                                "invalid JSON at byte 22 of its UTF-8 decoding from UTF-16LE (line 1, column 23)"));
  LoadError latin1;
  load_bytes("\xEF\xBB\xBF{\"x\": \"\xE9\"}", latin1);
  CHECK(latin1.kind == LoadErrorKind::Encoding);
  CHECK_THAT(latin1.message, Catch::Matchers::StartsWith("invalid UTF-8 at byte 10 (`\\xe9`)"));
}

TEST_CASE("error messages show input bytes escaped, never raw", "[plan][bad-input]") {
  const std::vector<std::string> cases = {
      // a repeated key holding an ANSI escape
      "{\"format_version\": \"1.2\", \"\\u001b[31m\": 1, \"\\u001b[31m\": 2}",
      // an unknown action with a bell and a right-to-left override
      R"({"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["\u0007\u202e"]}}]})",
      // a version string with a control character
      R"({"format_version": "\u001b]0;x\u0007"})",
      // nlohmann's "last read" token quotes the bytes it stopped at
      "{\"format_version\": \"1.2\", \"x\": \xC3\xA9\xC3\xA9}",
      "{\"format_version\": \"1.2\", \"x\": \x01}",
      // a key path with a newline
      R"({"format_version": "1.2", "configuration": {"provider_config": {"a\nb": 3}}})",
      "{\"n\\u001b\": 1}",
  };
  for (const auto& c : cases) {
    INFO(c);
    LoadError error;
    CHECK_FALSE(load_bytes(c, error));
    INFO(error.message);
    CHECK_FALSE(error.message.empty());
    bool clean =
        std::all_of(error.message.begin(), error.message.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
    CHECK(clean);
  }
}
