#include "engine/waivers.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

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

// A pattern without `*` or `?` names one address.
bool is_exact(const Waiver& w) {
  return w.address.find_first_of("*?") == std::string::npos;
}

bool rule_ran(const std::vector<const Rule*>& rules, const std::string& id) {
  return std::any_of(rules.begin(), rules.end(), [&](const Rule* r) { return r->id == id; });
}

}  // namespace

std::vector<bool> waivers_in_scope(const Config& cfg, const std::vector<const Rule*>& rules, const Plan& plan) {
  std::vector<bool> out(cfg.waivers.size(), false);
  std::unordered_map<std::string_view, const Rule*> by_id;
  for (const Rule* r : rules) by_id.emplace(r->id, r);
  for (size_t i = 0; i < cfg.waivers.size(); ++i) {
    const Waiver& w = cfg.waivers[i];
    auto it = by_id.find(w.rule);
    if (it == by_id.end()) continue;
    const Rule& rule = *it->second;
    auto of_rule = [&](const Resource& r) {
      return rule.types.empty() || std::find(rule.types.begin(), rule.types.end(), r.type) != rule.types.end();
    };
    // An exact address is one lookup; only a glob is matched against the resources.
    if (is_exact(w)) {
      const Resource* r = plan.by_address(w.address);
      out[i] = r && of_rule(*r);
      continue;
    }
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
  // Findings by rule, and by rule and address: a waiver looks only at its rule's findings, and
  // an exact address at only its own (100,000 waivers must not cost waivers x findings).
  std::unordered_map<std::string_view, std::vector<size_t>> by_rule;
  std::unordered_map<std::string, std::vector<size_t>> by_rule_address;
  bool any_exact = std::any_of(cfg.waivers.begin(), cfg.waivers.end(), is_exact);
  if (!cfg.waivers.empty())
    for (size_t k = 0; k < findings.size(); ++k) {
      by_rule[findings[k].rule->id].push_back(k);
      if (any_exact) by_rule_address[findings[k].rule->id + "\n" + findings[k].address].push_back(k);
    }
  static const std::vector<size_t> kNone;
  std::vector<WaiverInfo> out;
  out.reserve(cfg.waivers.size());
  size_t original = findings.size();
  for (size_t i = 0; i < cfg.waivers.size(); ++i) {
    const Waiver& w = cfg.waivers[i];
    WaiverInfo info{w.rule, w.address, w.reason, w.approved_by, w.expires, w.line};
    info.expired = w.expires < now;
    info.rule_ran = rule_ran(rules, w.rule);
    info.in_scope = i < in_scope.size() && in_scope[i];
    const std::vector<size_t>* candidates = &kNone;
    if (is_exact(w)) {
      auto it = by_rule_address.find(w.rule + "\n" + w.address);
      if (it != by_rule_address.end()) candidates = &it->second;
    } else if (auto it = by_rule.find(w.rule); it != by_rule.end()) {
      candidates = &it->second;
    }
    for (size_t k : *candidates) {
      Finding& f = findings[k];
      if (k >= original || f.waived) continue;
      if (!is_exact(w) && !RE2::FullMatch(f.address, *w.pattern)) continue;
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
      f.identity_path = f.path;
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
