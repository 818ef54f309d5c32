#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "rules/expr.h"

namespace tfwarden {

enum class Severity : uint8_t { Info, Low, Medium, High, Critical };

const char* severity_name(Severity s);
bool parse_severity(std::string_view text, Severity& out);

struct RuleTest {
  std::string name;
  std::string expect;  // pass | fail | undecided
  std::vector<std::string> addresses;
  // What every finding of the test must show (`path = ...`, `value = ...`), when given.
  std::optional<std::string> path, value;
  std::string plan;
  // `[test.params]`: the rule's parameters for this test (the others keep their defaults).
  std::map<std::string, Literal> params;
  // The test's own lines of the rule file when it gives resources (the short form), for docs.
  std::string source;
  size_t line = 0;
};

struct Rule {
  std::string id, name, title, area, rationale, remediation;
  Severity severity = Severity::Medium;
  Severity default_severity = Severity::Medium;
  std::vector<std::string> references;
  // framework -> control ids of every finding, and type -> those of a finding on that type too.
  std::map<std::string, std::vector<std::string>> compliance;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> compliance_by_type;
  std::map<std::string, Literal> params;
  std::vector<std::string> types;
  std::vector<Action> actions;
  bool select_data = false, select_managed = true;
  std::shared_ptr<RE2> address_pattern;
  std::string address_text;
  std::unique_ptr<Expr> where;
  std::unique_ptr<Expr> assertion;
  std::string where_text, assert_text;
  std::vector<std::string> let_names;
  std::vector<std::unique_ptr<Expr>> lets;
  std::vector<std::string> let_texts;
  // The `#` comment lines right above each let in the file (without the `#`), and the lets'
  // positions in file order (lets themselves are stored by name, as TOML tables are).
  std::vector<std::string> let_comments;
  std::vector<size_t> let_file_order;
  // Whether each let reads `self` (directly or through another let). A let that does not, seen
  // with a resource as `.`, has one value per plan and resource: the engine memoizes it.
  std::vector<bool> let_uses_self;
  // How the engine may keep the value of each let that reads `self` (set when the rule loads):
  // PerSelf when it reads no `.` of its own (only inside the predicates of quantifiers), so it
  // has one value per resource under evaluation; ByKeys when, besides, it reads `self` only
  // through such lets (`let_keys`), so resources that give those lets the same values share
  // its value (a count over the resources of the same region is counted once per region).
  enum class LetMemo : uint8_t { None, PerSelf, ByKeys };
  std::vector<LetMemo> let_memo;
  std::vector<std::vector<uint32_t>> let_keys;
  // `[check] path`: the attribute the rule checks. It names a finding in its fingerprint, so a
  // finding keeps its identity when the evidence below moves (another ingress entry, container).
  std::string path;
  std::unique_ptr<Expr> path_expr;
  // `[check] evidence`: the value that decided a finding. The finding's path is where that value
  // is in the resource (the rule's path when it is computed), its value the value's rendering.
  std::unique_ptr<Expr> evidence;
  std::string evidence_text;
  // Slots of the lets the message names as `{$name}`.
  std::vector<uint32_t> message_lets;
  // `[check] secret = true`: the value the rule flags is a secret, so a finding shows only the
  // names of the secrets in it. `secret_names` is the rule's `secret_name_pattern` parameter
  // (after config overrides), which names them besides the built-in detector.
  bool secret = false;
  std::shared_ptr<RE2> secret_names;
  std::string message;
  std::vector<RuleTest> tests;
  // The library definitions the rule uses, with those they use, for its page.
  std::vector<LibDef> lib_uses;
  std::string source;  // file the rule came from
  std::string pack;    // a bundled pack ("aws-foundations", "hardened-platform"), or "custom"
  uint32_t memo_slots = 0;

  bool selects_action(Action a) const;
  // The control ids a finding on a resource of `type` counts under.
  std::map<std::string, std::vector<std::string>> compliance_of(std::string_view type) const;
  // Every control id the rule maps, whatever the type (the rule's own listings).
  std::map<std::string, std::vector<std::string>> all_compliance() const;
  // Compiles regexes given as parameters (`x matches params.p`, a secret rule's
  // `secret_name_pattern`), after config overrides.
  // Returns "" or a message naming the parameter.
  std::string bind_params();
};

// A pack's shared definitions (`rules/<pack>/lib.toml`, or `lib.toml` at the top of a --rules
// directory) and their tests: each [[test]] is run as a rule of one test whose assertion is
// the test's `assert` on the resources of type `select`.
struct PackLibrary {
  std::string source, pack;
  Library lib;
  std::vector<std::unique_ptr<Rule>> tests;
};

struct RuleSet {
  std::vector<std::unique_ptr<Rule>> rules;  // sorted by id
  std::vector<std::unique_ptr<PackLibrary>> libraries;
  const Rule* find(std::string_view id) const;
  std::vector<std::string> ids() const;
};

// Loads one rule file. `error` gets "FILE:LINE: key `K`: message" on failure.
// `with_tests = false` skips the [[test]] tables (the bundled pack's tests run in CI and in
// `rules test`; `check` does not need to parse them).
std::unique_ptr<Rule> load_rule(const std::string& path, std::string_view text, std::string& error,
                                bool with_tests = true, const Library* lib = nullptr);
// The library of a pack, by name, for `uses = [...]`: nullptr when it has none.
using LibraryResolver = std::function<const Library*(const std::string& pack, std::string& error)>;
// Loads a lib.toml: `uses` (packs whose definitions it may use), [let] definitions (`name` or
// `name(param, ...)`) and [[test]] cases.
std::unique_ptr<PackLibrary> load_library(const std::string& path, std::string_view text, std::string& error,
                                          bool with_tests, const LibraryResolver& resolve);

// The bundled packs, from the binary: rules/<pack>/<area>/<name>.toml. Without tests, from
// their compiled form when the binary has one (rules/compiled.h), else parsed.
bool load_bundled_rules(RuleSet& out, std::string& error, bool with_tests = true);
// The same, always parsed from the embedded rule files.
bool load_bundled_rule_files(RuleSet& out, std::string& error, bool with_tests);
// Whether `rule` runs when `packs` are selected: every rule when none are, and the rules of a
// --rules directory ("custom") always.
bool pack_selected(const Rule& rule, const std::vector<std::string>& packs);
// The names of the bundled packs, sorted.
std::vector<std::string> bundled_packs();
// "" when every name in `packs` is a bundled pack, else the error (`flag` names where the list
// came from: "--pack", "packs" in the config).
std::string check_pack_names(const std::vector<std::string>& packs, const std::string& flag);
// Every *.toml under DIR (recursively), added to `out`; ids must not collide.
bool load_rule_dir(const std::string& dir, RuleSet& out, std::string& error);
// Refuses a rule whose id or name another rule of `set` has.
bool add_rule(RuleSet& set, std::unique_ptr<Rule> rule, std::string& error);
// "" when a rule file at `relative` (to its pack or rule directory) is named `<name>.toml` and,
// with `area_folders` (a bundled pack), is at the top or in the folder `<area>/`; else the error.
std::string check_rule_location(const Rule& rule, const std::string& relative, bool area_folders);

}  // namespace tfwarden
