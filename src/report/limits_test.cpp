// What the formats do at GitHub's limits (annotations per step, results per SARIF run, the
// size of a step summary), how they agree on levels, and how they show the configuration
// and the inputs that could not be read. Every Report is built in memory.
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/formats.h"

namespace tfwarden {

namespace {

using json = nlohmann::json;

struct Estate {
  std::vector<std::unique_ptr<Rule>> rules;
  Report report;

  const Rule& rule(Severity s, const std::string& id = "") {
    auto r = std::make_unique<Rule>();
    r->id = id.empty() ? std::string("T-") + severity_name(s) : id;
    r->name = "test-" + std::string(severity_name(s));
    r->title = "A " + std::string(severity_name(s)) + " rule";
    r->rationale = "Why it matters.";
    r->remediation = "Fix it.";
    r->severity = r->default_severity = s;
    rules.push_back(std::move(r));
    report.rules.push_back(rules.back().get());
    return *rules.back();
  }

  Finding& add(const Rule& r, const std::string& address, const std::string& input = "plan.json") {
    Finding f;
    f.rule = &r;
    f.input = input;
    f.address = address;
    f.type = "aws_x";
    f.severity = r.severity;
    f.message = "finding on `" + address + "`";
    report.findings.push_back(f);
    return report.findings.back();
  }

  void input(const std::string& name, const std::string& error = "") {
    InputInfo in;
    in.name = name;
    in.kind = error.empty() ? "plan" : "error";
    in.counts.resources = error.empty() ? 3 : 0;
    in.error = error;
    report.inputs.push_back(in);
  }

  std::string render(void (*writer)(const Report&, std::ostream&)) const {
    std::ostringstream out;
    writer(report, out);
    return out.str();
  }
  std::string text() const {
    std::ostringstream out;
    write_text(report, out, false, false);
    return out.str();
  }
};

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

size_t count_prefix(const std::vector<std::string>& lines, const std::string& prefix) {
  size_t n = 0;
  for (const auto& l : lines) n += l.rfind(prefix, 0) == 0;
  return n;
}

std::string address(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "aws_x.r%05zu", i);
  return buf;
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// The `|` that separate cells: not escaped by an odd run of backslashes.
size_t cell_pipes(const std::string& line) {
  size_t n = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '|') continue;
    size_t slashes = 0;
    while (slashes < i && line[i - 1 - slashes] == '\\') ++slashes;
    n += slashes % 2 == 0;
  }
  return n;
}

// Every table has a header, a delimiter row and rows of the same width, and ends at a blank
// line or the end; every <details> is closed; the text is UTF-8 and ends with a newline.
void check_well_formed(const std::string& md) {
  REQUIRE(!md.empty());
  CHECK(md.back() == '\n');
  CHECK(valid_utf8(md));
  std::vector<std::string> lines = lines_of(md);
  size_t open_details = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("<details>", 0) == 0) ++open_details;
    if (lines[i] == "</details>") {
      REQUIRE(open_details > 0);
      --open_details;
    }
    if (lines[i].rfind('|', 0) != 0) continue;
    INFO("table at line " << i + 1 << ": " << lines[i]);
    REQUIRE(i + 1 < lines.size());
    CHECK((i == 0 || lines[i - 1].empty()));
    CHECK(lines[i + 1].rfind("|---", 0) == 0);
    size_t width = cell_pipes(lines[i]);
    CHECK(cell_pipes(lines[i + 1]) == width);
    size_t j = i + 2;
    for (; j < lines.size() && lines[j].rfind('|', 0) == 0; ++j) {
      INFO("row at line " << j + 1 << ": " << lines[j]);
      CHECK(cell_pipes(lines[j]) == width);
    }
    CHECK((j == lines.size() || lines[j].empty()));
    i = j;
  }
  CHECK(open_details == 0);
}

}  // namespace

TEST_CASE("levels: errors only for critical and high findings that fail the run", "[report][levels]") {
  Estate e;
  const Rule& crit = e.rule(Severity::Critical);
  const Rule& high = e.rule(Severity::High);
  const Rule& med = e.rule(Severity::Medium);
  const Rule& low = e.rule(Severity::Low);
  const Rule& info = e.rule(Severity::Info);
  Finding counted = e.add(crit, "a");
  CHECK(level_of(e.report, counted) == Level::Error);
  CHECK(level_of(e.report, e.add(high, "b")) == Level::Error);
  CHECK(level_of(e.report, e.add(med, "c")) == Level::Warning);
  CHECK(level_of(e.report, e.add(low, "d")) == Level::Note);
  CHECK(level_of(e.report, e.add(info, "e")) == Level::Note);
  Finding waived = counted, baseline = counted, undecided = counted;
  waived.waived = true;
  baseline.baseline = true;
  undecided.undecided = true;
  CHECK(level_of(e.report, waived) == Level::Warning);
  CHECK(level_of(e.report, baseline) == Level::Warning);
  CHECK(level_of(e.report, undecided) == Level::Error);
  e.report.undecided_fails = false;
  CHECK(level_of(e.report, undecided) == Level::Warning);
  e.report.fail_on = Severity::Critical;
  CHECK(level_of(e.report, counted) == Level::Error);
  CHECK(level_of(e.report, e.report.findings[1]) == Level::Warning);  // high below --fail-on critical
  CHECK(std::string(level_name(Level::Note)) == "note");
}

TEST_CASE("levels: undecided under undecided = warn is a warning in every format", "[report][levels]") {
  Estate e;
  e.input("plan.json");
  const Rule& crit = e.rule(Severity::Critical, "HP-X-001");
  Finding& f = e.add(crit, "aws_x.unsure");
  f.undecided = true;
  f.reason = "comes from `local.x`";
  e.report.evaluations = {{&crit, "aws_x.unsure", Outcome::Undecided}};
  e.report.undecided_fails = false;

  CHECK(e.render(write_github).rfind("::warning file=plan.json,title=HP-X-001 test-critical::", 0) == 0);
  CHECK(e.render(write_github).find("; does not fail the run\n") != std::string::npos);
  json sarif = json::parse(e.render(write_sarif));
  CHECK(sarif["runs"][0]["results"][0]["level"] == "warning");
  json report = json::parse(e.render(write_json));
  CHECK(report["findings"][0]["level"] == "warning");
  CHECK(report["findings"][0]["counts_toward_exit"] == false);
  std::string junit = e.render(write_junit);
  CHECK(junit.find("<failure") == std::string::npos);
  CHECK(junit.find("<skipped message=\"undecided: comes from `local.x`\"/>") != std::string::npos);
  CHECK(e.text().find("critical[HP-X-001] (undecided) (does not fail the run): ") != std::string::npos);
  CHECK(e.render(write_markdown).find("| critical (undecided, does not fail) | HP-X-001 ") != std::string::npos);

  // The same finding under `undecided = "fail"` is an error everywhere.
  e.report.undecided_fails = true;
  CHECK(e.render(write_github).rfind("::error file=plan.json,title=HP-X-001 test-critical::", 0) == 0);
  CHECK(json::parse(e.render(write_sarif))["runs"][0]["results"][0]["level"] == "error");
  CHECK(e.render(write_junit).find("<failure message=") != std::string::npos);
  CHECK(e.text().find("critical[HP-X-001] (undecided): ") != std::string::npos);
  CHECK(e.render(write_markdown).find("| critical (undecided) | HP-X-001 ") != std::string::npos);
}

TEST_CASE("github: 10 errors and 10 warnings, most severe first, then one notice", "[report][github]") {
  Estate e;
  const Rule& crit = e.rule(Severity::Critical);
  const Rule& med = e.rule(Severity::Medium);
  // In address order the medium findings come first; the critical ones must lead.
  for (size_t i = 0; i < 15; ++i) e.add(med, address(i));
  for (size_t i = 15; i < 27; ++i) e.add(crit, address(i));
  std::vector<std::string> lines = lines_of(e.render(write_github));
  REQUIRE(lines.size() == 21);
  for (size_t i = 0; i < 10; ++i) CHECK(lines[i].rfind("::error file=plan.json,title=T-critical ", 0) == 0);
  CHECK(lines[0].find("(" + address(15) + ")") != std::string::npos);
  CHECK(lines[9].find("(" + address(24) + ")") != std::string::npos);
  for (size_t i = 10; i < 20; ++i) CHECK(lines[i].rfind("::warning file=plan.json,title=T-medium ", 0) == 0);
  CHECK(lines[10].find("(" + address(0) + ")") != std::string::npos);
  CHECK(lines[20] ==
        "::notice title=tfwarden%3A annotations left out::2 errors and 5 warnings not annotated (at most 10 of each "
        "kind, --max-annotations; GitHub shows 10 per step); the rest are in the job summary (--format markdown) and "
        "the SARIF report (--format sarif)");

  SECTION("critical before high, whatever the addresses") {
    const Rule& high = e.rule(Severity::High);
    for (size_t i = 0; i < 3; ++i) e.add(high, "aaa" + std::to_string(i));
    lines = lines_of(e.render(write_github));
    CHECK(count_prefix(lines, "::error file=plan.json,title=T-critical ") == 10);
    CHECK(count_prefix(lines, "::error file=plan.json,title=T-high ") == 0);
    CHECK(lines.back().find("::5 errors and 5 warnings not annotated") != std::string::npos);
  }
  SECTION("--max-annotations 0 writes every finding and no notice") {
    e.report.max_annotations = 0;
    lines = lines_of(e.render(write_github));
    CHECK(lines.size() == 27);
    CHECK(count_prefix(lines, "::notice") == 0);
  }
  SECTION("--max-annotations 3") {
    e.report.max_annotations = 3;
    lines = lines_of(e.render(write_github));
    REQUIRE(lines.size() == 7);
    CHECK(count_prefix(lines, "::error") == 3);
    CHECK(count_prefix(lines, "::warning") == 3);
    CHECK(lines[6].find("::9 errors and 12 warnings not annotated (at most 3 of each kind") != std::string::npos);
  }
}

TEST_CASE("github: the notice that counts the rest takes one of the notices' places", "[report][github]") {
  Estate e;
  const Rule& low = e.rule(Severity::Low);
  for (size_t i = 0; i < 10; ++i) e.add(low, address(i));
  std::vector<std::string> lines = lines_of(e.render(write_github));
  CHECK(lines.size() == 10);  // exactly ten: nothing left out, no notice
  CHECK(count_prefix(lines, "::notice file=plan.json,title=T-low ") == 10);
  e.add(low, address(10));
  lines = lines_of(e.render(write_github));
  REQUIRE(lines.size() == 10);
  CHECK(count_prefix(lines, "::notice file=plan.json,title=T-low ") == 9);
  CHECK(lines[9].find("::2 notices not annotated") != std::string::npos);
}

TEST_CASE("github: an input that could not be read is always annotated, first", "[report][github]") {
  Estate e;
  e.input("a.json");
  e.input("broken,plan.json", "invalid JSON at byte 12\n::warning::injected");
  const Rule& crit = e.rule(Severity::Critical);
  for (size_t i = 0; i < 12; ++i) e.add(crit, address(i));
  std::vector<std::string> lines = lines_of(e.render(write_github));
  REQUIRE(lines.size() == 11);
  CHECK(lines[0] ==
        "::error file=broken%2Cplan.json,title=tfwarden%3A input not read::broken,plan.json: invalid JSON at byte "
        "12\\n::warning::injected");
  // The failed input takes one of GitHub's ten error places, so the notice's count stays true.
  CHECK(count_prefix(lines, "::error file=plan.json") == 9);
  CHECK(lines[10].find("::3 errors not annotated") != std::string::npos);
  e.report.max_annotations = 0;
  CHECK(lines_of(e.render(write_github)).size() == 13);
}

TEST_CASE("github: nothing in a finding can end its line or start a command", "[report][github]") {
  Estate e;
  auto r = std::make_unique<Rule>();
  r->id = "X-1";
  r->name = "bad\r\nname::x,y";
  r->severity = Severity::High;
  e.rules.push_back(std::move(r));
  Finding& f = e.add(*e.rules.back(), "aws_x.a\r::error::address");
  f.message = "cr\rlf\r\nlf\npercent %0A %25 ::warning file=x::message";
  f.undecided = true;
  f.reason = "reason\n::error::reason";
  f.source_file = "dir\n::x/main.tf";
  f.source_line = 4;
  f.input = "in\rput.json";
  std::string out = e.render(write_github);
  std::vector<std::string> lines = lines_of(out);
  REQUIRE(lines.size() == 1);
  CHECK(out.find('\r') == std::string::npos);
  CHECK(lines[0] ==
        "::error file=dir\\n%3A%3Ax/main.tf,line=4,title=X-1 bad\\r\\nname%3A%3Ax%2Cy::cr\\rlf\\r\\nlf\\npercent %250A "
        "%2525 ::warning file=x::message (aws_x.a\\r::error::address); undecided: reason\\n::error::reason");
}

TEST_CASE("sarif: at most 25,000 results, the most severe, with a notification", "[report][sarif]") {
  Estate e;
  e.input("plan.json");
  const Rule& crit = e.rule(Severity::Critical);
  const Rule& med = e.rule(Severity::Medium);
  const Rule& low = e.rule(Severity::Low);
  // 30,000 findings in address order; severities interleaved so that order alone would keep
  // the wrong ones.
  for (size_t i = 0; i < 30000; ++i) e.add(i % 3 == 0 ? low : i % 3 == 1 ? med : crit, address(i));
  // 10,000 of each: all critical and medium are kept, 5,000 of the low ones.
  std::string out = e.render(write_sarif);
  json doc = json::parse(out);
  const json& run = doc["runs"][0];
  const json& results = run["results"];
  REQUIRE(results.size() == 25000);
  size_t errors = 0, warnings = 0, notes = 0;
  std::string last;
  for (const json& res : results) {
    std::string level = res["level"];
    errors += level == "error";
    warnings += level == "warning";
    notes += level == "note";
    std::string addr = res["properties"]["address"];
    CHECK(addr > last);  // written in the report's order
    last = addr;
  }
  CHECK(errors == 10000);
  CHECK(warnings == 10000);
  CHECK(notes == 5000);
  // The low findings kept are the first in address order.
  CHECK(results[0]["properties"]["address"] == address(0));
  const json& inv = run["invocations"];
  REQUIRE(inv.size() == 1);
  CHECK(inv[0]["executionSuccessful"] == true);
  REQUIRE(inv[0]["toolExecutionNotifications"].size() == 1);
  const json& n = inv[0]["toolExecutionNotifications"][0];
  CHECK(n["level"] == "warning");
  CHECK(n["message"]["text"] ==
        "5000 of 30000 results left out (GitHub accepts at most 25000 per run; the most severe are kept): 5000 note; "
        "--format json lists every finding");
  CHECK(e.render(write_sarif) == out);

  SECTION("dropped results of two levels are counted per level") {
    e.report.findings.resize(26000);
    for (size_t i = 0; i < 26000; ++i) {
      Finding& f = e.report.findings[i];
      f.rule = i < 24000 ? &crit : i < 25500 ? &med : &low;
      f.severity = f.rule->severity;
    }
    json capped = json::parse(e.render(write_sarif));
    CHECK(capped["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] ==
          "1000 of 26000 results left out (GitHub accepts at most 25000 per run; the most severe are kept): 500 "
          "warning, 500 note; --format json lists every finding");
  }
}

TEST_CASE("sarif: invocation, configuration, category and inputs that could not be read", "[report][sarif]") {
  Estate e;
  e.input("plan.json");
  e.add(e.rule(Severity::High), "aws_x.a");
  json run = json::parse(e.render(write_sarif))["runs"][0];
  CHECK(run["invocations"] == json::parse(R"([{"executionSuccessful": true}])"));
  CHECK_FALSE(run.contains("automationDetails"));

  e.report.config_path = "infra/.tfwarden.toml";
  e.report.sarif_category = "tfwarden/prod";
  run = json::parse(e.render(write_sarif))["runs"][0];
  CHECK(run["invocations"][0]["properties"]["config"] == "infra/.tfwarden.toml");
  CHECK(run["automationDetails"]["id"] == "tfwarden/prod/");
  e.report.sarif_category = "already/";
  CHECK(json::parse(e.render(write_sarif))["runs"][0]["automationDetails"]["id"] == "already/");

  e.input("states/bad state.json", "invalid JSON at byte 7");
  run = json::parse(e.render(write_sarif))["runs"][0];
  CHECK(run["invocations"][0]["executionSuccessful"] == false);
  CHECK(run["invocations"][0]["toolExecutionNotifications"] == json::parse(R"([{
    "level": "error",
    "message": {"text": "states/bad state.json: could not be read: invalid JSON at byte 7"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "states/bad%20state.json"}}}]}])"));
  CHECK(run["results"].size() == 1);
}

TEST_CASE("json: the configuration in use and inputs that could not be read", "[report][json]") {
  Estate e;
  e.input("plan.json");
  json doc = json::parse(e.render(write_json));
  CHECK(doc["tool"]["config"].is_null());
  CHECK(doc["inputs"][0]["error"].is_null());
  e.report.config_path = ".tfwarden.toml";
  e.input("bad.json", "not a plan or state (it looks like a provider schema)");
  doc = json::parse(e.render(write_json));
  CHECK(doc["tool"]["config"] == ".tfwarden.toml");
  CHECK(doc["inputs"][1]["kind"] == "error");
  CHECK(doc["inputs"][1]["resources"] == 0);
  CHECK(doc["inputs"][1]["error"] == "not a plan or state (it looks like a provider schema)");
}

TEST_CASE("text: inputs that could not be read, before the summary that counts them", "[report][text]") {
  Estate e;
  e.input("a.json");
  e.input("b.json", "truncated JSON at byte 99");
  e.add(e.rule(Severity::High), "aws_x.a", "a.json");
  std::vector<std::string> lines = lines_of(e.text());
  REQUIRE(lines.size() >= 2);
  CHECK(lines[lines.size() - 2] == "error: b.json: truncated JSON at byte 99");
  CHECK(lines.back().find(" in 2 inputs (1 could not be read): 3 resources,") != std::string::npos);
}

TEST_CASE("junit: an input that could not be read is a test case in error", "[report][junit]") {
  Estate e;
  e.input("a.json");
  e.input("b&c.json", "truncated JSON at byte 99");
  const Rule& high = e.rule(Severity::High);
  e.report.evaluations = {{&high, "aws_x.a", Outcome::Pass}};
  std::string out = e.render(write_junit);
  CHECK(out.find("<testsuites name=\"tfwarden\" tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"0\"") !=
        std::string::npos);
  CHECK(out.find("  <testsuite name=\"tfwarden.inputs\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" "
                 "time=\"0\">\n    <testcase classname=\"tfwarden.inputs\" name=\"b&amp;c.json\" time=\"0\">\n      "
                 "<error message=\"could not be read: truncated JSON at byte 99\" type=\"input\"/>\n    "
                 "</testcase>\n  </testsuite>\n") != std::string::npos);
  e.report.inputs.pop_back();
  CHECK(e.render(write_junit).find("tfwarden.inputs") == std::string::npos);
}

TEST_CASE("markdown: inputs that could not be read and undecided findings name their input", "[report][markdown]") {
  Estate e;
  e.input("a.json");
  e.input("b.json", "truncated JSON at byte 99");
  Finding& f = e.add(e.rule(Severity::High), "aws_x.a", "a.json");
  f.undecided = true;
  f.reason = "comes from `local.x`";
  std::string md = e.render(write_markdown);
  CHECK(md.rfind("## tfwarden: error\n\n1 finding, 1 at or above `low`, 1 undecided. Linted 2 inputs (1 could not be "
                 "read): 3 resources,",
                 0) == 0);
  CHECK(md.find("### Could not be read\n\nThese inputs were not linted; the run exits 2.\n\n- `b.json`: truncated "
                "JSON at byte 99\n") != std::string::npos);
  CHECK(md.find("- T-high `aws_x.a` in `a.json`: comes from `local.x`\n") != std::string::npos);
  CHECK(md.find("| `b.json` | error | unknown | 0 |") != std::string::npos);
  check_well_formed(md);
}

TEST_CASE("markdown: 100,000 findings over 3,000 inputs stay under 1 MiB", "[report][markdown]") {
  Estate e;
  std::vector<const Rule*> rules;
  for (int i = 0; i < 50; ++i) {
    const Rule& r = e.rule(static_cast<Severity>(i % 5), "R-" + std::to_string(100 + i));
    for (int c = 0; c < 10; ++c) e.rules.back()->compliance["fw"].push_back("C." + std::to_string(i * 10 + c));
    rules.push_back(&r);
  }
  for (size_t i = 0; i < 3000; ++i) {
    e.input("states/account-" + std::to_string(i) + "/terraform.tfstate.json");
    e.report.inputs.back().notes.push_back("a note about the input");
  }
  for (size_t i = 0; i < 100000; ++i) {
    Finding& f = e.add(*rules[i % rules.size()], "module.m[\"" + std::to_string(i) + "\"].aws_x.r",
                       e.report.inputs[i % 3000].name);
    f.undecided = i % 7 == 0;
    f.reason = "comes from `local.x`";
  }
  for (size_t i = 0; i < 150; ++i)
    e.report.waivers.push_back({"R-100", "aws_x.*", "legacy", "sec", "2099-01-01", 0, false});

  std::string md = e.render(write_markdown);
  CHECK(md.size() < 1048576);
  check_well_formed(md);
  CHECK(md.find("\n\xE2\x80\xA6 and 99500 more findings, less severe;") != std::string::npos);
  CHECK(md.find("\n- \xE2\x80\xA6 and 14186 more undecided findings\n") != std::string::npos);
  CHECK(md.find("\n\xE2\x80\xA6 and 300 more controls with findings\n") != std::string::npos);
  CHECK(md.find("\n\xE2\x80\xA6 and 50 more waivers\n") != std::string::npos);
  CHECK(md.find("<details><summary>Inputs (3000)</summary>") != std::string::npos);
  CHECK(md.find("\n\xE2\x80\xA6 and 2900 more inputs\n") != std::string::npos);
  CHECK(md.find("\n- \xE2\x80\xA6 and 2900 more notes\n") != std::string::npos);
  CHECK(md.find("cut short") == std::string::npos);
  // Most severe first: the first row is critical.
  CHECK(md.find("| Severity | Rule | Address | Message | Location |\n|---|---|---|---|---|\n| critical") !=
        std::string::npos);
}

TEST_CASE("markdown: huge values are clipped and the byte budget cuts cleanly", "[report][markdown]") {
  Estate e;
  e.input("plan.json");
  const Rule& high = e.rule(Severity::High);
  // Three-byte characters, so a cut in the middle of one would show.
  std::string big;
  while (big.size() < 20000) big += "\xE2\x82\xAC|`<";
  for (size_t i = 0; i < 500; ++i) {
    Finding& f = e.add(high, address(i) + big);
    f.message = big;
    f.path = big;
  }
  for (size_t i = 0; i < 30; ++i) e.input("input-" + std::to_string(i) + big + ".json");
  std::string md = e.render(write_markdown);
  CHECK(md.size() < 1048576);
  check_well_formed(md);
  CHECK(md.find("\n**This summary was cut short at GitHub's 1 MiB limit.** The SARIF report (`--format sarif`) and "
                "`--format json` hold every finding.\n") != std::string::npos);
  CHECK(md.find("\xE2\x80\xA6 |") != std::string::npos);  // a clipped value
}

}  // namespace tfwarden
