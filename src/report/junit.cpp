#include <algorithm>
#include <initializer_list>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "report/formats.h"
#include "report/xml.h"

namespace tfwarden {

namespace {

// A rule's verdict on one address in one input (an evaluation), or one of its findings.
struct Entry {
  std::string_view address;  // the report's strings
  const Finding* finding = nullptr;
  bool failed = false;  // the rule failed or could not decide
};

struct Suite {
  const Rule* rule = nullptr;
  std::vector<Entry> evaluations, findings;  // each in the report's order
};

// One test case: a rule on one resource address. An address in several inputs is one case,
// failing when it fails in any of them.
struct Case {
  enum class Kind { Passed, Failure, SkippedFinding, SkippedFiltered } kind = Kind::Passed;
  std::string_view address;
  std::vector<const Finding*> findings;
};

void sort_by_address(std::vector<Entry>& entries) {
  auto before = [](const Entry& a, const Entry& b) { return a.address < b.address; };
  // One input's entries come in address order: a pass finds that.
  if (!std::is_sorted(entries.begin(), entries.end(), before)) std::stable_sort(entries.begin(), entries.end(), before);
}

// A suite's cases in address order, with their findings in the report's order.
std::vector<Case> cases_of(Suite& suite, const Report& r) {
  sort_by_address(suite.evaluations);
  sort_by_address(suite.findings);
  std::vector<Case> cases;
  cases.reserve(suite.evaluations.size());
  auto e = suite.evaluations.begin(), f = suite.findings.begin();
  while (e != suite.evaluations.end() || f != suite.findings.end()) {
    std::string_view address = e == suite.evaluations.end() ? f->address
                               : f == suite.findings.end()  ? e->address
                                                            : std::min(e->address, f->address);
    Case c;
    c.address = address;
    bool failed_check = false;
    for (; e != suite.evaluations.end() && e->address == address; ++e) failed_check |= e->failed;
    // Findings without an evaluation (an expired or stale waiver) become cases of their own.
    for (; f != suite.findings.end() && f->address == address; ++f) c.findings.push_back(f->finding);
    failed_check |= !c.findings.empty();
    bool counted = std::any_of(c.findings.begin(), c.findings.end(), [&](const Finding* x) { return r.counts(*x); });
    c.kind = counted               ? Case::Kind::Failure
             : !c.findings.empty() ? Case::Kind::SkippedFinding
             : failed_check        ? Case::Kind::SkippedFiltered
                                   : Case::Kind::Passed;
    cases.push_back(std::move(c));
  }
  return cases;
}

// One line of the failure text, its parts escaped apart (they meet at ASCII, where escaping the
// whole would cut them the same), so a value cannot add a line.
void line(std::string& out, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts) append_xml_escaped(out, p);
  out += "&#10;";
}

// The failure text of a finding; `help` is its rule's remediation summary.
void describe(std::string& out, const Finding& f, std::string_view help) {
  line(out, {severity_name(f.severity), "[", f.rule->id, "]: ", f.message});
  bool located = !f.source_file.empty();
  std::string line_number = located ? std::to_string(f.source_line) : "";
  line(out, {"  --> ", located ? f.source_file : f.input, located ? ":" : "", line_number, ": ", f.address,
             f.path.empty() ? "" : " \xE2\x86\x92 ", f.path});
  if (f.undecided) line(out, {"  = reason: ", f.reason});
  line(out, {"  = help: ", help});
  if (!f.rule->references.empty()) line(out, {"  = see: ", f.rule->references.front()});
}

// Why a finding that does not count toward the exit code was not a failure.
std::string skip_reason(const Report& r, const Finding& f) {
  if (f.waived) return "waived: " + f.waiver_reason;
  if (f.baseline) return "in baseline: " + f.message;
  if (f.undecided && !r.undecided_fails) return "undecided: " + f.reason;
  return std::string(severity_name(f.severity)) + " finding below --fail-on " + severity_name(r.fail_on) + ": " +
         f.message;
}

void attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_xml_escaped(out, value);
  out += '"';
}

}  // namespace

// A test case fails exactly when it holds a finding that counts toward the exit code, so the
// JUnit verdict and tfwarden's agree. Findings that do not count (waived, in the baseline,
// undecided under `undecided = "warn"`, below --fail-on) are skipped with the reason, so
// they stay visible without failing the build; so is a failed check whose finding was
// filtered out (--severity, --type, --address, `undecided = "ignore"`). Rules that
// selected no resource have no test case and no suite. An input that could not be read is a
// test case in error of the suite `tfwarden.inputs`, which exists only then.
// The cases are worked out first (the totals open the document), then written as they go.
void write_junit(const Report& r, std::ostream& out) {
  std::map<std::string_view, Suite> suites;  // by rule id
  std::unordered_map<const Rule*, Suite*> suite_of;
  auto suite = [&](const Rule* rule) -> Suite& {
    Suite*& s = suite_of[rule];
    if (!s) s = &suites[rule->id];
    s->rule = rule;
    return *s;
  };
  for (const Evaluation& e : r.evaluations) {
    if (e.outcome == Outcome::NotInScope) continue;
    suite(e.rule).evaluations.push_back(
        {e.address, nullptr, e.outcome == Outcome::Fail || e.outcome == Outcome::Undecided});
  }
  for (const Finding& f : r.findings) suite(f.rule).findings.push_back({f.address, &f, true});

  size_t tests = 0, failures = 0, skipped = 0, errors = 0;
  struct Counted {
    std::vector<Case> cases;
    size_t failures = 0, skipped = 0;
  };
  std::vector<Counted> counted;
  counted.reserve(suites.size());
  for (auto& [id, s] : suites) {
    Counted c{cases_of(s, r)};
    for (const Case& x : c.cases) {
      if (x.kind == Case::Kind::Failure)
        ++c.failures;
      else if (x.kind != Case::Kind::Passed)
        ++c.skipped;
    }
    tests += c.cases.size();
    failures += c.failures;
    skipped += c.skipped;
    counted.push_back(std::move(c));
  }
  std::vector<std::pair<const InputInfo*, std::string>> problems;
  for (const InputInfo& in : r.inputs)
    if (std::string problem = input_problem(r, in); !problem.empty()) problems.emplace_back(&in, std::move(problem));
  errors = problems.size();
  tests += errors;

  std::string buf;
  auto flush = [&](bool always) {
    if (!always && buf.size() < (1 << 16)) return;
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.clear();
  };
  buf += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  buf += "<testsuites name=\"tfwarden\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" +
         std::to_string(skipped) + "\" time=\"0\">\n";
  if (errors) {
    buf += "  <testsuite name=\"tfwarden.inputs\" tests=\"" + std::to_string(errors) + "\" failures=\"0\" errors=\"" +
           std::to_string(errors) + "\" skipped=\"0\" time=\"0\">\n";
    for (const auto& [in, problem] : problems) {
      buf += "    <testcase classname=\"tfwarden.inputs\"";
      attribute(buf, "name", in->name);
      buf += " time=\"0\">\n      <error";
      attribute(buf, "message", problem);
      buf += " type=\"input\"/>\n    </testcase>\n";
    }
    buf += "  </testsuite>\n";
  }
  std::unordered_map<const Rule*, std::string> help;  // remediation summaries, by rule
  size_t at = 0;
  for (const auto& [id, s] : suites) {
    const Counted& c = counted[at++];
    buf += "  <testsuite";
    attribute(buf, "name", id);
    buf += " tests=\"" + std::to_string(c.cases.size()) + "\" failures=\"" + std::to_string(c.failures) +
           "\" errors=\"0\" skipped=\"" + std::to_string(c.skipped) + "\" time=\"0\">\n";
    buf += "    <properties>\n      <property name=\"title\"";
    attribute(buf, "value", s.rule->title);
    buf += "/>\n      <property name=\"severity\" value=\"";
    buf += severity_name(s.rule->severity);
    buf += "\"/>\n    </properties>\n";
    std::string class_name;
    append_xml_escaped(class_name, id);
    for (const Case& x : c.cases) {
      buf += "    <testcase classname=\"";
      buf += class_name;
      buf += '"';
      attribute(buf, "name", x.address);
      buf += " time=\"0\"";
      switch (x.kind) {
        case Case::Kind::Failure: {
          std::vector<const Finding*> shown;
          for (const Finding* f : x.findings)
            if (r.counts(*f)) shown.push_back(f);
          std::string message =
              shown.size() == 1 ? shown[0]->message : std::to_string(shown.size()) + " findings: " + shown[0]->message;
          buf += ">\n      <failure";
          attribute(buf, "message", message);
          buf += " type=\"";
          buf += severity_name(shown[0]->severity);
          buf += "\">";
          for (const Finding* f : x.findings) {
            auto [it, fresh] = help.try_emplace(f->rule);
            if (fresh) it->second = remediation_summary(f->rule->remediation);
            describe(buf, *f, it->second);
          }
          buf += "</failure>\n    </testcase>\n";
          break;
        }
        case Case::Kind::SkippedFinding:
          buf += ">\n      <skipped";
          attribute(buf, "message", skip_reason(r, *x.findings[0]));
          buf += "/>\n    </testcase>\n";
          break;
        case Case::Kind::SkippedFiltered:
          buf +=
              ">\n      <skipped message=\"not reported: filtered out by the command line or configuration\"/>\n"
              "    </testcase>\n";
          break;
        case Case::Kind::Passed:
          buf += "/>\n";
          break;
      }
      flush(false);
    }
    buf += "  </testsuite>\n";
  }
  buf += "</testsuites>\n";
  flush(true);
}

}  // namespace tfwarden
