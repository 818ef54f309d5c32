#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace tfwarden {

// The bundled packs in their parsed form: rules as the loader left them (expressions compiled,
// library definitions expanded, lets resolved), without their [[test]] cases. The build writes
// it with tfwarden_pack_compiler, so `check` starts without parsing TOML or expressions.
std::string serialize_rules(const std::vector<const Rule*>& rules);

// Reads what serialize_rules wrote into `out` (regexes compiled again, parameters bound).
// False with `error` set when the data is not such a pack (a build that mixed versions).
bool deserialize_rules(std::string_view data, RuleSet& out, std::string& error);

// The compiled bundled packs embedded in this binary, or empty when it has none (the pack
// compiler itself), in which case the bundled rule files are parsed.
std::string_view compiled_rule_pack();

}  // namespace tfwarden
