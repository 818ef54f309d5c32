#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "rules/expr.h"

namespace tfwarden {

// What the TOML loaders (rule files, .tfwarden.toml) throw: the line, the dotted key and what
// is wrong with it. Each loader turns it into its own one-line message.
struct TomlError {
  size_t line;
  std::string key, message;
};

[[noreturn]] void toml_fail(size_t line, std::string key, std::string message);
// "FILE:LINE: key `K`: message", the one-line form every loader reports.
std::string toml_error_text(const std::string& path, const TomlError& e);

size_t line_of(const toml::node& n);

// The string at `key` of `t`, "" when it is absent; refuses another type (`prefix` + `key`).
std::string opt_string(const toml::table& t, const std::string& prefix, std::string_view key);

// "a string", "an integer", ...: for "expected X, found Y" messages.
std::string toml_type_name(const toml::node& n);

// Refuses a key of `t` outside `allowed`, suggesting the nearest allowed one.
void check_keys(const toml::table& t, const std::string& prefix, const std::vector<std::string>& allowed);

// toml++ builds nested tables recursively: a key of tens of thousands of dotted parts overflows
// the stack. Before parsing, refuses a document whose table headers, dotted keys or nested
// arrays and inline tables go deeper than `limit` levels (TomlError with the line).
inline constexpr size_t kTomlMaxDepth = 64;
void check_toml_depth(std::string_view text, size_t limit = kTomlMaxDepth);

// A string, number, boolean or array of those, as a rule parameter or a parameter override.
Literal to_literal(const toml::node& n, const std::string& key);

}  // namespace tfwarden
