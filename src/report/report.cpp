#include "report/report.h"

#include <algorithm>

namespace tfwarden {

bool Report::counts(const Finding& f) const {
  if (f.waived || f.baseline) return false;
  if (f.undecided && !undecided_fails) return false;
  return f.severity >= fail_on;
}

std::string counts_text(const InstanceCounts& c) {
  auto plural = [](size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string out = plural(c.resources, "resource", "resources");
  if (c.data_sources) out += ", " + plural(c.data_sources, "data source", "data sources");
  if (c.deposed) out += ", " + plural(c.deposed, "deposed object", "deposed objects");
  return out;
}

InstanceCounts total_counts(const Report& r) {
  InstanceCounts t;
  for (const auto& in : r.inputs) {
    t.resources += in.counts.resources;
    t.data_sources += in.counts.data_sources;
    t.deposed += in.counts.deposed;
  }
  return t;
}

std::string input_problem(const Report& r, const InputInfo& in) {
  if (!in.error.empty()) return "could not be read: " + in.error;
  if (in.errored && r.errored_fails) return "the plan is marked errored (terraform could not finish planning)";
  return "";
}

const char* level_name(Level l) {
  switch (l) {
    case Level::Error:
      return "error";
    case Level::Warning:
      return "warning";
    case Level::Note:
      return "note";
  }
  return "note";
}

Level level_of(const Report& r, const Finding& f) {
  switch (f.severity) {
    case Severity::Critical:
    case Severity::High:
      return r.counts(f) ? Level::Error : Level::Warning;
    case Severity::Medium:
      return Level::Warning;
    case Severity::Low:
    case Severity::Info:
      return Level::Note;
  }
  return Level::Note;
}

std::vector<const Finding*> by_severity(const Report& r) {
  // The findings are in the report's order (input, address, rule): a stable pass into one
  // bucket per level and severity keeps it within each, with no comparison of strings.
  constexpr size_t kSeverities = 5;
  std::vector<const Finding*> buckets[3 * kSeverities];
  for (const Finding& f : r.findings) {
    auto level = static_cast<size_t>(level_of(r, f));
    auto severity = static_cast<size_t>(f.severity);
    buckets[(2 - level) * kSeverities + (kSeverities - 1 - severity)].push_back(&f);
  }
  std::vector<const Finding*> out;
  out.reserve(r.findings.size());
  for (const auto& b : buckets) out.insert(out.end(), b.begin(), b.end());
  return out;
}

const std::map<std::string, std::vector<std::string>>& ComplianceOf::operator()(const Finding& f) {
  auto& by_type = cache_[f.rule];
  for (const auto& [type, controls] : by_type)
    if (type == f.type) return controls;
  by_type.emplace_back(f.type, f.rule->compliance_of(f.type));
  return by_type.back().second;
}

std::string remediation_summary(const std::string& remediation) {
  std::string out;
  size_t i = 0;
  while (i < remediation.size() && (remediation[i] == '\n' || remediation[i] == ' ')) ++i;
  // A remediation that opens with code has no summary sentence: say where the example is.
  if (remediation.compare(i, 3, "```") == 0) return "see the example in `tfwarden explain`";
  for (; i < remediation.size(); ++i) {
    if (remediation[i] == '\n') {
      if (i + 1 < remediation.size() && (remediation[i + 1] == '\n' || remediation.compare(i + 1, 3, "```") == 0)) break;
      out.push_back(' ');
      continue;
    }
    out.push_back(remediation[i]);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ':')) out.pop_back();
  return out;
}

}  // namespace tfwarden
