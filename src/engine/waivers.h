#pragma once

#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"

namespace tfwarden {

// A waiver from the configuration, with how this run used it.
struct WaiverInfo {
  std::string rule, address, reason, approved_by, expires;
  size_t line = 0;
  size_t matched = 0;  // findings it matched
  bool expired = false;
  bool rule_ran = false;  // its rule was selected (not removed by --only, --skip or [rules])
  bool in_scope = false;  // its rule checked a resource whose address the pattern matches

  // active | expired | stale | rule-not-run | no-matching-resource
  const char* status() const;
};

// Which of the config's waivers could have matched in this plan: their rule is among `rules`
// and the plan has a resource of one of the rule's types whose address the pattern matches.
// Computed while the plan is loaded; the answers of all inputs are OR-ed together.
std::vector<bool> waivers_in_scope(const Config& cfg, const std::vector<const Rule*>& rules, const Plan& plan);

// Marks the findings each waiver covers and appends a tool finding for every expired waiver
// (TFW-WAIVER-001) and every stale one (TFW-WAIVER-002), located at the waiver's line in the
// configuration file. `in_scope` is the OR of `waivers_in_scope` over the inputs.
std::vector<WaiverInfo> apply_waivers(const Config& cfg, const std::vector<const Rule*>& rules,
                                      const std::vector<bool>& in_scope, std::vector<Finding>& findings);

}  // namespace tfwarden
