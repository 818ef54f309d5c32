#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "report/fingerprint.h"
#include "report/formats.h"
#include "report/json_document.h"

namespace tfwarden {

namespace {

using ojson = nlohmann::ordered_json;

// GitHub's limit of results per run.
constexpr size_t kMaxResults = 25000;

// The level of a rule that fails the run at its default severity: the rule's own view.
const char* default_level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: return "note";
  }
  return "note";
}

// GitHub code scanning ranks security alerts by this score (critical > 9.0, high 7.0-8.9,
// medium 4.0-6.9, low 0.1-3.9).
const char* security_severity(Severity s) {
  switch (s) {
    case Severity::Critical: return "9.5";
    case Severity::High: return "8.0";
    case Severity::Medium: return "5.5";
    case Severity::Low: return "3.0";
    case Severity::Info: return "0.0";
  }
  return "0.0";
}

// GitHub's own vocabulary for non-security severity.
const char* problem_severity(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: return "recommendation";
  }
  return "recommendation";
}

// `cloudfront-without-waf` -> `CloudfrontWithoutWaf`: SARIF wants rule names that differ from
// the id and reads best in Pascal case.
std::string pascal_case(const std::string& kebab) {
  std::string out;
  bool upper = true;
  for (char c : kebab) {
    if (c == '-' || c == '_' || c == ' ') {
      upper = true;
      continue;
    }
    out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return out;
}

// The first paragraph of a rationale, its lines joined.
std::string first_paragraph(const std::string& text) {
  std::string out;
  size_t i = text.find_first_not_of(" \n");
  if (i == std::string::npos) return out;
  for (; i < text.size(); ++i) {
    if (text[i] == '\n') {
      if (i + 1 < text.size() && text[i + 1] == '\n') break;
      out.push_back(' ');
      continue;
    }
    out.push_back(text[i]);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A file path as a URI reference: relative paths stay relative (GitHub resolves them against
// the repository root), absolute ones become file:// URIs.
std::string path_uri(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

ojson descriptor(const Rule& r) {
  ojson d;
  d["id"] = r.id;
  d["name"] = pascal_case(r.name);
  d["shortDescription"] = {{"text", r.title}};
  // GitHub requires both texts to be non-empty (validator rule GH2012), so a custom rule
  // without a rationale or remediation falls back to what it has.
  std::string full = first_paragraph(r.rationale);
  if (full.empty()) full = r.title;
  const std::string& help = r.remediation.empty() ? full : r.remediation;
  d["fullDescription"] = {{"text", full}};
  d["help"] = {{"text", help}, {"markdown", help}};
  if (!r.references.empty()) d["helpUri"] = r.references.front();
  d["defaultConfiguration"] = {{"level", default_level(r.severity)}};
  ojson tags = ojson::array({"security"});
  if (!r.pack.empty()) tags.push_back(r.pack);
  if (!r.area.empty()) tags.push_back(r.area);
  for (const auto& [framework, ids] : r.all_compliance())
    for (const auto& id : ids) tags.push_back(framework + "/" + id);
  d["properties"] = {{"tags", std::move(tags)},
                     {"security-severity", security_severity(r.severity)},
                     {"precision", "high"},
                     {"problem.severity", problem_severity(r.severity)}};
  return d;
}

// One result, written as it goes: a report may hold 25,000 of them.
void write_result(JsonWriter& w, const Finding& f, Level level, size_t rule_index, bool baseline_used,
                  Fingerprinter& fingerprints) {
  w.begin_object();
  w.field("ruleId", f.rule->id);
  w.field("ruleIndex", uint64_t{rule_index});
  w.field("level", level_name(level));
  w.key("message");
  w.begin_object();
  if (f.undecided)
    w.field("text", f.message + " (undecided: " + f.reason + ")");
  else
    w.field("text", f.message);
  w.end_object();
  // Without a source map the plan is the only file; `terraform show -json` writes it on one
  // line, and GitHub drops results that have no start line.
  const std::string& file = f.source_file.empty() ? f.input : f.source_file;
  w.key("locations");
  w.begin_array();
  w.begin_object();
  w.key("physicalLocation");
  w.begin_object();
  w.key("artifactLocation");
  w.begin_object();
  w.field("uri", path_uri(file));
  w.end_object();
  w.key("region");
  w.begin_object();
  w.field("startLine", uint64_t{f.source_file.empty() || f.source_line == 0 ? 1 : f.source_line});
  w.end_object();
  w.end_object();
  w.key("logicalLocations");
  w.begin_array();
  w.begin_object();
  w.field("fullyQualifiedName", f.address);
  w.field("kind", "resource");
  w.end_object();
  w.end_array();
  w.end_object();
  w.end_array();
  w.key("partialFingerprints");
  w.begin_object();
  w.field("tfwarden/v2", fingerprints.hash(f));
  w.end_object();
  if (f.waived) {
    w.key("suppressions");
    w.begin_array();
    w.begin_object();
    w.field("kind", "external");
    w.field("status", "accepted");
    w.field("justification", f.waiver_reason);
    w.key("properties");
    w.begin_object();
    w.field("approvedBy", f.waiver_approver);
    w.field("expires", f.waiver_expires);
    w.end_object();
    w.end_object();
    w.end_array();
  }
  if (baseline_used) w.field("baselineState", f.baseline ? "unchanged" : "new");
  w.key("properties");
  w.begin_object();
  w.field("severity", severity_name(f.severity));
  w.field("address", f.address);
  if (!f.path.empty()) w.field("path", f.path);
  if (!f.region.empty()) w.field("region", f.region);
  w.field("undecided", f.undecided);
  if (f.undecided) w.field("reason", f.reason);
  w.end_object();
  w.end_object();
}

}  // namespace

void write_sarif(const Report& r, std::ostream& out) {
  ojson rules = ojson::array();
  std::map<std::string, size_t> index;
  auto add_rule = [&](const Rule& rule) {
    if (index.emplace(rule.id, rules.size()).second) rules.push_back(descriptor(rule));
  };
  for (const Rule* rule : r.rules) add_rule(*rule);
  // Meta rules (an expired or stale waiver) never run, but their findings still need a
  // descriptor for ruleIndex to point at.
  std::map<std::string, const Rule*> meta;
  for (const Finding& f : r.findings)
    if (!index.count(f.rule->id)) meta.emplace(f.rule->id, f.rule);
  for (const auto& [id, rule] : meta) add_rule(*rule);

  // The report does not say whether a baseline was given; a finding matched by it proves one
  // was. With a baseline that matched nothing, results carry no baselineState, which SARIF
  // allows.
  bool baseline_used = false;
  for (const Finding& f : r.findings) baseline_used |= f.baseline;

  // GitHub rejects a run of more than 25,000 results: keep the most severe, written in the
  // report's order (input, address, rule) so the output stays easy to compare.
  // Under the cap every finding is kept, in the report's order, with no sorting.
  std::vector<const Finding*> kept;
  size_t dropped[3] = {};
  if (r.findings.size() > kMaxResults) {
    kept = by_severity(r);
    for (size_t i = kMaxResults; i < kept.size(); ++i) ++dropped[static_cast<int>(level_of(r, *kept[i]))];
    kept.resize(kMaxResults);
    std::sort(kept.begin(), kept.end());  // pointers into r.findings: back to the report's order
  } else {
    kept.reserve(r.findings.size());
    for (const Finding& f : r.findings) kept.push_back(&f);
  }
  ojson notifications = ojson::array();
  for (const InputInfo& in : r.inputs) {
    if (in.errored) {
      ojson n;
      n["level"] = r.errored_fails ? "error" : "warning";
      n["message"] = {{"text", in.name + ": the plan is marked errored (terraform could not finish planning); the "
                                         "results are those of the part it planned"}};
      n["locations"] = ojson::array({{{"physicalLocation", {{"artifactLocation", {{"uri", path_uri(in.name)}}}}}}});
      notifications.push_back(std::move(n));
    }
    if (in.error.empty()) continue;
    ojson n;
    n["level"] = "error";
    n["message"] = {{"text", in.name + ": could not be read: " + in.error}};
    n["locations"] = ojson::array({{{"physicalLocation", {{"artifactLocation", {{"uri", path_uri(in.name)}}}}}}});
    notifications.push_back(std::move(n));
  }
  if (size_t n_dropped = dropped[0] + dropped[1] + dropped[2]) {
    std::string counts;
    for (Level l : {Level::Error, Level::Warning, Level::Note}) {
      if (!dropped[static_cast<int>(l)]) continue;
      counts +=
          std::string(counts.empty() ? "" : ", ") + std::to_string(dropped[static_cast<int>(l)]) + " " + level_name(l);
    }
    ojson n;
    n["level"] = "warning";
    n["message"] = {{"text", std::to_string(n_dropped) + " of " + std::to_string(r.findings.size()) +
                                 " results left out (GitHub accepts at most " + std::to_string(kMaxResults) +
                                 " per run; the most severe are kept): " + counts +
                                 "; --format json lists every finding"}};
    notifications.push_back(std::move(n));
  }
  bool failed_input =
      std::any_of(r.inputs.begin(), r.inputs.end(), [](const InputInfo& in) { return !in.error.empty(); });
  ojson invocation;
  bool incomplete =
      r.errored_fails && std::any_of(r.inputs.begin(), r.inputs.end(), [](const InputInfo& in) { return in.errored; });
  invocation["executionSuccessful"] = !failed_input && !incomplete;
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  if (!r.config_path.empty()) invocation["properties"] = {{"config", r.config_path}};

  ojson driver;
  driver["name"] = "tfwarden";
  driver["version"] = TFWARDEN_VERSION;
  driver["semanticVersion"] = TFWARDEN_VERSION;
  driver["informationUri"] = "https://github.com/tfwarden/tfwarden";
  driver["rules"] = std::move(rules);

  JsonWriter w(out);
  w.begin_object();
  w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  w.field("version", "2.1.0");
  w.key("runs");
  w.begin_array();
  w.begin_object();
  w.key("tool");
  w.begin_object();
  w.field("driver", driver);
  w.end_object();
  // GitHub reads `category/run-id` and takes the category up to the last slash, so the name is
  // written with a slash after it, as upload-sarif's `category` input does.
  if (!r.sarif_category.empty()) {
    std::string id = r.sarif_category;
    if (id.back() != '/') id += '/';
    w.key("automationDetails");
    w.begin_object();
    w.field("id", id);
    w.end_object();
  }
  w.key("invocations");
  w.begin_array();
  w.value(invocation);
  w.end_array();
  w.key("results");
  w.begin_array();
  Fingerprinter fingerprints;
  for (const Finding* f : kept)
    write_result(w, *f, level_of(r, *f), index.at(f->rule->id), baseline_used, fingerprints);
  w.end_array();
  w.end_object();
  w.end_array();
  w.end_object();
  w.finish();
}

}  // namespace tfwarden
