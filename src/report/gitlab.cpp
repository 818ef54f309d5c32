#include <nlohmann/json.hpp>
#include <string>

#include "engine/input_path.h"
#include "report/fingerprint.h"
#include "report/formats.h"
#include "report/json_document.h"

namespace tfwarden {

namespace {

using ojson = nlohmann::ordered_json;

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

ojson issue(std::string description, std::string check, std::string fingerprint, const char* severity,
            const std::string& path, size_t line) {
  ojson i;
  i["type"] = "issue";
  i["description"] = std::move(description);
  i["check_name"] = std::move(check);
  i["fingerprint"] = std::move(fingerprint);
  i["severity"] = severity;
  i["categories"] = ojson::array({"Security"});
  // GitLab wants paths relative to the repository: below the working directory they are.
  i["location"] = {{"path", stable_path(path)}, {"lines", {{"begin", line == 0 ? 1 : line}}}};
  return i;
}

}  // namespace

// GitLab Code Quality (`artifacts: reports: codequality:`): a JSON array of issues. Findings
// that are waived or in the baseline are left out (GitLab has no suppressions; it compares
// with the target branch itself); undecided findings and those below --fail-on are listed,
// marked. An input that could not be read is a blocker issue on that file.
void write_gitlab(const Report& r, std::ostream& out) {
  ojson issues = ojson::array();
  for (const InputInfo& in : r.inputs) {
    std::string problem = input_problem(r, in);
    if (problem.empty()) continue;
    issues.push_back(issue("tfwarden: " + in.name + " " + problem, "tfwarden/input", fnv1a_hex("input|" + in.name),
                           "blocker", in.name, 1));
  }
  for (const Finding& f : r.findings) {
    if (f.waived || f.baseline) continue;
    std::string description = f.rule->id + ": " + f.message;
    if (f.undecided) description += " (undecided: " + f.reason + ")";
    if (!r.counts(f)) description += " (does not fail the run)";
    const std::string& path = f.source_file.empty() ? f.input : f.source_file;
    ojson i = issue(std::move(description), f.rule->id, fingerprint_hash(f), gitlab_severity(f.severity), path,
                    f.source_file.empty() ? 1 : f.source_line);
    i["content"] = {{"body", remediation_summary(f.rule->remediation) + "\n\n" + "Resource: `" + f.address + "`" +
                                 (f.path.empty() ? "" : ", attribute `" + f.path + "`") + ". See `tfwarden explain " +
                                 f.rule->id + "`."}};
    issues.push_back(std::move(i));
  }
  write_json_document(issues, out);
}

}  // namespace tfwarden
