#include "engine/tool_rules.h"

#include <memory>

namespace tfwarden {

namespace {

std::unique_ptr<Rule> tool_rule(std::string_view id, const char* name, const char* title, const char* rationale,
                                const char* remediation) {
  auto r = std::make_unique<Rule>();
  r->id = std::string(id);
  r->name = name;
  r->title = title;
  r->area = "config";
  r->severity = r->default_severity = Severity::Info;
  r->rationale = rationale;
  r->remediation = remediation;
  r->pack = "tfwarden";
  r->source = "(built into tfwarden)";
  return r;
}

std::vector<std::unique_ptr<Rule>> make_rules() {
  std::vector<std::unique_ptr<Rule>> out;
  out.push_back(tool_rule(
      kWaiverExpired, "waiver-expired", "A waiver in the configuration has expired",
      "Waivers accept a finding for a limited time. On its `expires` date a waiver stops applying: the finding it "
      "covered counts toward the exit code again, and this finding points at the waiver in the configuration file.",
      "Fix the finding the waiver covered, or renew the waiver with a new `expires` date and a fresh approval.\n\n"
      "```toml\n[[waiver]]\nrule = \"HP-NET-003\"\naddress = \"module.bastion.aws_security_group.*\"\n"
      "reason = \"break-glass bastion, restricted by NACL\"\napproved-by = \"security@example.com\"\n"
      "expires = 2027-03-31\n```"));
  out.push_back(tool_rule(
      kWaiverStale, "waiver-stale", "A waiver in the configuration matches no finding",
      "A waiver that matches nothing hides no finding today, but would silently hide a future one. A waiver is "
      "reported as stale only when its rule ran and checked a resource whose address the waiver's pattern matches, "
      "and no finding of that rule matched: the resource is compliant now. A waiver whose rule did not run (`--only`, "
      "`--skip`, `[rules]` in the configuration) or whose pattern matches no resource of these inputs is not stale; "
      "the JSON report lists it under `waivers` with `\"status\"`.",
      "Remove the waiver from the configuration file, or correct its rule id or address pattern."));
  return out;
}

const std::vector<std::unique_ptr<Rule>>& owned() {
  static const std::vector<std::unique_ptr<Rule>> rules = make_rules();
  return rules;
}

}  // namespace

const std::vector<const Rule*>& tool_rules() {
  static const std::vector<const Rule*> rules = [] {
    std::vector<const Rule*> out;
    for (const auto& r : owned()) out.push_back(r.get());
    return out;
  }();
  return rules;
}

const Rule* find_tool_rule(std::string_view id_or_name) {
  for (const Rule* r : tool_rules())
    if (r->id == id_or_name || r->name == id_or_name) return r;
  return nullptr;
}

}  // namespace tfwarden
