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
  struct Keyed {
    Level level;
    const Finding* f;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(r.findings.size());
  for (const Finding& f : r.findings) keyed.push_back({level_of(r, f), &f});
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.level != b.level) return a.level > b.level;
    if (a.f->severity != b.f->severity) return a.f->severity > b.f->severity;
    if (a.f->input != b.f->input) return a.f->input < b.f->input;
    if (a.f->address != b.f->address) return a.f->address < b.f->address;
    return a.f->rule->id < b.f->rule->id;
  });
  std::vector<const Finding*> out;
  out.reserve(keyed.size());
  for (const Keyed& k : keyed) out.push_back(k.f);
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
