#include "engine/engine.h"

#include <algorithm>
#include <unordered_map>

namespace tfwarden {

PlanResult run_rules(const Plan& plan, const std::vector<const Rule*>& rules, const EngineOptions& options) {
  PlanResult out;
  PlanIndex index(plan, options.default_region);
  // Rules by type, so each resource meets only the rules that select its type.
  std::unordered_map<std::string_view, std::vector<const Rule*>> by_type;
  for (const Rule* r : rules)
    for (const auto& t : r->types) by_type[t].push_back(r);
  for (const Resource& res : plan.resources) {
    auto it = by_type.find(res.type);
    if (it == by_type.end()) continue;
    for (const Rule* rule : it->second) {
      if (res.deposed) continue;
      if (res.data ? !rule->select_data : !rule->select_managed) continue;
      if (!rule->selects_action(res.action)) continue;
      if (rule->address_pattern &&
          !RE2::PartialMatch(re2::StringPiece(res.address.data(), res.address.size()), *rule->address_pattern))
        continue;
      Verdict v = evaluate_rule(*rule, res, index);
      if (v.outcome == Outcome::NotInScope) continue;
      out.evaluations.push_back({rule, std::string(res.address), v.outcome});
      if (v.outcome == Outcome::Pass) continue;
      Finding f;
      f.rule = rule;
      f.input = plan.input;
      f.address = std::string(res.address);
      f.type = std::string(res.type);
      const RegionInfo& reg = index.resolver().region_of(res);
      f.region = reg.known ? reg.region : "";
      f.path = rule->path;
      f.message = std::move(v.message);
      f.value = std::move(v.value);
      f.reason = std::move(v.reason);
      f.action = action_name(res.action);
      f.severity = rule->severity;
      f.undecided = v.outcome == Outcome::Undecided;
      out.findings.push_back(std::move(f));
    }
  }
  sort_findings(out.findings);
  return out;
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.input != b.input) return a.input < b.input;
    if (a.address != b.address) return a.address < b.address;
    return a.rule->id < b.rule->id;
  });
}

}  // namespace tfwarden
