#pragma once

// Reads a root module's Terraform source into the model a plan gives (plan/plan.h), so that
// the engine and every rule run on it unchanged. The source is evaluated as `terraform plan`
// would before apply: variables, locals, count and for_each, module calls, providers and their
// regions; what only exists after apply (ids, ARNs, computed attributes) is unknown, as a
// plan's `after_unknown` marks it, and the configuration's references are written as
// Terraform writes them.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace tfwarden::source {

struct SourceOptions {
  std::vector<std::string> var_files;                     // --var-file, in order
  std::vector<std::pair<std::string, std::string>> vars;  // --var NAME=VALUE, in order
};

// The plan document (`terraform show -json` shape, format_version 1.2) the source makes. On a
// syntax error returns an empty string and sets `error` (`file:line:column: error: ...`).
std::string plan_document(const std::string& root_dir, const SourceOptions& options, std::string& error,
                          std::vector<std::string>& notes);

// The same, loaded: the input is named by the directory and its kind is Source.
std::unique_ptr<Plan> load_source(const std::string& root_dir, const SourceOptions& options, LoadError& error);

}  // namespace tfwarden::source
