#include "report/formats.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "plan/printable.h"
#include "report/xml.h"

namespace tfwarden {

namespace {

using json = nlohmann::json;

// Two rules and a meta rule, as the report formats see them after a check.
struct Fixture {
  Rule waf, subnet, expired;
  Report report;

  Fixture() {
    waf.id = "HP-EDGE-001";
    waf.name = "cloudfront-without-waf";
    waf.title = "CloudFront distribution without a CLOUDFRONT-scope WAFv2 web ACL";
    waf.area = "edge";
    waf.severity = Severity::High;
    waf.rationale = "First paragraph\nof the rationale.\n\nSecond paragraph.";
    waf.remediation = "Attach a web ACL:\n\n```hcl\nweb_acl_id = aws_wafv2_web_acl.edge.arn\n```\n";
    waf.references = {"https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html"};
    waf.compliance = {{"aws-fsbp", {"CloudFront.6"}}, {"nist-800-53", {"SC-7", "SI-4"}}};
    subnet.id = "HP-NET-001";
    subnet.name = "subnet-auto-public-ip";
    subnet.title = "Subnet assigns public IPv4 addresses on launch";
    subnet.area = "net";
    subnet.severity = Severity::Medium;
    subnet.remediation = "Leave `map_public_ip_on_launch` unset.";
    expired.id = "TFW-WAIVER-001";
    expired.name = "waiver-expired";
    expired.title = "A waiver in the configuration has expired";
    expired.severity = Severity::Info;
    report.rules = {&waf, &subnet};
    report.inputs.push_back({"plan.json", "plan", "1.2", "1.9.5", {3, 0, 0}, false, {}, ""});
  }

  Finding& add(const Rule& rule, const std::string& address, const std::string& path = "") {
    Finding f;
    f.rule = &rule;
    f.input = "plan.json";
    f.address = address;
    f.path = path;
    f.identity_path = path;
    f.severity = rule.severity;
    f.message = "finding on `" + address + "`";
    report.findings.push_back(f);
    return report.findings.back();
  }

  std::string render(void (*writer)(const Report&, std::ostream&)) const {
    std::ostringstream out;
    writer(report, out);
    return out.str();
  }
};

}  // namespace

TEST_CASE("github: messages and properties are escaped as the toolkit does", "[report][github]") {
  Fixture fx;
  Finding& f = fx.add(fx.waf, "aws_cloudfront_distribution.main", "web_acl_id");
  f.message = "100% bad\r\nsecond line";
  f.source_file = "infra/a,b:c.tf";
  f.source_line = 12;
  std::string out = fx.render(write_github);
  CHECK(out ==
        "::error file=infra/a%2Cb%3Ac.tf,line=12,title=HP-EDGE-001 cloudfront-without-waf::100%25 bad\\r\\nsecond line "
        "(aws_cloudfront_distribution.main)\n");
}

TEST_CASE("github: levels, lines, undecided reasons; waived and baseline findings left out", "[report][github]") {
  Fixture fx;
  Finding& undecided = fx.add(fx.waf, "aws_cloudfront_distribution.a");
  undecided.undecided = true;
  undecided.reason = "comes from `local.x`";
  fx.add(fx.subnet, "aws_subnet.b");
  fx.add(fx.waf, "aws_cloudfront_distribution.waived").waived = true;
  fx.add(fx.waf, "aws_cloudfront_distribution.known").baseline = true;
  Finding& info = fx.add(fx.expired, "HP-EDGE-001 aws_.*");
  info.source_file = ".tfwarden.toml";
  info.source_line = 7;
  std::istringstream lines(fx.render(write_github));
  std::string line;
  std::vector<std::string> got;
  while (std::getline(lines, line)) got.push_back(line);
  REQUIRE(got.size() == 3);
  CHECK(got[0] ==
        "::error file=plan.json,title=HP-EDGE-001 cloudfront-without-waf::finding on `aws_cloudfront_distribution.a` "
        "(aws_cloudfront_distribution.a); undecided: comes from `local.x`");
  CHECK(got[1].starts_with("::warning file=plan.json,title=HP-NET-001 subnet-auto-public-ip::"));
  CHECK(got[2].starts_with("::notice file=.tfwarden.toml,line=7,title=TFW-WAIVER-001 waiver-expired::"));
}

TEST_CASE("junit: counts, failures, skips and passing cases", "[report][junit]") {
  Fixture fx;
  fx.report.undecided_fails = false;
  fx.report.evaluations = {{&fx.waf, "aws_cloudfront_distribution.bad", Outcome::Fail},
                           {&fx.waf, "aws_cloudfront_distribution.good", Outcome::Pass},
                           {&fx.waf, "aws_cloudfront_distribution.unsure", Outcome::Undecided},
                           {&fx.waf, "aws_cloudfront_distribution.waived", Outcome::Fail},
                           {&fx.subnet, "aws_cloudfront_distribution.bad", Outcome::NotInScope},
                           {&fx.subnet, "aws_subnet.filtered", Outcome::Fail}};
  fx.add(fx.waf, "aws_cloudfront_distribution.bad", "web_acl_id");
  Finding& unsure = fx.add(fx.waf, "aws_cloudfront_distribution.unsure");
  unsure.undecided = true;
  unsure.reason = "comes from `local.x`";
  Finding& waived = fx.add(fx.waf, "aws_cloudfront_distribution.waived");
  waived.waived = true;
  waived.waiver_reason = "legacy & <fronted> by \"Akamai\"";
  std::string out = fx.render(write_junit);

  CHECK(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tfwarden\" tests=\"5\" "
                        "failures=\"1\" errors=\"0\" skipped=\"3\""));
  CHECK(out.find("<testsuite name=\"HP-EDGE-001\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"2\"") !=
        std::string::npos);
  CHECK(out.find("<testsuite name=\"HP-NET-001\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\"") !=
        std::string::npos);
  CHECK(out.find("<testcase classname=\"HP-EDGE-001\" name=\"aws_cloudfront_distribution.good\" time=\"0\"/>") !=
        std::string::npos);
  CHECK(out.find("<failure message=\"finding on `aws_cloudfront_distribution.bad`\" type=\"high\">") !=
        std::string::npos);
  CHECK(out.find("= help: Attach a web ACL&#10;") != std::string::npos);
  CHECK(out.find("<skipped message=\"waived: legacy &amp; &lt;fronted&gt; by &quot;Akamai&quot;\"/>") !=
        std::string::npos);
  CHECK(out.find("<skipped message=\"undecided: comes from `local.x`\"/>") != std::string::npos);
  CHECK(out.find("<skipped message=\"not reported: filtered out") != std::string::npos);
  CHECK(out.find("name=\"aws_cloudfront_distribution.bad\"", out.find("HP-NET-001")) == std::string::npos);
}

TEST_CASE("junit: control characters and invalid UTF-8 cannot break the document", "[report][junit]") {
  Fixture fx;
  fx.report.evaluations = {{&fx.subnet, "aws_subnet.x", Outcome::Fail}};
  Finding& f = fx.add(fx.subnet, "aws_subnet.x");
  f.message = std::string("bell\a nul") + '\0' + " tab\t quote' bad\xff utf8 \xC3\xA9 \xEF\xBF\xBE end";
  std::string out = fx.render(write_junit);
  // Shown escaped as text, as in every format: XML 1.0 cannot hold them even as references.
  CHECK(out.find("message=\"bell\\u0007 nul\\u0000 tab\\t quote&apos; bad\\xff utf8 \xC3\xA9 \\ufffe end\"") !=
        std::string::npos);
  CHECK(out.find('\a') == std::string::npos);
  CHECK(out.find('\0') == std::string::npos);
}

TEST_CASE("sarif: rules, levels and locations", "[report][sarif]") {
  Fixture fx;
  Finding& mapped = fx.add(fx.waf, "aws_cloudfront_distribution.main", "web_acl_id");
  mapped.source_file = "infra/edge main.tf";
  mapped.source_line = 42;
  fx.add(fx.subnet, "module.net[\"a\"].aws_subnet.public[0]", "map_public_ip_on_launch");
  Finding& meta = fx.add(fx.expired, "HP-EDGE-001 aws_.*");
  meta.input = ".tfwarden.toml";
  json doc = json::parse(fx.render(write_sarif));

  CHECK(doc["version"] == "2.1.0");
  const json& run = doc["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 3);
  CHECK(rules[0]["id"] == "HP-EDGE-001");
  CHECK(rules[0]["name"] == "CloudfrontWithoutWaf");
  CHECK(rules[0]["fullDescription"]["text"] == "First paragraph of the rationale.");
  CHECK(rules[0]["helpUri"] == fx.waf.references[0]);
  CHECK(rules[0]["help"]["markdown"] == fx.waf.remediation);
  CHECK(rules[0]["defaultConfiguration"]["level"] == "error");
  CHECK(rules[0]["properties"]["security-severity"] == "8.0");
  CHECK(rules[0]["properties"]["tags"] ==
        json::array({"security", "edge", "aws-fsbp/CloudFront.6", "nist-800-53/SC-7", "nist-800-53/SI-4"}));
  CHECK(rules[1]["defaultConfiguration"]["level"] == "warning");
  CHECK(rules[1]["fullDescription"]["text"] == fx.subnet.title);  // no rationale
  CHECK_FALSE(rules[1].contains("helpUri"));
  CHECK(rules[2]["id"] == "TFW-WAIVER-001");

  const json& results = run["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["level"] == "error");
  CHECK(results[0]["ruleIndex"] == 0);
  const json& loc = results[0]["locations"][0];
  CHECK(loc["physicalLocation"]["artifactLocation"]["uri"] == "infra/edge%20main.tf");
  CHECK(loc["physicalLocation"]["region"]["startLine"] == 42);
  CHECK(loc["logicalLocations"][0]["fullyQualifiedName"] == "aws_cloudfront_distribution.main");
  CHECK(results[1]["level"] == "warning");
  CHECK(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plan.json");
  CHECK(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  CHECK(results[2]["level"] == "note");
  CHECK(results[2]["ruleIndex"] == 2);
  for (const json& r : results) {
    CHECK_FALSE(r.contains("suppressions"));
    CHECK_FALSE(r.contains("baselineState"));
  }
}

TEST_CASE("sarif: fingerprints are stable FNV-1a of input, rule, address and path", "[report][sarif]") {
  Fixture fx;
  fx.add(fx.waf, "aws_cloudfront_distribution.main", "web_acl_id");
  Finding& other_input = fx.add(fx.waf, "aws_cloudfront_distribution.main", "web_acl_id");
  other_input.input = "other.json";
  other_input.source_file = "main.tf";
  other_input.source_line = 3;
  fx.add(fx.waf, "aws_cloudfront_distribution.main", "default_cache_behavior");
  json doc = json::parse(fx.render(write_sarif));
  const json& results = doc["runs"][0]["results"];
  // Pinned: a changed fingerprint reopens every alert on GitHub.
  CHECK(results[0]["partialFingerprints"]["tfwarden/v2"] == "52a9db8484fd4f49");
  // The same address in another input (another root module) is another alert.
  CHECK(results[1]["partialFingerprints"] != results[0]["partialFingerprints"]);
  CHECK(results[2]["partialFingerprints"] != results[0]["partialFingerprints"]);
  CHECK(fx.render(write_sarif) == fx.render(write_sarif));
}

TEST_CASE("sarif: waived findings are suppressed, baseline states only with a baseline", "[report][sarif]") {
  Fixture fx;
  Finding& waived = fx.add(fx.waf, "aws_cloudfront_distribution.a");
  waived.waived = true;
  waived.waiver_reason = "fronted by another WAF";
  waived.waiver_approver = "sec-team";
  waived.waiver_expires = "2099-01-01";
  fx.add(fx.waf, "aws_cloudfront_distribution.b").baseline = true;
  Finding& undecided = fx.add(fx.waf, "aws_cloudfront_distribution.c", "web_acl_id");
  undecided.undecided = true;
  undecided.reason = "comes from `local.x`";
  json doc = json::parse(fx.render(write_sarif));
  const json& results = doc["runs"][0]["results"];
  CHECK(results[0]["suppressions"] ==
        json::parse(R"([{"kind": "external", "status": "accepted", "justification": "fronted by another WAF",
                        "properties": {"approvedBy": "sec-team", "expires": "2099-01-01"}}])"));
  CHECK(results[0]["baselineState"] == "new");
  CHECK(results[1]["baselineState"] == "unchanged");
  CHECK_FALSE(results[1].contains("suppressions"));
  CHECK(results[2]["properties"]["undecided"] == true);
  CHECK(results[2]["properties"]["reason"] == "comes from `local.x`");
  CHECK(results[2]["message"]["text"] ==
        "finding on `aws_cloudfront_distribution.c` (undecided: comes from `local.x`)");
}

TEST_CASE("markdown: status, tables and escaping", "[report][markdown]") {
  Fixture fx;
  CHECK(fx.render(write_markdown).starts_with("## tfwarden: passed\n"));
  Finding& f = fx.add(fx.waf, "aws_x.y[\"a|b\"]");
  f.message = "bad `a|b` value | <script>\nnext";
  Finding& w = fx.add(fx.subnet, "aws_subnet.w");
  w.waived = true;
  WaiverInfo in_force{"HP-NET-001", "aws_subnet\\..*", "legacy", "sec-team", "2099-01-01"};
  in_force.matched = 1;
  in_force.rule_ran = in_force.in_scope = true;
  fx.report.waivers.push_back(in_force);
  std::string out = fx.render(write_markdown);
  CHECK(out.starts_with("## tfwarden: failed\n"));
  CHECK(out.find("| high | HP-EDGE-001 `cloudfront-without-waf` | `aws_x.y[\"a\\|b\"]` | bad `a\\|b` value \\| "
                 "&lt;script&gt;\\\\nnext | `plan.json` |") != std::string::npos);
  CHECK(out.find("aws_subnet.w") == std::string::npos);
  CHECK(out.find("| aws-fsbp | CloudFront.6 | 1 | HP-EDGE-001 |") != std::string::npos);
  CHECK(out.find("| in force | HP-NET-001 | `aws_subnet\\..*` | legacy | sec-team | 2099-01-01 | 1 |") !=
        std::string::npos);
  CHECK(out.find("| `plan.json` | plan | 1.9.5 | 3 |") != std::string::npos);
}

}  // namespace tfwarden

namespace tfwarden {

TEST_CASE("an errored plan is incomplete in every format, and fails the run unless errored-plan = lint",
          "[report][errored]") {
  for (bool fails : {true, false}) {
    INFO(fails);
    Fixture fx;
    fx.report.inputs[0].errored = true;
    fx.report.errored_fails = fails;
    std::string gh = fx.render(write_github);
    CHECK(gh.rfind(std::string("::") + (fails ? "error" : "warning") +
                       " file=plan.json,title=tfwarden%3A plan incomplete::plan.json: the plan is marked errored",
                   0) == 0);
    json sarif = json::parse(fx.render(write_sarif));
    const json& inv = sarif["runs"][0]["invocations"][0];
    CHECK(inv["executionSuccessful"] == !fails);
    CHECK(inv["toolExecutionNotifications"][0]["level"] == (fails ? "error" : "warning"));
    std::string junit = fx.render(write_junit);
    CHECK((junit.find("the plan is marked errored") != std::string::npos) == fails);
  }
}

}  // namespace tfwarden

TEST_CASE("xml escaping in blocks equals escaping byte by byte", "[report][junit]") {
  using namespace tfwarden;
  // The reference: the text made displayable, then the five specials escaped, one byte at a time.
  auto reference = [](std::string_view raw) {
    std::string out;
    for (char c : displayable(raw)) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        default:
          out.push_back(c);
      }
    }
    return out;
  };
  std::mt19937 rng(15);
  const std::string alphabet = "abcXYZ019 -_.[]/:&<>\"'\x7f\n\t\x01\xc3\xa9\xe2\x86\x92\xff";
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    size_t len = rng() % 70;
    // Mostly plain text, as reports hold, with a special byte now and then.
    for (size_t i = 0; i < len; ++i)
      s.push_back(rng() % 6 ? "module.a[\"k\"].aws_lb.this"[rng() % 26] : alphabet[rng() % alphabet.size()]);
    INFO("text: " << printable(s));
    CHECK(xml_escape(s) == reference(s));
    std::string appended = "prefix";
    append_xml_escaped(appended, s);
    CHECK(appended == "prefix" + reference(s));
  }
}
