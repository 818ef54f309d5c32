#pragma once

#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace tfwarden {

// Findings tfwarden makes about its own inputs and configuration (ids `TFW-*`), as rules so
// that every report format and `tfwarden explain` treat them like the pack's rules. They never
// run over a plan.
const std::vector<const Rule*>& tool_rules();

// The tool rule with this id or name, or null.
const Rule* find_tool_rule(std::string_view id_or_name);

// The ids a finding can carry from the tool itself.
inline constexpr std::string_view kWaiverExpired = "TFW-WAIVER-001";
inline constexpr std::string_view kWaiverStale = "TFW-WAIVER-002";

}  // namespace tfwarden
