#include "engine/waivers.h"

#include <algorithm>

#include "engine/input_path.h"
#include "engine/tool_rules.h"

namespace tfwarden {

const char* WaiverInfo::status() const {
  if (expired) return "expired";
  if (matched > 0) return "active";
  if (!rule_ran) return "rule-not-run";
  if (!in_scope) return "no-matching-resource";
  return "stale";
}

namespace {

bool rule_ran(const std::vector<const Rule*>& rules, const std::string& id) {
  return std::any_of(rules.begin(), rules.end(), [&](const Rule* r) { return r->id == id; });
}

}  // namespace

std::vector<bool> waivers_in_scope(const Config& cfg, const std::vector<const Rule*>& rules, const Plan& plan) {
  std::vector<bool> out(cfg.waivers.size(), false);
  for (size_t i = 0; i < cfg.waivers.size(); ++i) {
    const Waiver& w = cfg.waivers[i];
    auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule* r) { return r->id == w.rule; });
    if (it == rules.end()) continue;
    const Rule& rule = **it;
    auto matches = [&](const Resource& r) { return RE2::FullMatch(r.address, *w.pattern); };
    if (rule.types.empty()) {
      out[i] = std::any_of(plan.resources.begin(), plan.resources.end(), matches);
      continue;
    }
    for (const std::string& type : rule.types) {
      const std::vector<uint32_t>* of = plan.of_type(type);
      if (of && std::any_of(of->begin(), of->end(), [&](uint32_t k) { return matches(plan.resources[k]); })) {
        out[i] = true;
        break;
      }
    }
  }
  return out;
}

std::vector<WaiverInfo> apply_waivers(const Config& cfg, const std::vector<const Rule*>& rules,
                                      const std::vector<bool>& in_scope, std::vector<Finding>& findings) {
  std::string now = today();
  std::string config_file = stable_path(cfg.path);
  std::vector<WaiverInfo> out;
  for (size_t i = 0; i < cfg.waivers.size(); ++i) {
    const Waiver& w = cfg.waivers[i];
    WaiverInfo info{w.rule, w.address, w.reason, w.approved_by, w.expires, w.line};
    info.expired = w.expires < now;
    info.rule_ran = rule_ran(rules, w.rule);
    info.in_scope = i < in_scope.size() && in_scope[i];
    for (Finding& f : findings) {
      if (f.rule->id != w.rule || f.waived) continue;
      if (!RE2::FullMatch(f.address, *w.pattern)) continue;
      ++info.matched;
      if (info.expired) continue;
      f.waived = true;
      f.waiver_reason = w.reason;
      f.waiver_approver = w.approved_by;
      f.waiver_expires = w.expires;
    }
    std::string status = info.status();
    if (status == "expired" || status == "stale") {
      Finding f;
      f.rule = find_tool_rule(info.expired ? kWaiverExpired : kWaiverStale);
      f.input = config_file;
      // The waiver is the thing at fault: it is located in the configuration, and its rule and
      // pattern identify it (the fingerprint's "path"), whatever line it moves to.
      f.path = "waiver " + w.rule + " " + w.address;
      f.severity = Severity::Info;
      f.message = info.expired ? "waiver for " + w.rule + " on `" + w.address + "` expired on " + w.expires +
                                     " and no longer applies"
                               : "waiver for " + w.rule + " on `" + w.address + "` matches no finding";
      f.source_file = config_file;
      f.source_line = w.line;
      findings.push_back(std::move(f));
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace tfwarden
