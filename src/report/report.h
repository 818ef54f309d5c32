#pragma once

#include <deque>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/waivers.h"

namespace tfwarden {

struct InputInfo {
  std::string name, kind, format_version, terraform_version;
  InstanceCounts counts;  // managed resource instances, data sources, deposed objects
  bool errored = false;
  std::vector<std::string> notes;
  // Why the input could not be read, without its name ("" = it was read). A failed input has
  // kind "error" and no resources; every format lists it.
  std::string error;
};

// A file found in a directory that was not linted: valid JSON, but neither a plan nor a state.
struct SkippedInput {
  std::string path, reason;
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
  bool errored_fails = true;  // an input marked errored fails the run (exit 2)
  int exit_code = 0;
  std::string config_path;  // the configuration file in use, "" when none was found

  // How some formats are written (check's flags).
  size_t max_annotations = 10;  // per kind of GitHub annotation; 0 = unlimited
  std::string sarif_category;   // SARIF runs[0].automationDetails.id, "" = none

  // True when the finding counts toward the exit code.
  bool counts(const Finding& f) const;
};

// How loudly a format reports a finding; SARIF's levels (GitHub annotations say `notice` for
// note). Every format takes it from level_of, so they agree.
enum class Level { Note, Warning, Error };

const char* level_name(Level l);  // "note", "warning", "error"

// Critical and high are errors when they count toward the exit code; medium is a warning; low
// and info are notes. A finding that does not fail the run (undecided under `undecided =
// "warn"`, below --fail-on, waived, in the baseline) is at most a warning.
Level level_of(const Report& r, const Finding& f);

// The findings most severe first: by level, then severity, then input, address and rule. The
// formats that cap what they print keep the front of this order.
std::vector<const Finding*> by_severity(const Report& r);

// Why an input fails the run, for the formats that list such inputs as errors: "could not be
// read: ..." when it was not read, the errored-plan text when terraform could not finish planning
// and that fails the run (unless errored-plan = "lint"), else "".
std::string input_problem(const Report& r, const InputInfo& in);

// "25 resources, 3 data sources, 1 deposed object": what the inputs hold (the last two only when
// there are any).
std::string counts_text(const InstanceCounts& c);
// The sum over the report's inputs.
InstanceCounts total_counts(const Report& r);

// The control ids of findings (Rule::compliance_of), worked out once per rule and type for the
// many findings of a report.
class ComplianceOf {
 public:
  const std::map<std::string, std::vector<std::string>>& operator()(const Finding& f);

 private:
  using Controls = std::map<std::string, std::vector<std::string>>;
  std::map<const Rule*, std::deque<std::pair<std::string, Controls>>> cache_;  // deque: references stay valid
};

// The one-paragraph summary of a remediation (up to its first code block or blank line).
std::string remediation_summary(const std::string& remediation);

void write_text(const Report& r, std::ostream& out, bool color, bool quiet);
void write_json(const Report& r, std::ostream& out);

}  // namespace tfwarden
