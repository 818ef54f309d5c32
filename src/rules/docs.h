#pragma once

#include <string>

#include "rules/rule.h"

namespace tfwarden {

// `tfwarden explain`: the rule as plain text for a terminal.
std::string rule_page_text(const Rule& r);
// docs/rules/ID.md: fixed sections (what, why, failing and passing examples, fix, exceptions,
// references and compliance).
std::string rule_page_markdown(const Rule& r);
// The README rule table; `link_prefix` points the ids at the rule pages.
std::string rule_table_markdown(const RuleSet& set, const std::string& link_prefix = "docs/rules/");

}  // namespace tfwarden
