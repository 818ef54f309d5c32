#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "report/formats.h"
#include "report/xml.h"

namespace tfwarden {

namespace {

// One test case: a rule on one resource address. An address in several inputs is one case,
// failing when it fails in any of them.
struct Case {
  bool failed_check = false;  // the rule failed or could not decide, whether or not it is shown
  std::vector<const Finding*> findings;
};

struct Suite {
  const Rule* rule = nullptr;
  std::map<std::string_view, Case> cases;  // by address (the report's strings)
};

// The failure text, escaped: one line each, escaped apart, so a value cannot add a line.
std::string describe(const Finding& f) {
  auto line = [](const std::string& s) { return xml_escape(s) + "&#10;"; };
  std::string s = line(std::string(severity_name(f.severity)) + "[" + f.rule->id + "]: " + f.message);
  s += line("  --> " + (f.source_file.empty() ? f.input : f.source_file + ":" + std::to_string(f.source_line)) + ": " +
            f.address + (f.path.empty() ? "" : " \xE2\x86\x92 " + f.path));
  if (f.undecided) s += line("  = reason: " + f.reason);
  s += line("  = help: " + remediation_summary(f.rule->remediation));
  if (!f.rule->references.empty()) s += line("  = see: " + f.rule->references.front());
  return s;
}

// Why a finding that does not count toward the exit code was not a failure.
std::string skip_reason(const Report& r, const Finding& f) {
  if (f.waived) return "waived: " + f.waiver_reason;
  if (f.baseline) return "in baseline: " + f.message;
  if (f.undecided && !r.undecided_fails) return "undecided: " + f.reason;
  return std::string(severity_name(f.severity)) + " finding below --fail-on " + severity_name(r.fail_on) + ": " +
         f.message;
}

}  // namespace

// A test case fails exactly when it holds a finding that counts toward the exit code, so the
// JUnit verdict and tfwarden's agree. Findings that do not count (waived, in the baseline,
// undecided under `undecided = "warn"`, below --fail-on) are skipped with the reason, so
// they stay visible without failing the build; so is a failed check whose finding was
// filtered out (--severity, --type, --address, `undecided = "ignore"`). Rules that
// selected no resource have no test case and no suite. An input that could not be read is a
// test case in error of the suite `tfwarden.inputs`, which exists only then.
void write_junit(const Report& r, std::ostream& out) {
  std::map<std::string, Suite> suites;  // by rule id
  for (const Evaluation& e : r.evaluations) {
    if (e.outcome == Outcome::NotInScope) continue;
    Suite& s = suites[e.rule->id];
    s.rule = e.rule;
    Case& c = s.cases[e.address];
    c.failed_check |= e.outcome == Outcome::Fail || e.outcome == Outcome::Undecided;
  }
  // Findings without an evaluation (an expired or stale waiver) become cases of their own.
  for (const Finding& f : r.findings) {
    Suite& s = suites[f.rule->id];
    s.rule = f.rule;
    Case& c = s.cases[f.address];
    c.failed_check = true;
    c.findings.push_back(&f);
  }

  size_t tests = 0, failures = 0, skipped = 0;
  std::string body;
  for (const auto& [id, suite] : suites) {
    size_t s_failures = 0, s_skipped = 0;
    std::string cases;
    const std::string class_name = xml_escape(id);
    for (const auto& [address, c] : suite.cases) {
      cases += "    <testcase classname=\"" + class_name + "\" name=\"" + xml_escape(address) + "\" time=\"0\"";
      std::vector<const Finding*> counted;
      for (const Finding* f : c.findings)
        if (r.counts(*f)) counted.push_back(f);
      if (!counted.empty()) {
        ++s_failures;
        std::string text;
        for (const Finding* f : c.findings) text += describe(*f);
        std::string message = counted.size() == 1 ? counted[0]->message
                                                  : std::to_string(counted.size()) + " findings: " + counted[0]->message;
        cases += ">\n      <failure message=\"" + xml_escape(message) + "\" type=\"" +
                 severity_name(counted[0]->severity) + "\">" + text + "</failure>\n    </testcase>\n";
      } else if (!c.findings.empty()) {
        ++s_skipped;
        cases +=
            ">\n      <skipped message=\"" + xml_escape(skip_reason(r, *c.findings[0])) + "\"/>\n    </testcase>\n";
      } else if (c.failed_check) {
        ++s_skipped;
        cases += ">\n      <skipped message=\"not reported: filtered out by the command line or configuration\"/>\n"
                 "    </testcase>\n";
      } else {
        cases += "/>\n";
      }
    }
    tests += suite.cases.size();
    failures += s_failures;
    skipped += s_skipped;
    body += "  <testsuite name=\"" + xml_escape(id) + "\" tests=\"" + std::to_string(suite.cases.size()) +
            "\" failures=\"" + std::to_string(s_failures) + "\" errors=\"0\" skipped=\"" + std::to_string(s_skipped) +
            "\" time=\"0\">\n";
    body += "    <properties>\n";
    body += "      <property name=\"title\" value=\"" + xml_escape(suite.rule->title) + "\"/>\n";
    body += "      <property name=\"severity\" value=\"" + std::string(severity_name(suite.rule->severity)) + "\"/>\n";
    body += "    </properties>\n";
    body += cases;
    body += "  </testsuite>\n";
  }
  size_t errors = 0;
  std::string inputs;
  for (const InputInfo& in : r.inputs) {
    std::string problem = input_problem(r, in);
    if (problem.empty()) continue;
    ++errors;
    inputs += "    <testcase classname=\"tfwarden.inputs\" name=\"" + xml_escape(in.name) +
              "\" time=\"0\">\n      <error message=\"" + xml_escape(problem) +
              "\" type=\"input\"/>\n    </testcase>\n";
  }
  if (errors) {
    tests += errors;
    body = "  <testsuite name=\"tfwarden.inputs\" tests=\"" + std::to_string(errors) + "\" failures=\"0\" errors=\"" +
           std::to_string(errors) + "\" skipped=\"0\" time=\"0\">\n" + inputs + "  </testsuite>\n" + body;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"tfwarden\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\" skipped=\"" << skipped << "\" time=\"0\">\n"
      << body << "</testsuites>\n";
}

}  // namespace tfwarden
