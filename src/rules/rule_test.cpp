#include "rules/rule.h"

#include <catch2/catch.hpp>
#include <set>

#include "../../tests/unit/test_util.h"
#include "engine/engine.h"
#include "rules/docs.h"

using namespace tfwarden;

namespace {

std::string load_error(const std::string& text) {
  std::string error;
  auto r = load_rule("x.toml", text, error);
  if (r) return "";
  return error;
}

// Evaluates `assert` against one resource built from `after` / `after_unknown` JSON.
Outcome outcome_of(const std::string& assert_expr, const std::string& after, const std::string& unknown = "{}",
                   std::string* reason = nullptr) {
  std::string error;
  auto rule = load_rule("x.toml", test::rule_text("[select]\ntypes = [\"aws_x\"]\n[check]\nassert = '" + assert_expr +
                                            "'\nmessage = \"m\"\n"),
                        error);
  INFO(error);
  REQUIRE(rule);
  std::string plan_json = R"({"format_version": "1.2", "resource_changes": [{"address": "aws_x.a", "mode": "managed",
    "type": "aws_x", "name": "a", "change": {"actions": ["create"], "before": null, "after": )" +
                          after + R"(, "after_unknown": )" + unknown + R"(, "after_sensitive": {"pw": true}}}]})";
  auto plan = tfwarden::test::load_text(plan_json, error);
  INFO(error);
  REQUIRE(plan);
  PlanResult res = run_rules(*plan, {rule.get()}, {});
  if (res.findings.empty()) return Outcome::Pass;
  if (reason) *reason = res.findings[0].reason;
  return res.findings[0].undecided ? Outcome::Undecided : Outcome::Fail;
}

}  // namespace

TEST_CASE("rule files load, and mistakes name the file, line and key", "[rules]") {
  std::string ok = test::rule_text("[select]\ntypes = [\"aws_subnet\"]\n[check]\nassert = 'map_public_ip_on_launch != true'\nmessage = \"m\"\n");
  CHECK(load_error(ok).empty());

  struct Case {
    const char* name;
    std::string text;
    const char* expect;
  };
  std::vector<Case> cases = {
      {"unknown key",
       test::rule_text("serverity = \"x\"\n[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n"),
       "x.toml:8: key `serverity`: unknown key (did you mean `severity`?)"},
      {"wrong type",
       test::rule_text(
           "references = \"http://x\"\n[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n"),
       "key `references`: expected an array of strings"},
      {"unknown operator", test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'a = 1'\nmessage = \"m\"\n"),
       "unknown operator `=`"},
      {"bad regex",
       test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'a matches \"(\"'\nmessage = \"m\"\n"),
       "bad regular expression"},
      {"unknown function", test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'refz(a)'\nmessage = \"m\"\n"),
       "unknown function `refz` (did you mean `refs`?)"},
      {"sequence misuse",
       test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'a[*].b == 1'\nmessage = \"m\"\n"),
       "yields many values"},
      {"unknown let",
       test::rule_text("[select]\ntypes = [\"a\"]\n[let]\nok = 'true'\n[check]\nassert = '$okk'\nmessage = \"m\"\n"),
       "unknown let `$okk` (did you mean `$ok`?)"},
      {"let cycle",
       test::rule_text(
           "[select]\ntypes = [\"a\"]\n[let]\na = '$b'\nb = '$a'\n[check]\nassert = '$a'\nmessage = \"m\"\n"),
       "refers to itself"},
      {"unknown param",
       test::rule_text(
           "[params]\nmin = 1\n[select]\ntypes = [\"a\"]\n[check]\nassert = 'a > params.mni'\nmessage = \"m\"\n"),
       "unknown parameter `mni`"},
      {"bad severity", "id = \"T-X-001\"\nname = \"x\"\ntitle = \"t\"\nseverity = \"severe\"\n",
       "`severe` is not one of"},
      {"bad id", "id = \"hp_net_1\"\n", "is not an id like"},
      {"missing tests", test::rule_head() + "[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n",
       "key `test`: missing"},
      {"only passing tests",
       test::rule_head() + "[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n"
                           "[[test]]\nname = \"p\"\nexpect = \"pass\"\nplan = '{}'\n",
       "no test expects `fail`"},
      {"bad placeholder",
       test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"{adress}\"\n"),
       "unknown placeholder `{adress}` (did you mean `{address}`?)"},
      {"toml syntax", "id = \"T-X-001\"\nname = = \n", "x.toml:2:"},
      {"evidence on a passing test",
       test::rule_head() + "[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n"
                           "[[test]]\nname = \"p\"\nexpect = \"pass\"\nvalue = \"1\"\nplan = '{}'\n"
                           "[[test]]\nname = \"f\"\nexpect = \"fail\"\npath = \"a\"\nplan = '{}'\n",
       "key `test.value`: a passing test has no finding to show a value"},
      {"bad evidence",
       test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nevidence = 'first(a)'\nmessage = \"m\"\n"),
       "`first` takes 2 arguments, found 1"},
      {"unknown action",
       test::rule_text(
           "[select]\ntypes = [\"a\"]\nactions = [\"destroy\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n"),
       "unknown action `destroy`"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK_THAT(load_error(c.text), Catch::Matchers::Contains(c.expect));
  }
}

TEST_CASE("an error inside a multi-line expression points at its line", "[rules]") {
  std::string text = test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = '''\ntrue and\n  refz(a)\n'''\nmessage = \"m\"\n");
  CHECK_THAT(load_error(text), Catch::Matchers::Contains("x.toml:13:"));
}

TEST_CASE("duplicate ids are refused", "[rules]") {
  RuleSet set;
  std::string error;
  std::string text = test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n");
  REQUIRE(add_rule(set, load_rule("a.toml", text, error), error));
  CHECK_FALSE(add_rule(set, load_rule("b.toml", text, error), error));
  CHECK_THAT(error, Catch::Matchers::Contains("already used by a.toml"));
}

TEST_CASE("three-valued logic: unknown is never missing", "[rules][eval]") {
  CHECK(outcome_of("a == 1", R"({"a": 1})") == Outcome::Pass);
  CHECK(outcome_of("a == 1", R"({"a": 2})") == Outcome::Fail);
  CHECK(outcome_of("a == 1", R"({})", R"({"a": true})") == Outcome::Undecided);
  CHECK(outcome_of("a == 1 or b == 2", R"({"b": 2})", R"({"a": true})") == Outcome::Pass);
  CHECK(outcome_of("a == 1 and b == 2", R"({"b": 3})", R"({"a": true})") == Outcome::Fail);
  CHECK(outcome_of("not (a == 1)", R"({})", R"({"a": true})") == Outcome::Undecided);
  CHECK(outcome_of("is_unknown(a)", R"({})", R"({"a": true})") == Outcome::Pass);
  CHECK(outcome_of("is_absent(a)", R"({})") == Outcome::Pass);
  CHECK(outcome_of("is_null(a)", R"({"a": null})") == Outcome::Pass);
  CHECK(outcome_of("is_absent(a)", R"({"a": null})") == Outcome::Fail);
  CHECK(outcome_of("a != \"x\"", R"({})") == Outcome::Pass);
  CHECK(outcome_of("present(a)", R"({})") == Outcome::Fail);
  // Unknown and not in the configuration: the provider chooses it, so present() cannot decide.
  std::string reason;
  CHECK(outcome_of("present(a)", R"({})", R"({"a": true})", &reason) == Outcome::Undecided);
  CHECK_THAT(reason, Catch::Matchers::Contains("known only after apply"));
}

TEST_CASE("quantifiers, lists and sequences", "[rules][eval]") {
  const char* after = R"({"rule": [{"copy": [{"d": "x"}, {"d": "y"}]}, {"copy": []}], "ports": [80, 443]})";
  CHECK(outcome_of("all(rule[*], any(.copy[*], .d == \"x\"))", after) == Outcome::Fail);
  CHECK(outcome_of("any(rule[*], any(.copy[*], .d == \"y\"))", after) == Outcome::Pass);
  CHECK(outcome_of("count(rule[*].copy[*]) == 2", after) == Outcome::Pass);
  CHECK(outcome_of("count(rule[*].copy[*], .d == \"x\") == 1", after) == Outcome::Pass);
  CHECK(outcome_of("none(ports, . == 22)", after) == Outcome::Pass);
  CHECK(outcome_of("443 in ports and not (22 in ports)", after) == Outcome::Pass);
  CHECK(outcome_of("all(missing[*], . == 1)", after) == Outcome::Pass);
  CHECK(outcome_of("any(missing[*], . == 1)", after) == Outcome::Fail);
  CHECK(outcome_of("len(ports) == 2 and len(rule[0].copy) == 2", after) == Outcome::Pass);
  CHECK(outcome_of("all(ports, . in [80, 443])", R"({"ports": [80, null]})", R"({"ports": [false, true]})") ==
        Outcome::Undecided);
  CHECK(outcome_of("(.) in [1]", R"({})") == Outcome::Fail);
  CHECK(outcome_of("any(ports, . in [443])", after) == Outcome::Pass);
}

TEST_CASE("json strings decode in place, sensitive values compare but never print", "[rules][eval]") {
  const char* after = R"({"defs": "[{\"name\": \"app\", \"environment\": [{\"name\": \"DB_PASSWORD\", \"value\": \"x\"}]}]", "pw": "hunter2"})";
  CHECK(outcome_of("none(json(defs)[*].environment[*], .name matches \"PASSWORD\")", after) == Outcome::Fail);
  CHECK(outcome_of("all(json(defs)[*], .name == \"app\")", after) == Outcome::Pass);
  CHECK(outcome_of("is_sensitive(pw) and pw == \"hunter2\"", after) == Outcome::Pass);
  CHECK(outcome_of("json(defs) == 1", R"({"defs": "{not json"})") == Outcome::Undecided);
}

TEST_CASE("a finding never shows a sensitive value", "[rules][eval]") {
  std::string error;
  auto rule = load_rule("x.toml", test::rule_text("[select]\ntypes = [\"aws_x\"]\n[check]\nassert = 'pw != \"hunter2\"'\npath = \"pw\"\nmessage = \"value {value}\"\n"), error);
  REQUIRE(rule);
  auto plan = tfwarden::test::load_text(R"({"format_version": "1.2", "resource_changes": [{"address": "aws_x.a",
    "mode": "managed", "type": "aws_x", "name": "a", "change": {"actions": ["create"], "before": null,
    "after": {"pw": "hunter2"}, "after_unknown": {}, "after_sensitive": {"pw": true}}}]})", error);
  REQUIRE(plan);
  PlanResult res = run_rules(*plan, {rule.get()}, {});
  REQUIRE(res.findings.size() == 1);
  CHECK(res.findings[0].message == "value (sensitive)");
  CHECK(res.findings[0].value == "(sensitive)");
}

namespace {

// The one finding of a rule (its [select]/[check] body) on one `aws_x.a` with these `after`
// and `after_sensitive` values.
Finding only_finding(const std::string& body, const std::string& after, const std::string& sensitive = "{}") {
  std::string error;
  auto rule = load_rule("x.toml", test::rule_text("[select]\ntypes = [\"aws_x\"]\n" + body), error);
  INFO(error);
  REQUIRE(rule);
  auto plan = tfwarden::test::load_text(R"j({"format_version": "1.2", "resource_changes": [{"address": "aws_x.a",
    "mode": "managed", "type": "aws_x", "name": "a", "change": {"actions": ["create"], "before": null,
    "after": )j" + after + R"j(, "after_unknown": {}, "after_sensitive": )j" +
                                            sensitive + "}}]}",
                                        error);
  INFO(error);
  REQUIRE(plan);
  PlanResult res = run_rules(*plan, {rule.get()}, {});
  REQUIRE(res.findings.size() == 1);
  Finding f = res.findings[0];
  f.rule = nullptr;  // the rule dies here
  return f;
}

}  // namespace

TEST_CASE("sensitive markers: true masks at any depth, {} [] [{}] mask nothing", "[rules][eval][secrets]") {
  const std::string body = "[check]\nassert = 'false'\npath = \"b\"\nmessage = \"value {value}\"\n";
  const std::string after = R"j({"b": [{"user": "app", "pw": "hunter2", "tags": {"k": "v"}}]})j";
  // Terraform writes [{}] for a block with nothing sensitive: the value shows.
  for (const char* none : {R"j({})j", R"j({"b": []})j", R"j({"b": [{}]})j", R"j({"b": [{"tags": {}}]})j", "false"}) {
    INFO(none);
    CHECK(only_finding(body, after, none).value == R"j([{"user":"app","pw":"hunter2","tags":{"k":"v"}}])j");
  }
  Finding nested = only_finding(body, after, R"j({"b": [{"pw": true, "tags": {}}]})j");
  CHECK(nested.value == R"j([{"user":"app","pw":"(sensitive)","tags":{"k":"v"}}])j");
  CHECK(nested.message == R"j(value [{"user":"app","pw":"(sensitive)","tags":{"k":"v"}}])j");
  CHECK(only_finding(body, after, R"j({"b": true})j").value == "(sensitive)");
  // A sensitive parent masks its children.
  std::string child = "[check]\nassert = 'false'\npath = \"b[0].user\"\nmessage = \"value {value}\"\n";
  CHECK(only_finding(child, after, R"j({"b": true})j").value == "(sensitive)");
  CHECK(only_finding(child, after, R"j({"b": [true]})j").value == "(sensitive)");
  CHECK(only_finding(child, after, R"j({"b": [{"pw": true}]})j").value == "app");
  // json() of a sensitive string stays sensitive.
  std::string decoded = "[check]\nassert = 'all(json(d)[*], .user != \"app\")'\npath = \"d\"\nmessage = \"m\"\n";
  CHECK(only_finding(decoded, R"j({"d": "[{\"user\": \"app\"}]"})j", R"j({"d": true})j").value == "(sensitive)");
}

TEST_CASE("a finding of any rule shows no credential in its value, message or reason", "[rules][eval][secrets]") {
  // A user rule that prints the value it flags: the detector still hides the credentials.
  const std::string body = "[check]\nassert = 'false'\npath = \"env\"\nmessage = \"environment {value}\"\n";
  Finding f = only_finding(
      body, R"j({"env": {"LOG_LEVEL": "info", "KEY_ID": "AKIAZ7TFWARDENFAKE01", "DB_PASSWORD": "hunter2-correct-horse",
                "URL": "postgres://app:hunter2-correct-horse@db/app"}})j");
  CHECK(
      f.value ==
      R"j({"LOG_LEVEL":"info","KEY_ID":"(redacted)","DB_PASSWORD":"(redacted)","URL":"postgres://app:(redacted)@db/app"})j");
  CHECK(f.message == "environment " + f.value);
  // Redacted before it is shortened: a key across the cut at 120 bytes does not leak its start.
  std::string pad(110, 'x');
  Finding cut = only_finding("[check]\nassert = 'false'\npath = \"s\"\nmessage = \"m {value}\"\n",
                             R"j({"s": ")j" + pad + R"j( AKIAZ7TFWARDENFAKE01 and more text after the key"})j");
  CHECK(cut.value == pad + " (redacted...");
  CHECK(cut.message.find("AKIAZ7") == std::string::npos);
  // A reason never shows the value (arn_region of something that is not an ARN).
  Finding undecided =
      only_finding("[check]\nassert = 'arn_region(s) == \"us-east-1\"'\npath = \"s\"\nmessage = \"m\"\n",
                   R"j({"s": "hunter2-correct-horse"})j");
  CHECK(undecided.undecided);
  CHECK(undecided.reason == "`s` of `aws_x.a` is not an ARN");
}

TEST_CASE("a secret rule shows only the names of the secrets it flags", "[rules][eval][secrets]") {
  const std::string body = R"j([params]
secret_name_pattern = "(?i)(password|conn)"
[check]
assert = 'none(json(defs)[*].environment[*], .name matches params.secret_name_pattern)'
path = "defs"
secret = true
message = "secret in {value}"
)j";
  const std::string after =
      R"j({"defs": "[{\"name\":\"api\",\"environment\":[{\"name\":\"DB_HOST\",\"value\":\"db\"},{\"name\":\"DB_PASSWORD\",\"value\":\"hunter2\"},{\"name\":\"DB_CONN\",\"value\":\"opaque-9f2\"}]}]"})j";
  Finding f = only_finding(body, after);
  CHECK(f.value == "DB_PASSWORD=(redacted), DB_CONN=(redacted)");
  CHECK(f.message == "secret in DB_PASSWORD=(redacted), DB_CONN=(redacted)");
  // Without the rule's pattern, a name the detector does not know is not listed: the value
  // shows nothing.
  CHECK(only_finding("[check]\nassert = 'false'\npath = \"defs\"\nsecret = true\nmessage = \"m\"\n",
                     R"j({"defs": "[{\"environment\":[{\"name\":\"DB_CONN\",\"value\":\"opaque-9f2\"}]}]"})j")
            .value == "(redacted)");
  CHECK(only_finding("[check]\nassert = 'false'\npath = \"s\"\nsecret = true\nmessage = \"m {value}\"\n",
                     R"j({"s": "opaque-9f2"})j")
            .message == "m (redacted)");
  CHECK_THAT(load_error(test::rule_text(
                 "[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nsecret = \"yes\"\nmessage = \"m\"\n")),
             Catch::Matchers::Contains("key `check.secret`: expected a boolean, found a string"));
}

TEST_CASE("evidence: a finding names the element that decided it and its value", "[rules][eval][evidence]") {
  const std::string after = R"j({"ingress": [{"port": 22, "cidr": "10.0.0.0/8"}, {"port": 443, "cidr": "0.0.0.0/0"},
    {"port": 80, "cidr": "0.0.0.0/0"}], "retention": null, "token": "AKIAZ7TFWARDENFAKE01"})j";
  // first(): the first element for which the predicate holds, with its place in the resource.
  Finding open = only_finding(R"j([let]
open = 'first(ingress[*], .cidr == "0.0.0.0/0")'
[check]
assert = 'none(ingress[*], .cidr == "0.0.0.0/0")'
path = "ingress"
evidence = '$open.port'
message = "port `{value}` at `{path}` is open to `{$open}`"
)j",
                              after);
  CHECK(open.path == "ingress[1].port");
  CHECK(open.value == "443");
  CHECK(open.message == R"j(port `443` at `ingress[1].port` is open to `{"port":443,"cidr":"0.0.0.0/0"}`)j");
  // The fingerprint keeps naming the rule's declared path: it does not move with the evidence.
  CHECK(open.identity_path == "ingress");
  // A computed value has no place: the rule's path names it; at() gives it one.
  Finding unset = only_finding(R"j([let]
shown = 'if(is_null(retention), "unset (default: 1 day)", retention)'
[check]
assert = 'retention >= 7'
path = "retention"
evidence = '$shown'
message = "retention `{$shown}`"
)j",
                               after);
  CHECK(unset.path == "retention");
  CHECK(unset.value == "unset (default: 1 day)");
  CHECK(unset.message == "retention `unset (default: 1 day)`");
  Finding placed = only_finding(R"j([check]
assert = 'false'
path = "x"
evidence = 'at(ingress[2].cidr, "the internet")'
message = "m"
)j",
                                after);
  CHECK(placed.path == "ingress[2].cidr");
  CHECK(placed.value == "the internet");
  // A let in a message is rendered and redacted like the value.
  Finding secret = only_finding(R"j([let]
t = 'token'
[check]
assert = 'false'
path = "token"
message = "token {$t}"
)j",
                                after);
  CHECK(secret.message == "token (redacted)");
  CHECK(secret.value == "(redacted)");
  CHECK_THAT(load_error(test::rule_text(R"j([select]
types = ["a"]
[let]
port = '1'
[check]
assert = 'true'
message = "{$prot}"
)j")),
             Catch::Matchers::Contains("unknown let `{$prot}` (did you mean `{$port}`?)"));
}

TEST_CASE("first() is three-valued: an undecided element before the match leaves it unknown",
          "[rules][eval][evidence]") {
  const std::string body = R"j([check]
assert = 'false'
path = "l"
evidence = 'first(l[*], . == 2)'
message = "m"
)j";
  std::string error;
  auto rule = load_rule("x.toml", test::rule_text("[select]\ntypes = [\"aws_x\"]\n" + body), error);
  REQUIRE(rule);
  auto plan = tfwarden::test::load_text(R"j({"format_version": "1.2", "resource_changes": [{"address": "aws_x.a",
    "mode": "managed", "type": "aws_x", "name": "a", "change": {"actions": ["create"], "before": null,
    "after": {"l": [1, null, 2]}, "after_unknown": {"l": [false, true, false]}, "after_sensitive": {}}}]})j",
                                        error);
  REQUIRE(plan);
  PlanResult res = run_rules(*plan, {rule.get()}, {});
  REQUIRE(res.findings.size() == 1);
  CHECK(res.findings[0].value == "(known after apply)");
  CHECK(res.findings[0].path == "l");
  CHECK(only_finding(body, R"j({"l": [1, 2, 2]})j").path == "l[1]");
  CHECK(only_finding(body, R"j({"l": [1, 3]})j").value == "(absent)");
}

TEST_CASE("rule ids and names have one shape", "[rules][bad-input]") {
  std::string base = test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n");
  auto with = [&](const std::string& key, const std::string& value) {
    std::string text = base;
    std::string line = key + " = \"" + (key == "id" ? "T-X-001" : "x-bad") + "\"";
    text.replace(text.find(line), line.size(), key + " = \"" + value + "\"");
    return load_error(text);
  };
  for (const char* good : {"HP-NET-001", "A-1", "CIS-4-1-2"}) CHECK(with("id", good).empty());
  for (const char* bad : {"HP", "hp-net-001", "HP--NET", "HP-", "-HP-1", "1P-X", "HP-NeT", "HP_NET-1", ""}) {
    INFO(bad);
    CHECK_FALSE(with("id", bad).empty());
  }
  for (const char* good : {"x", "cloudfront-without-waf", "a1-2b"}) CHECK(with("name", good).empty());
  for (const char* bad : {"-x", "x-", "a--b", "Cloudfront", "a_b", "a b"}) {
    INFO(bad);
    CHECK_FALSE(with("name", bad).empty());
  }
}

TEST_CASE("managed_refs: what the plan does not manage is undecided, never an empty pass", "[rules][eval]") {
  std::string reason;
  // A known id no managed resource of the type has: refs() finds nothing, managed_refs() says so.
  CHECK(outcome_of("all(refs(subnet_id, \"aws_subnet\"), false)", R"({"subnet_id": "subnet-0abc"})") == Outcome::Pass);
  CHECK(outcome_of("all(managed_refs(subnet_id, \"aws_subnet\"), false)", R"({"subnet_id": "subnet-0abc"})", "{}",
                   &reason) == Outcome::Undecided);
  CHECK(reason == "`subnet_id` of `aws_x.a` is `subnet-0abc`, which no `aws_subnet` in the plan has");
  // Each element of a list is its own value; a sensitive one is never printed.
  CHECK(outcome_of("all(managed_refs(ids, [\"aws_subnet\", \"aws_vpc\"]), true)", R"({"ids": ["", "subnet-1"]})", "{}",
                   &reason) == Outcome::Undecided);
  CHECK(reason == "`ids[1]` of `aws_x.a` is `subnet-1`, which no `aws_subnet` or `aws_vpc` in the plan has");
  CHECK(outcome_of("all(managed_refs(pw, \"aws_subnet\"), true)", R"({"pw": "subnet-secret"})", "{}", &reason) ==
        Outcome::Undecided);
  CHECK(reason == "`pw` of `aws_x.a` is (sensitive), which no `aws_subnet` in the plan has");
  // Nothing set is nothing outside the plan.
  CHECK(outcome_of("all(managed_refs(subnet_id, \"aws_subnet\"), false)", R"({"subnet_id": null})") == Outcome::Pass);
  CHECK_THAT(load_error(test::rule_text(
                 "[select]\ntypes = [\"a\"]\n[check]\nassert = 'any(managed_refs(a, b))'\nmessage = \"m\"\n")),
             Catch::Matchers::Contains("the resource type of `managed_refs` must be a string literal"));
}

TEST_CASE("duplicate names are refused", "[rules]") {
  RuleSet set;
  std::string error;
  std::string text = test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n");
  REQUIRE(add_rule(set, load_rule("x/x-bad.toml", text, error), error));
  std::string other = text;
  other.replace(other.find("T-X-001"), 7, "T-X-002");
  CHECK_FALSE(add_rule(set, load_rule("y/x-bad.toml", other, error), error));
  CHECK(error == "y/x-bad.toml: key `name`: `x-bad` is already the name of T-X-001 (x/x-bad.toml)");
}

TEST_CASE("a rule file is <name>.toml, in the folder of its area in a bundled pack", "[rules]") {
  std::string error;
  auto rule =
      load_rule("rules/x/x-bad.toml",
                test::rule_text("[select]\ntypes = [\"a\"]\n[check]\nassert = 'true'\nmessage = \"m\"\n"), error);
  REQUIRE(rule);
  CHECK(check_rule_location(*rule, "x/x-bad.toml", true).empty());
  CHECK(check_rule_location(*rule, "x-bad.toml", true).empty());  // the top of a rule directory
  CHECK(check_rule_location(*rule, "x/other.toml", true) ==
        "rules/x/x-bad.toml: key `name`: `x-bad` is not the file's name `other.toml` (a rule file is named for its "
        "rule: `x-bad.toml`)");
  CHECK(check_rule_location(*rule, "team/x-bad.toml", false).empty());  // a user's own layout
  CHECK(check_rule_location(*rule, "net/x-bad.toml", true) ==
        "rules/x/x-bad.toml: key `area`: `x` is not the folder's name `net` (a rule file lives in the folder of its "
        "area: `x/`)");
}

TEST_CASE("explain shows a rule's definitions in file order with their comments", "[rules][docs]") {
  std::string error;
  auto rule = load_rule("x/x-bad.toml", test::rule_text(R"([select]
types = ["a"]
[let]
# zeta comes first in the file
# and says so on two lines
zeta = 'a == 1'
alpha = '$zeta or b == 2'
[check]
assert = '$alpha'
message = "m"
)"),
                        error);
  INFO(error);
  REQUIRE(rule);
  std::string page = rule_page_text(*rule);
  auto zeta = page.find("  # zeta comes first in the file\n  # and says so on two lines\n  where $zeta = a == 1\n");
  auto alpha = page.find("  where $alpha = $zeta or b == 2\n");
  REQUIRE(zeta != std::string::npos);
  REQUIRE(alpha != std::string::npos);
  CHECK(zeta < alpha);
}

TEST_CASE("compliance ids given for one type count only for that type's findings", "[rules]") {
  std::string error;
  auto rule = load_rule("x/x-bad.toml", test::rule_text(R"([compliance]
nist-800-53 = ["SC-28"]
[compliance.aws_db_instance]
aws-fsbp = ["RDS.3"]
[compliance.aws_rds_cluster]
aws-fsbp = ["RDS.27"]
[select]
types = ["aws_db_instance", "aws_rds_cluster"]
[check]
assert = 'true'
message = "m"
)"),
                        error);
  INFO(error);
  REQUIRE(rule);
  using Ids = std::map<std::string, std::vector<std::string>>;
  CHECK(rule->compliance_of("aws_db_instance") == Ids{{"aws-fsbp", {"RDS.3"}}, {"nist-800-53", {"SC-28"}}});
  CHECK(rule->compliance_of("aws_rds_cluster") == Ids{{"aws-fsbp", {"RDS.27"}}, {"nist-800-53", {"SC-28"}}});
  CHECK(rule->all_compliance() == Ids{{"aws-fsbp", {"RDS.3", "RDS.27"}}, {"nist-800-53", {"SC-28"}}});
  // A type the rule does not select is an unknown key.
  auto bad = load_rule("x/x-bad.toml", test::rule_text(R"([compliance.aws_s3_bucket]
aws-fsbp = ["S3.1"]
[select]
types = ["aws_db_instance"]
[check]
assert = 'true'
message = "m"
)"),
                       error);
  CHECK_FALSE(bad);
  CHECK_THAT(error, Catch::Matchers::Contains("key `compliance.aws_s3_bucket`: unknown key"));
}

namespace {

// Loads `lib` as a library (its `uses` resolve to nothing) and a rule using it; "" or the error.
std::string lib_error(const std::string& lib, const std::string& rule_body) {
  std::string error;
  LibraryResolver none = [](const std::string& pack, std::string& err) -> const Library* {
    err = "no pack `" + pack + "`";
    return nullptr;
  };
  auto l = load_library("lib.toml", lib, error, false, none);
  if (!l) return error;
  auto r = load_rule("x.toml", test::rule_text(rule_body), error, true, &l->lib);
  return r ? "" : error;
}

}  // namespace

TEST_CASE("a pack's lib.toml: definitions with parameters, expanded where they are used", "[rules]") {
  std::string lib = "[let]\n\"is_on(flag)\" = 'flag == true'\nboth = '$is_on(a) and $is_on(.b)'\n";
  auto rule = [](const std::string& assert_expr) {
    return "[select]\ntypes = [\"aws_x\"]\n[check]\nassert = '" + assert_expr + "'\nmessage = \"m\"\n";
  };
  CHECK(lib_error(lib, rule("$is_on(enabled)")).empty());
  CHECK(lib_error(lib, rule("all(items[*], $is_on(.enabled))")).empty());
  CHECK(lib_error(lib, rule("$both")).empty());

  struct Case {
    const char* name;
    std::string lib, assert_expr;
    const char* expect;
  };
  std::vector<Case> cases = {
      {"an argument that is not a path", lib, "$is_on(a or b)",
       "key `check.assert`: argument `flag` of `$is_on` must be an attribute path"},
      {"too many arguments", lib, "$is_on(a, b)", "`$is_on(flag)` takes 1 argument, found 2"},
      {"no arguments given", lib, "$is_on", "`$is_on` takes arguments: write $is_on(flag)"},
      {"arguments to a plain definition", lib, "$both(a)", "`$both` takes no arguments"},
      {"an unknown name", lib, "$is_onn(a)", "unknown let `$is_onn` (did you mean `$is_on`?)"},
      {"a definition that expands into itself", "[let]\nloop = 'true and $loop'\n", "$loop",
       "lib.toml:2: key `let.loop`: in `$loop` (lib.toml:2): it expands into itself"},
      {"a bad key", "[let]\n\"f(a, a)\" = 'a'\n", "true", "lib.toml:2: key `let.f(a, a)`: a definition is named"},
      {"a syntax error in a definition", "[let]\nbad = 'a =='\n", "true", "lib.toml:2: key `let.bad`:"},
      {"uses an unknown pack", "uses = [\"nope\"]\n", "true", "lib.toml:1: key `uses`: no pack `nope`"},
      {"neither definitions nor uses", "", "true", "lib.toml:1: key `let`: missing"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string err = lib_error(c.lib, rule(c.assert_expr));
    INFO(err);
    CHECK(err.find(c.expect) != std::string::npos);
  }

  // A rule's let may not take a library definition's name.
  std::string shadow = lib_error(lib, "[select]\ntypes = [\"aws_x\"]\n[let]\nboth = 'true'\n[check]\nassert = "
                                      "'$both'\nmessage = \"m\"\n");
  CHECK(shadow.find("`$both` is already defined by the pack's lib.toml:3") != std::string::npos);
}

TEST_CASE("a library definition decides as if it were written in the rule", "[rules]") {
  std::string error;
  LibraryResolver none = [](const std::string&, std::string&) -> const Library* { return nullptr; };
  auto l = load_library("lib.toml", "[let]\n\"cmk(key)\" = 'key matches \"^arn:\" and not (key matches \"alias/aws/\")'\n",
                        error, false, none);
  REQUIRE(l);
  auto rule = load_rule("x.toml",
                        test::rule_text("[select]\ntypes = [\"aws_x\"]\n[check]\nassert = '$cmk(kms_key_id)'\n"
                                        "message = \"m\"\n"),
                        error, true, &l->lib);
  INFO(error);
  REQUIRE(rule);
  auto run = [&](const std::string& after, const std::string& unknown) {
    std::string plan_json = R"({"format_version": "1.2", "resource_changes": [{"address": "aws_x.a", "mode": "managed",
      "type": "aws_x", "name": "a", "change": {"actions": ["create"], "before": null, "after": )" +
                            after + R"(, "after_unknown": )" + unknown + "}}]}";
    auto plan = test::load_text(plan_json, error);
    REQUIRE(plan);
    PlanResult res = run_rules(*plan, {rule.get()}, {});
    if (res.findings.empty()) return Outcome::Pass;
    return res.findings[0].undecided ? Outcome::Undecided : Outcome::Fail;
  };
  CHECK(run(R"({"kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/k"})", "{}") == Outcome::Pass);
  CHECK(run(R"({"kms_key_id": "arn:aws:kms:us-east-1:111122223333:alias/aws/sns"})", "{}") == Outcome::Fail);
  CHECK(run(R"({})", R"({"kms_key_id": true})") == Outcome::Undecided);
}

TEST_CASE("a test may set the rule's parameters; unknown ones are refused", "[rules]") {
  std::string head = test::rule_head() +
                     "[params]\nmin = 3\n[select]\ntypes = [\"aws_x\"]\n[check]\nassert = 'n >= params.min'\n"
                     "message = \"m\"\n";
  auto with_test = [&](const std::string& params) {
    return head +
           "[[test]]\nname = \"p\"\nexpect = \"pass\"\n[[test.resource]]\naddress = \"aws_x.a\"\n"
           "values = { n = 5 }\n[[test]]\nname = \"f\"\nexpect = \"fail\"\n" +
           params + "[[test.resource]]\naddress = \"aws_x.a\"\nvalues = { n = 5 }\n";
  };
  std::string error;
  auto rule = load_rule("x.toml", with_test("[test.params]\nmin = 9\n"), error);
  INFO(error);
  REQUIRE(rule);
  REQUIRE(rule->tests.size() == 2);
  CHECK(rule->tests[1].params.at("min").n == 9);
  CHECK(load_error(with_test("[test.params]\nmax = 9\n")).find("key `test.params.max`: the rule has no parameter") !=
        std::string::npos);
  CHECK(load_error(with_test("[test.params]\nmin = \"9\"\n")).find("expected a value like the default 3") !=
        std::string::npos);
}

// One table of cases per language function: each row evaluates an assertion on one resource
// (`after`, `after_unknown`) and names the outcome. Every function of the table in expr.cpp
// must have rows here, so a new function cannot land untested.
TEST_CASE("every language function has its table of cases", "[rules]") {
  struct Row {
    const char* fn;
    const char* expr;
    const char* after;
    const char* unknown;
    Outcome want;
  };
  const char* list = R"({"ports": [22, 443], "name": "Api", "pw": "x", "arn": "arn:aws:sns:eu-west-1:111122223333:t",
    "defs": "[{\"image\": \"a@sha256:1\"}]", "subnet_id": "subnet-1", "region": "eu-west-1"})";
  const Row rows[] = {
      {"all", "all(ports, . > 20)", list, "{}", Outcome::Pass},
      {"all", "all(ports, . > 100)", list, "{}", Outcome::Fail},
      {"all", "all(items, . > 1)", "{}", R"({"items": true})", Outcome::Undecided},
      {"any", "any(ports, . == 443)", list, "{}", Outcome::Pass},
      {"any", "any(ports, . == 80)", list, "{}", Outcome::Fail},
      {"none", "none(ports, . == 80)", list, "{}", Outcome::Pass},
      {"none", "none(ports, . == 22)", list, "{}", Outcome::Fail},
      {"count", "count(ports) == 2 and count(ports, . == 22) == 1", list, "{}", Outcome::Pass},
      {"count", "count(ports, . == 80) > 0", list, "{}", Outcome::Fail},
      {"count_distinct", "count_distinct(ports, .) == 2", list, "{}", Outcome::Pass},
      {"present", "present(name)", list, "{}", Outcome::Pass},
      {"present", "present(missing)", list, "{}", Outcome::Fail},
      {"present", "present(later)", "{}", R"({"later": true})", Outcome::Undecided},
      {"configured", "configured(name)", list, "{}", Outcome::Pass},  // a state-like change: present
      {"is_unknown", "is_unknown(later)", "{}", R"({"later": true})", Outcome::Pass},
      {"is_unknown", "is_unknown(name)", list, "{}", Outcome::Fail},
      {"is_null", "is_null(n)", R"({"n": null})", "{}", Outcome::Pass},
      {"is_null", "is_null(name)", list, "{}", Outcome::Fail},
      {"is_absent", "is_absent(missing)", list, "{}", Outcome::Pass},
      {"is_absent", "is_absent(name)", list, "{}", Outcome::Fail},
      {"is_sensitive", "is_sensitive(pw)", list, "{}", Outcome::Pass},
      {"is_sensitive", "is_sensitive(name)", list, "{}", Outcome::Fail},
      {"refs", "count(refs(subnet_id, \"aws_subnet\")) == 0", list, "{}", Outcome::Pass},
      {"managed_refs", "all(managed_refs(subnet_id, \"aws_subnet\"), false)", list, "{}", Outcome::Undecided},
      {"referrers", "none(referrers(\"aws_y\", \"target\"))", list, "{}", Outcome::Pass},
      {"resources", "count(resources(\"aws_x\")) == 1", list, "{}", Outcome::Pass},
      {"resources", "any(resources(\"aws_y\"))", list, "{}", Outcome::Fail},
      {"resources_by", "any(resources_by(\"aws_x\", \"name\", \"Api\"))", list, "{}", Outcome::Pass},
      {"resources_by", "any(resources_by(\"aws_x\", \"name\", \"web\"))", list, "{}", Outcome::Fail},
      {"region", "region(self) == \"eu-west-1\"", list, "{}", Outcome::Pass},
      {"region", "region(self) == \"us-east-1\"", list, "{}", Outcome::Fail},
      {"region", "region(self) == \"us-east-1\"", "{}", R"({"arn": true})", Outcome::Undecided},
      {"arn_region", "arn_region(arn) == \"eu-west-1\"", list, "{}", Outcome::Pass},
      {"arn_region", "arn_region(name) == \"eu-west-1\"", list, "{}", Outcome::Undecided},
      {"action", "action() == \"create\"", list, "{}", Outcome::Pass},
      {"action", "action() == \"delete\"", list, "{}", Outcome::Fail},
      {"json", "all(json(defs)[*], .image matches \"@sha256:\")", list, "{}", Outcome::Pass},
      {"json", "json(name) == 1", list, "{}", Outcome::Undecided},
      {"len", "len(name) == 3 and len(ports) == 2", list, "{}", Outcome::Pass},
      {"lower", "lower(name) == \"api\"", list, "{}", Outcome::Pass},
      {"upper", "upper(name) == \"API\"", list, "{}", Outcome::Pass},
      {"upper", "upper(name) == \"Api\"", list, "{}", Outcome::Fail},
      {"if", "if(len(name) > 1, true, false)", list, "{}", Outcome::Pass},
      {"if", "if(later, true, false)", "{}", R"({"later": true})", Outcome::Undecided},
      {"unknown", "unknown(\"the plan cannot tell\")", list, "{}", Outcome::Undecided},
      {"first", "first(ports, . > 100) == 1", list, "{}", Outcome::Fail},
      {"first", "first(ports, . == 443) == 443", list, "{}", Outcome::Pass},
      {"at", "at(name, \"shown\") == \"shown\"", list, "{}", Outcome::Pass},
      {"concat", "concat(name, \"-\", 1) == \"Api-1\"", list, "{}", Outcome::Pass},
      {"concat", "concat(name, later) == \"Api\"", "{}", R"({"later": true})", Outcome::Undecided},
      {"type_of", "type_of(self) == \"aws_x\" and all(resources(\"aws_x\"), type_of(.) == \"aws_x\")", list, "{}",
       Outcome::Pass},
      {"type_of", "type_of(self) == \"aws_y\"", list, "{}", Outcome::Fail},
      {"type_of", "type_of(name) == \"aws_x\"", list, "{}", Outcome::Undecided},
  };
  std::set<std::string> covered;
  for (const auto& r : rows) {
    INFO(r.fn << ": " << r.expr);
    std::string after = r.after;
    CHECK(outcome_of(r.expr, after, r.unknown) == r.want);
    covered.insert(r.fn);
  }
  for (const auto& name : builtin_names()) {
    INFO("function " << name << " has no row in this table");
    CHECK(covered.count(name) == 1);
  }
}
