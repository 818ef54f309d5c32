#pragma once

#include <string>
#include <vector>

namespace tfwarden {

struct CheckOptions {
  std::vector<std::string> inputs, formats, rule_dirs, packs, only, skip, types;
  std::string output, config, fail_on, min_severity, address, default_region, source_dir, baseline, write_baseline;
  std::string color = "auto";
  bool quiet = false, exit_zero = false, timings = false;
  unsigned jobs = 0;
  unsigned max_annotations = 10;  // per kind of GitHub annotation; 0 = unlimited
  std::string sarif_category;
  bool verbose = false;
  std::string input_kind = "any";            // --input-kind: plan, source (or both)
  std::vector<std::string> var_files, vars;  // for Terraform source: --var-file, --var NAME=VALUE
};

struct InspectOptions {
  std::vector<std::string> inputs;
  std::string default_region, format = "text";
  bool list_resources = false;
};

struct RulesOptions {
  std::vector<std::string> rule_dirs, packs;
  std::string id, test_dir, schema, format = "text", docs_dir, readme;
  size_t test = 0;
  bool verbose = false, strict = false;
};

int run_check(const CheckOptions& o);
int run_inspect(const InspectOptions& o);
int run_rules_list(const RulesOptions& o);
int run_rules_show(const RulesOptions& o);
int run_rules_test(const RulesOptions& o);
// Prints the plan document test `test` (from 1) of rule `id` runs on, as `rules test` builds it.
int run_rules_plan(const RulesOptions& o);
int run_rules_validate(const RulesOptions& o);
int run_rules_docs(const RulesOptions& o);
int run_explain(const std::string& id, const std::vector<std::string>& rule_dirs);
int run_init(const std::string& path, bool force);

}  // namespace tfwarden
