#pragma once

#include <re2/re2.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace tfwarden {

// What `check` reports of the findings the rules made: `--severity`, `--type`, `--address`
// and `undecided = "ignore"`. Every rule still reads the whole plan (a cross-region rule needs
// the other region's resources), so the filters change what is reported, not what is checked.
struct ReportFilter {
  Severity min_severity = Severity::Info;
  std::vector<std::string> types;
  std::shared_ptr<RE2> address;  // partial match, null = every address
  bool hide_undecided = false;

  bool keep(const Finding& f) const;
};

// What the filters could match in the inputs, gathered while each plan is loaded.
struct FilterScan {
  std::set<std::string> types;  // the --type values some input has resources of
  // A --type value an input has none of -> the closest type that input has, for a did-you-mean.
  std::map<std::string, std::set<std::string>> type_near_misses;
  size_t address_matches = 0;            // resources the --address pattern matches
  std::vector<std::string> near_misses;  // with no match: the address closest to the pattern, per input

  void scan(const ReportFilter& filter, const Plan& plan);
  void merge(const FilterScan& other);
};

// A filter that can match nothing is a mistake, never a silent pass: "" when every `--type`
// is selected by a rule or present in an input and `--address` matches a resource, else the
// error with a did-you-mean. `notes` get the types that inputs have but no rule checks.
std::string filter_error(const ReportFilter& filter, const std::vector<const Rule*>& rules, const FilterScan& scan,
                         std::vector<std::string>& notes);

}  // namespace tfwarden
