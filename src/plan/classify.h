#pragma once

#include <string>

#include "plan/json.h"

namespace tfwarden {

// What a parsed JSON document is, judged from its top level only, before it is loaded.
enum class DocumentClass {
  Plan,            // `terraform show -json PLANFILE` (or meant as one: it has a plan's keys)
  State,           // `terraform show -json` on a state
  RawState,        // a terraform.tfstate file itself
  NotPlanOrState,  // valid JSON that is neither: package.json, modules.json, a report, ...
};

struct Classification {
  DocumentClass kind = DocumentClass::NotPlanOrState;
  // For NotPlanOrState: what the document is, for a message after "not a plan or state: "
  // ("looks like an npm package.json", "a JSON array"). Quotes no input bytes unescaped.
  std::string what;
};

// A document with `format_version` is a plan when it has any of a plan's own keys
// (resource_changes, planned_values, configuration, prior_state, resource_drift), else a state;
// one without it is a plan only when it has such keys, so that the loader names the missing
// field. Known other documents (provider schemas, `terraform validate -json`, ...) are
// recognised first, whatever keys they share.
Classification classify_document(const Node& root);

}  // namespace tfwarden
