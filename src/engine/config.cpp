#include "engine/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rules/toml_util.h"

namespace tfwarden {

namespace {

std::string string_at(const toml::node& n, const std::string& key) {
  if (!n.is_string()) toml_fail(line_of(n), key, "expected a string");
  return n.as_string()->get();
}

std::vector<std::string> strings_at(const toml::node& n, const std::string& key) {
  if (!n.is_array()) toml_fail(line_of(n), key, "expected an array of strings");
  std::vector<std::string> out;
  for (const auto& i : *n.as_array()) out.push_back(string_at(i, key));
  return out;
}

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  if (m < 1 || m > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// The latest expiry a waiver may have: today plus kMaxWaiverYears (February 29 becomes the 28th).
std::string latest_expiry() {
  std::string t = today();
  if (!valid_date(t)) return "9999-12-31";  // today() is checked where TFWARDEN_TODAY is read
  int y = std::stoi(t.substr(0, 4)) + kMaxWaiverYears;
  std::string md = t.substr(5) == "02-29" ? "02-28" : t.substr(5);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%s", y, md.c_str());
  return buf;
}

std::shared_ptr<RE2> glob_to_re2(const std::string& glob) {
  std::string re = "^";
  for (char c : glob) {
    if (c == '*') re += ".*";
    else if (c == '?') re += ".";
    else re += RE2::QuoteMeta(std::string(1, c));
  }
  re += "$";
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(8 << 20);
  return std::make_shared<RE2>(re, o);
}

void parse(const toml::table& doc, Config& cfg) {
  check_keys(
      doc, "",
      {"fail-on", "default-region", "undecided", "errored-plan", "packs", "rules", "severity", "params", "waiver"});
  if (const toml::node* n = doc.get("fail-on")) {
    std::string s = string_at(*n, "fail-on");
    Severity sev;
    if (!parse_severity(s, sev)) toml_fail(line_of(*n), "fail-on", "`" + s + "` is not one of critical, high, medium, low, info");
    cfg.fail_on = sev;
  }
  if (const toml::node* n = doc.get("default-region")) cfg.default_region = string_at(*n, "default-region");
  if (const toml::node* n = doc.get("errored-plan")) {
    cfg.errored_plan = string_at(*n, "errored-plan");
    if (cfg.errored_plan != "fail" && cfg.errored_plan != "lint")
      toml_fail(line_of(*n), "errored-plan", "`" + cfg.errored_plan + "` is not one of fail, lint");
  }
  if (const toml::node* n = doc.get("undecided")) {
    cfg.undecided = string_at(*n, "undecided");
    if (cfg.undecided != "fail" && cfg.undecided != "warn" && cfg.undecided != "ignore")
      toml_fail(line_of(*n), "undecided", "`" + cfg.undecided + "` is not one of fail, warn, ignore");
  }
  if (const toml::node* n = doc.get("packs")) {
    cfg.packs = strings_at(*n, "packs");
    cfg.rule_lines["packs"] = line_of(*n);
    if (std::string e = check_pack_names(cfg.packs, ""); !e.empty()) toml_fail(line_of(*n), "packs", e);
  }
  if (const toml::node* n = doc.get("rules")) {
    if (!n->is_table()) toml_fail(line_of(*n), "rules", "expected a table");
    check_keys(*n->as_table(), "rules.", {"only", "disable"});
    if (const toml::node* o = n->as_table()->get("only")) {
      cfg.only = strings_at(*o, "rules.only");
      cfg.rule_lines["rules.only"] = line_of(*o);
    }
    if (const toml::node* d = n->as_table()->get("disable")) {
      cfg.disable = strings_at(*d, "rules.disable");
      cfg.rule_lines["rules.disable"] = line_of(*d);
    }
  }
  if (const toml::node* n = doc.get("severity")) {
    if (!n->is_table()) toml_fail(line_of(*n), "severity", "expected a table of RULE-ID = \"severity\"");
    for (auto&& [k, v] : *n->as_table()) {
      std::string key = "severity." + std::string(k.str());
      std::string s = string_at(v, key);
      Severity sev;
      if (!parse_severity(s, sev)) toml_fail(line_of(v), key, "`" + s + "` is not one of critical, high, medium, low, info");
      cfg.severity[std::string(k.str())] = sev;
      cfg.rule_lines[key] = line_of(v);
    }
  }
  if (const toml::node* n = doc.get("params")) {
    if (!n->is_table()) toml_fail(line_of(*n), "params", "expected tables like [params.HP-BAK-003]");
    for (auto&& [k, v] : *n->as_table()) {
      std::string key = "params." + std::string(k.str());
      if (!v.is_table()) toml_fail(line_of(v), key, "expected a table of parameter = value");
      cfg.rule_lines[key] = line_of(v);
      for (auto&& [pk, pv] : *v.as_table()) {
        cfg.params[std::string(k.str())][std::string(pk.str())] = to_literal(pv, key + "." + std::string(pk.str()));
        cfg.rule_lines[key + "." + std::string(pk.str())] = line_of(pv);
      }
    }
  }
  if (const toml::node* n = doc.get("waiver")) {
    if (!n->is_array_of_tables()) toml_fail(line_of(*n), "waiver", "expected [[waiver]] tables");
    for (const auto& wn : *n->as_array()) {
      const toml::table& t = *wn.as_table();
      check_keys(t, "waiver.", {"rule", "address", "reason", "approved-by", "expires"});
      Waiver w;
      w.line = line_of(wn);
      for (const char* req : {"rule", "address", "reason", "approved-by", "expires"})
        if (!t.get(req)) toml_fail(w.line, std::string("waiver.") + req, "missing: a waiver names rule, address, reason, approved-by and expires");
      w.rule = string_at(*t.get("rule"), "waiver.rule");
      w.address = string_at(*t.get("address"), "waiver.address");
      w.reason = string_at(*t.get("reason"), "waiver.reason");
      w.approved_by = string_at(*t.get("approved-by"), "waiver.approved-by");
      const toml::node* e = t.get("expires");
      if (e->is_date()) {
        auto d = e->as_date()->get();
        char buf[16];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year), static_cast<int>(d.month), static_cast<int>(d.day));
        w.expires = buf;
      } else {
        w.expires = string_at(*e, "waiver.expires");
      }
      if (!valid_date(w.expires))
        toml_fail(line_of(*e), "waiver.expires", "`" + w.expires + "` is not a calendar date like 2027-01-31");
      if (std::string last = latest_expiry(); w.expires > last)
        toml_fail(line_of(*e), "waiver.expires",
                  "`" + w.expires + "` is more than " + std::to_string(kMaxWaiverYears) +
                      " years away: a waiver expires by " + last +
                      " and is renewed with a new review (a finding accepted for good belongs in `rules` or "
                      "`severity`, not in a waiver)");
      if (w.reason.empty()) toml_fail(line_of(*t.get("reason")), "waiver.reason", "must say why the finding is accepted");
      if (w.address.size() > 1024)
        toml_fail(line_of(*t.get("address")), "waiver.address", "the pattern is " + std::to_string(w.address.size()) +
                                                                 " characters long; the limit is 1024");
      w.pattern = glob_to_re2(w.address);
      if (!w.pattern->ok()) toml_fail(line_of(*t.get("address")), "waiver.address", "the pattern cannot be compiled: " + w.pattern->error());
      cfg.waivers.push_back(std::move(w));
    }
  }
}

}  // namespace

bool load_config(const std::string& path, Config& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open the configuration file";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return load_config_text(path, ss.str(), out, error);
}

bool load_config_text(const std::string& path, std::string_view text, Config& out, std::string& error) {
  out.path = path;
  if (text.size() > (size_t{16} << 20)) {
    error = path + ": the configuration is larger than 16 MiB";
    return false;
  }
  try {
    check_toml_depth(text);
    toml::table doc = toml::parse(text, path);
    parse(doc, out);
  } catch (const toml::parse_error& e) {
    error = path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return false;
  } catch (const TomlError& e) {
    error = toml_error_text(path, e);
    return false;
  }
  return true;
}

std::string find_config_upward() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::current_path(ec);
  if (ec) return "";
  while (true) {
    fs::path candidate = dir / ".tfwarden.toml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return "";
    dir = dir.parent_path();
  }
}

bool apply_config(const Config& cfg, RuleSet& rules, std::string& error) {
  std::vector<std::string> ids = rules.ids();
  std::set<std::string> areas;
  for (const auto& r : rules.rules) areas.insert(r->area);
  std::vector<std::string> names = ids;
  names.insert(names.end(), areas.begin(), areas.end());
  auto where = [&](const std::string& key) {
    auto it = cfg.rule_lines.find(key);
    return cfg.path + ":" + std::to_string(it == cfg.rule_lines.end() ? 1 : it->second) + ": key `" + key + "`: ";
  };
  auto known = [&](const std::string& key, const std::string& name) {
    if (rules.find(name) || areas.count(name)) return true;
    std::string hint = did_you_mean(name, names);
    error = where(key) + "unknown rule id or area `" + name + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
    return false;
  };
  for (const auto& n : cfg.only)
    if (!known("rules.only", n)) return false;
  for (const auto& n : cfg.disable)
    if (!known("rules.disable", n)) return false;
  for (const auto& [id, sev] : cfg.severity) {
    if (!known("severity." + id, id)) return false;
    for (auto& r : rules.rules)
      if (r->id == id || r->area == id) r->severity = sev;
  }
  for (const auto& [id, values] : cfg.params) {
    auto* rule = const_cast<Rule*>(rules.find(id));
    if (!rule) {
      std::string hint = did_you_mean(id, ids);
      error = where("params." + id) + "unknown rule id `" + id + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
      return false;
    }
    for (const auto& [name, value] : values) {
      auto it = rule->params.find(name);
      if (it == rule->params.end()) {
        std::vector<std::string> pn;
        for (const auto& [k, v] : rule->params) pn.push_back(k);
        std::string hint = did_you_mean(name, pn);
        error = where("params." + id + "." + name) + "rule " + id + " has no parameter `" + name + "`" +
                (hint.empty() ? (pn.empty() ? " (it takes none)" : "") : " (did you mean `" + hint + "`?)");
        return false;
      }
      if (it->second.kind != value.kind) {
        error = where("params." + id + "." + name) + "expected a value like the default " + it->second.to_text();
        return false;
      }
      it->second = value;
    }
    if (std::string e = rule->bind_params(); !e.empty()) {
      error = where("params." + id) + e;
      return false;
    }
  }
  for (const auto& w : cfg.waivers) {
    if (!rules.find(w.rule)) {
      std::string hint = did_you_mean(w.rule, ids);
      error = cfg.path + ":" + std::to_string(w.line) + ": key `waiver.rule`: unknown rule id `" + w.rule + "`" +
              (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
      return false;
    }
  }
  return true;
}

std::string today() {
  if (const char* t = std::getenv("TFWARDEN_TODAY"); t && *t && valid_date(t)) return t;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string starter_config() {
  return R"(# tfwarden configuration. tfwarden looks for .tfwarden.toml in the working directory
# and its parents; `--config FILE` names one explicitly. Every key is optional.

# Findings at or above this severity fail the run (exit 1): critical, high, medium, low, info.
fail-on = "low"

# Region for resources whose provider configuration sets none (and that have no known ARN).
# default-region = "us-east-1"

# What an undecided result (a value known only after apply that tfwarden cannot follow) does:
# "fail" counts it like a finding, "warn" reports it without failing, "ignore" hides it.
undecided = "fail"

# A plan marked errored (terraform could not finish planning) is linted as far as it goes and
# reported as incomplete; "fail" (default) exits 2 whatever it finds, "lint" lets findings decide.
errored-plan = "fail"

# The bundled packs to run: "aws-foundations" (what every AWS account should satisfy: IAM, S3,
# logging, encryption, network basics) and "hardened-platform" (what the multi-region platform
# demands: Shield Advanced, origin failover, cross-region backups, health-checked routing).
# Both run by default; `--pack NAME` on the command line wins over this list.
# packs = ["aws-foundations", "hardened-platform"]

[rules]
# Run only these rule ids or areas (iam, s3, log, gov, net, edge, dns, lb, ecs, data, backup, sec,
# obs, ws, dr, chaos, chg).
# only = ["edge", "HP-BAK-002"]
# Never run these rule ids or areas.
# disable = ["chaos"]

[severity]
# Per-rule (or per-area) severity overrides.
# "HP-DNS-003" = "low"

# Rule parameters; `tfwarden explain RULE` lists each rule's parameters and defaults.
# [params.HP-BAK-003]
# min_days = 35

# Accepted findings. A waiver names the rule, an address pattern (`*` and `?` wildcards),
# why, who approved it and when it expires. An expired waiver stops applying and is reported;
# a waiver that matches nothing is reported as stale.
# [[waiver]]
# rule = "HP-NET-003"
# address = "module.bastion.aws_security_group.ssh"
# reason = "break-glass bastion, restricted by NACL"
# approved-by = "security@example.com"
# expires = 2027-03-31
)";
}

}  // namespace tfwarden
