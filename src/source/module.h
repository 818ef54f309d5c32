#pragma once

// One Terraform module as its directory's `.tf` files declare it: variables, locals,
// resources, data sources, module calls, providers and outputs, with the syntax of each still
// to evaluate (evaluate.h does that).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hcl/syntax.h"

namespace tfwarden::source {

struct Variable {
  std::string name;
  const hcl::Expr* default_value = nullptr;  // null: the variable is required
  const hcl::Expr* description = nullptr;
  const hcl::Expr* type = nullptr;
  bool sensitive = false;
  bool nullable = true;
};

struct ResourceBlock {
  std::string type, name;
  bool data = false;
  bool ephemeral = false;  // an `ephemeral` block: opened during the run, never in the plan
  const hcl::Block* block = nullptr;
  const hcl::Expr* count = nullptr;
  const hcl::Expr* for_each = nullptr;
  std::string provider;  // the provider it names (`aws.west`), or its type's default (`aws`)
  std::string file;

  std::string key() const { return (data ? "data." : ephemeral ? "ephemeral." : "") + type + "." + name; }
};

struct ModuleCall {
  std::string name, source;
  const hcl::Block* block = nullptr;
  const hcl::Expr* count = nullptr;
  const hcl::Expr* for_each = nullptr;
  std::map<std::string, std::string> providers;  // `providers = { aws = aws.west }`: child's -> parent's
  std::string file;

  // A source on this disk (`./x`, `../x`), read from the caller's directory, not installed.
  bool local() const { return source.starts_with("./") || source.starts_with("../"); }
};

struct ProviderBlock {
  std::string name, alias;
  const hcl::Block* block = nullptr;

  std::string local_key() const { return alias.empty() ? name : name + "." + alias; }
};

struct Output {
  std::string name;
  const hcl::Expr* value = nullptr;
  const hcl::Expr* description = nullptr;
  bool sensitive = false;
};

struct Module {
  std::string dir;  // as it was found, relative to the working directory when it is below it
  std::vector<hcl::File> files;
  std::vector<Variable> variables;
  std::vector<const hcl::Attribute*> locals;
  std::vector<ResourceBlock> resources;
  std::vector<ModuleCall> calls;
  std::vector<ProviderBlock> providers;
  std::vector<Output> outputs;
  std::map<std::string, std::string> required_providers;  // local name -> source ("hashicorp/aws")
  std::map<std::string, std::string> provider_versions;   // local name -> version constraint
  std::vector<hcl::Diagnostic> errors;                    // syntax errors, and declarations Terraform refuses
  std::vector<std::string> notes;                         // what was read only in part (override files)
};

// Whether a directory holds Terraform source (a `.tf` or `.tf.json` file).
bool has_source(const std::string& dir);

// Reads every `.tf` file of a directory, in name order. Override files (`override.tf`,
// `*_override.tf`) are not merged yet: a note says so. Never throws: what cannot be read or
// parsed is in `errors`.
std::unique_ptr<Module> read_module(const std::string& dir);

}  // namespace tfwarden::source
