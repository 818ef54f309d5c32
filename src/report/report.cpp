#include "report/report.h"

namespace tfwarden {

bool Report::counts(const Finding& f) const {
  if (f.waived || f.baseline) return false;
  if (f.undecided && !undecided_fails) return false;
  return f.severity >= fail_on;
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
