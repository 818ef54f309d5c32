#pragma once

#include <toml++/toml.h>

#include <string>

namespace tfwarden {

// A rule test's short form: the test names only the resources it is about (`[[test.resource]]`:
// address, values, references, unknowns...) and, when they matter, its providers, module calls
// and variables; this writes the rest of the `terraform show -json` document around them, in the
// shape Terraform gives it (resource_changes, prior_state for data sources, configuration with
// constant and reference expressions, after_unknown, after_sensitive). docs/rule-language.md
// describes the keys.
//
// True when `test` is in the short form (it has `resource` entries).
bool is_fragment_test(const toml::table& test);

// The JSON document of a short-form test. Throws TomlError naming the key and line of a mistake.
std::string fragment_document(const toml::table& test);

}  // namespace tfwarden
