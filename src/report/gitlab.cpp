#include <map>
#include <string>

#include "engine/input_path.h"
#include "report/fingerprint.h"
#include "report/formats.h"
#include "report/json_document.h"

namespace tfwarden {

namespace {

// GitLab's scale, one step per tfwarden severity: info, minor, major, critical, blocker.
const char* gitlab_severity(Severity s) {
  switch (s) {
    case Severity::Critical:
      return "blocker";
    case Severity::High:
      return "critical";
    case Severity::Medium:
      return "major";
    case Severity::Low:
      return "minor";
    case Severity::Info:
      return "info";
  }
  return "info";
}

// One issue, written as it goes. `stable` is the file's path below the working directory.
void write_issue(JsonWriter& w, const std::string& description, const std::string& check,
                 const std::string& fingerprint, const char* severity, const std::string& stable, size_t line,
                 const std::string* body) {
  w.begin_object();
  w.field("type", "issue");
  w.field("description", description);
  w.field("check_name", check);
  w.field("fingerprint", fingerprint);
  w.field("severity", severity);
  w.key("categories");
  w.begin_array();
  w.value("Security");
  w.end_array();
  // GitLab wants paths relative to the repository: below the working directory they are.
  w.key("location");
  w.begin_object();
  w.field("path", stable);
  w.key("lines");
  w.begin_object();
  w.field("begin", uint64_t{line == 0 ? 1 : line});
  w.end_object();
  w.end_object();
  if (body) {
    w.key("content");
    w.begin_object();
    w.field("body", *body);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

// GitLab Code Quality (`artifacts: reports: codequality:`): a JSON array of issues. Findings
// that are waived or in the baseline are left out (GitLab has no suppressions; it compares
// with the target branch itself); undecided findings and those below --fail-on are listed,
// marked. An input that could not be read is a blocker issue on that file.
void write_gitlab(const Report& r, std::ostream& out) {
  // stable_path asks for the working directory: once per file, not once per finding.
  std::map<std::string, std::string> stable;
  auto stable_of = [&](const std::string& path) -> const std::string& {
    auto it = stable.find(path);
    if (it == stable.end()) it = stable.emplace(path, stable_path(path)).first;
    return it->second;
  };
  JsonWriter w(out);
  w.begin_array();
  for (const InputInfo& in : r.inputs) {
    std::string problem = input_problem(r, in);
    if (problem.empty()) continue;
    write_issue(w, "tfwarden: " + in.name + " " + problem, "tfwarden/input", fnv1a_hex("input|" + in.name), "blocker",
                stable_of(in.name), 1, nullptr);
  }
  Fingerprinter fingerprints;
  for (const Finding& f : r.findings) {
    if (f.waived || f.baseline) continue;
    std::string description = f.rule->id + ": " + f.message;
    if (f.undecided) description += " (undecided: " + f.reason + ")";
    if (!r.counts(f)) description += " (does not fail the run)";
    const std::string& path = f.source_file.empty() ? f.input : f.source_file;
    std::string body = remediation_summary(f.rule->remediation) + "\n\n" + "Resource: `" + f.address + "`" +
                       (f.path.empty() ? "" : ", attribute `" + f.path + "`") + ". See `tfwarden explain " +
                       f.rule->id + "`.";
    write_issue(w, description, f.rule->id, fingerprints.hash(f), gitlab_severity(f.severity), stable_of(path),
                f.source_file.empty() ? 1 : f.source_line, &body);
  }
  w.end_array();
  w.finish();
}

}  // namespace tfwarden
