#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "rules/rule.h"

namespace tfwarden {

struct Waiver {
  std::string rule;     // id
  std::string address;  // glob: `*` any run of characters, `?` one character
  std::shared_ptr<RE2> pattern;
  std::string reason, approved_by, expires;  // expires: YYYY-MM-DD
  size_t line = 0;
};

// `.tfwarden.toml`.
struct Config {
  std::string path;  // "" when none was found
  std::optional<Severity> fail_on;
  std::string default_region;
  std::string undecided = "fail";  // fail | warn | ignore
  std::string errored_plan = "fail";       // fail (exit 2) | lint (findings decide the exit code)
  std::vector<std::string> packs;          // bundled packs to run; empty: every pack
  std::vector<std::string> only, disable;  // ids or areas
  std::map<std::string, Severity> severity;
  std::map<std::string, std::map<std::string, Literal>> params;  // rule id -> name -> value
  std::vector<Waiver> waivers;
  std::map<std::string, size_t> rule_lines;  // key -> line, to place errors found after loading
};

// Loads a config file; errors name the file, line and key.
bool load_config(const std::string& path, Config& out, std::string& error);
// The same, from text (`name` is used in messages).
bool load_config_text(const std::string& name, std::string_view text, Config& out, std::string& error);

// `.tfwarden.toml` in the working directory or the nearest parent; "" when there is none.
std::string find_config_upward();

// Applies severity overrides and parameters to the loaded rules, and checks that every rule
// id or area the config names exists.
bool apply_config(const Config& cfg, RuleSet& rules, std::string& error);

// Today's date as YYYY-MM-DD (UTC; TFWARDEN_TODAY, when it is a calendar date, overrides it
// for reproducible tests).
std::string today();

// A waiver expires at most this many years after today (SECURITY.md).
inline constexpr int kMaxWaiverYears = 3;

// The commented starter configuration written by `tfwarden init`.
std::string starter_config();

}  // namespace tfwarden
