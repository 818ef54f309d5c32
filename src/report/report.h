#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/waivers.h"

namespace tfwarden {

struct InputInfo {
  std::string name, kind, format_version, terraform_version;
  size_t resources = 0;
  bool errored = false;
  std::vector<std::string> notes;
  std::string error;  // non-empty: the input could not be read (kind "error")
};

// Everything a report format needs, in the order it is printed.
struct Report {
  std::vector<InputInfo> inputs;
  std::vector<Finding> findings;  // sorted: input, address, rule
  std::vector<const Rule*> rules;  // the rules that ran, by id
  std::vector<WaiverInfo> waivers;
  std::vector<Evaluation> evaluations;  // kept only for formats that list every check
  size_t checks = 0;                    // rule x resource evaluations
  Severity fail_on = Severity::Low;
  bool undecided_fails = true;
  int exit_code = 0;

  // True when the finding counts toward the exit code.
  bool counts(const Finding& f) const;
};

// The one-paragraph summary of a remediation (up to its first code block or blank line).
std::string remediation_summary(const std::string& remediation);

void write_text(const Report& r, std::ostream& out, bool color, bool quiet);
void write_json(const Report& r, std::ostream& out);

}  // namespace tfwarden
