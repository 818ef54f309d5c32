#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace tfwarden {

struct InputInfo {
  std::string name, kind, format_version, terraform_version;
  size_t resources = 0;
  bool errored = false;
  std::vector<std::string> notes;
};

// A file found in a directory that was not linted: valid JSON, but neither a plan nor a state.
struct SkippedInput {
  std::string path, reason;
};

// A waiver from the configuration, with how it was used.
struct WaiverInfo {
  std::string rule, address, reason, approved_by, expires;
  size_t matched = 0;
  bool expired = false;
};

// Everything a report format needs, in the order it is printed.
struct Report {
  std::vector<InputInfo> inputs;
  std::vector<SkippedInput> skipped;
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
