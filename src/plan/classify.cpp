#include "plan/classify.h"

#include <string_view>

#include "plan/printable.h"

namespace tfwarden {

namespace {

Classification other(std::string what) {
  return {DocumentClass::NotPlanOrState, std::move(what)};
}

// Terraform's own JSON configuration syntax: only block types at the top level.
bool is_tf_json(const Node& root) {
  static constexpr std::string_view kBlocks[] = {"terraform", "resource", "data",  "variable", "output", "locals",
                                                 "module",    "provider", "check", "import",   "moved",  "removed"};
  if (root.size() == 0) return false;
  for (auto [k, v] : root.object()) {
    (void)v;
    bool block = false;
    for (std::string_view b : kBlocks) block |= k == b;
    if (!block) return false;
  }
  return true;
}

std::string some_keys(const Node& root) {
  std::string out;
  size_t n = 0;
  for (auto [k, v] : root.object()) {
    (void)v;
    if (n == 3) {
      out += ", ...";
      break;
    }
    out += (n++ ? ", `" : "`") + printable(k) + "`";
  }
  return out;
}

}  // namespace

Classification classify_document(const Node& root) {
  if (!root.is_object()) return other(std::string("expected a JSON object, found ") + json_type_name(root));
  auto has = [&](std::string_view key) { return root[key].present; };
  // Terraform's other JSON documents, some with a `format_version` of their own.
  if (has("provider_schemas")) return other("looks like a provider schema (`terraform providers schema -json`)");
  if (has("valid") && has("diagnostics")) return other("looks like `terraform validate -json` output");
  if (has("function_signatures")) return other("looks like `terraform metadata functions -json` output");
  bool plan_keys = has("resource_changes") || has("planned_values") || has("configuration") || has("prior_state") ||
                   has("resource_drift");
  if (has("format_version")) return {plan_keys ? DocumentClass::Plan : DocumentClass::State, ""};
  if (plan_keys) return {DocumentClass::Plan, ""};
  if (root["values"]["root_module"].present) return {DocumentClass::State, ""};
  if (has("lineage") && has("serial") && has("resources")) return {DocumentClass::RawState, ""};
  if (root["Modules"].is_array())
    return other("looks like Terraform's module manifest (.terraform/modules/modules.json)");
  if (has("terraform_version") && has("platform")) return other("looks like `terraform version -json` output");
  if (is_tf_json(root)) return other("looks like Terraform configuration in JSON syntax (a .tf.json file)");
  if (root["tool"]["name"].str() == "tfwarden") return other("looks like a tfwarden report");
  if (root["runs"].is_array() && (has("$schema") || has("version"))) return other("looks like a SARIF log");
  if (has("lockfileVersion")) return other("looks like an npm package-lock.json");
  if (root["name"].is_string() &&
      (has("version") || has("dependencies") || has("devDependencies") || has("scripts") || has("private")))
    return other("looks like an npm package.json");
  if (root.size() == 0) return other("an empty JSON object");
  return other("a JSON object without `format_version` (keys " + some_keys(root) + ")");
}

}  // namespace tfwarden
