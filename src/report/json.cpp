#include <nlohmann/json.hpp>

#include "report/fingerprint.h"
#include "report/json_document.h"
#include "report/report.h"

namespace tfwarden {

using ojson = nlohmann::ordered_json;

void write_json(const Report& r, std::ostream& out) {
  ojson doc;
  doc["tool"] = {{"name", "tfwarden"},
                 {"version", TFWARDEN_VERSION},
                 {"report_version", 2},
                 {"config", r.config_path.empty() ? ojson(nullptr) : ojson(r.config_path)}};
  ojson inputs = ojson::array();
  for (const auto& in : r.inputs) {
    ojson i = {{"input", in.name},
               {"kind", in.kind},
               {"format_version", in.format_version},
               {"terraform_version", in.terraform_version},
               {"resources", in.counts.resources},
               {"data_sources", in.counts.data_sources},
               {"deposed", in.counts.deposed},
               {"errored", in.errored}};
    i["notes"] = in.notes;
    i["error"] = in.error.empty() ? ojson(nullptr) : ojson(in.error);
    inputs.push_back(std::move(i));
  }
  doc["inputs"] = std::move(inputs);
  ojson skipped = ojson::array();
  for (const auto& s : r.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
  doc["skipped"] = std::move(skipped);
  ojson findings = ojson::array();
  for (const Finding& f : r.findings) {
    ojson j;
    j["rule"] = f.rule->id;
    j["name"] = f.rule->name;
    j["title"] = f.rule->title;
    j["severity"] = severity_name(f.severity);
    j["pack"] = f.rule->pack;
    j["area"] = f.rule->area;
    j["input"] = f.input;
    j["address"] = f.address;
    j["type"] = f.type;
    j["region"] = f.region.empty() ? ojson(nullptr) : ojson(f.region);
    j["path"] = f.path;
    j["value"] = f.value;
    j["action"] = f.action;
    j["message"] = f.message;
    j["undecided"] = f.undecided;
    j["reason"] = f.undecided ? ojson(f.reason) : ojson(nullptr);
    j["waived"] = f.waived;
    if (f.waived)
      j["waiver"] = {{"reason", f.waiver_reason}, {"approved_by", f.waiver_approver}, {"expires", f.waiver_expires}};
    j["baseline"] = f.baseline;
    j["fingerprint"] = fingerprint(f);
    if (!f.source_file.empty()) j["location"] = {{"file", f.source_file}, {"line", f.source_line}};
    ojson comp = ojson::object();
    for (const auto& [fw, ids] : f.rule->compliance_of(f.type)) comp[fw] = ids;
    j["compliance"] = std::move(comp);
    j["counts_toward_exit"] = r.counts(f);
    j["level"] = level_name(level_of(r, f));
    findings.push_back(std::move(j));
  }
  doc["findings"] = std::move(findings);

  ojson by_sev = ojson::object();
  for (Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info}) by_sev[severity_name(s)] = 0;
  std::map<std::string, size_t> by_rule, by_input;
  std::map<std::string, std::map<std::string, size_t>> by_control;
  size_t undecided = 0, waived = 0, counted = 0;
  for (const Finding& f : r.findings) {
    if (f.waived) {
      ++waived;
      continue;
    }
    by_sev[severity_name(f.severity)] = by_sev[severity_name(f.severity)].get<size_t>() + 1;
    ++by_rule[f.rule->id];
    ++by_input[f.input];
    if (f.undecided) ++undecided;
    if (r.counts(f)) ++counted;
    for (const auto& [fw, ids] : f.rule->compliance_of(f.type))
      for (const auto& id : ids) ++by_control[fw][id];
  }
  InstanceCounts total = total_counts(r);
  ojson summary;
  summary["findings"] = r.findings.size() - waived;
  summary["undecided"] = undecided;
  summary["waived"] = waived;
  summary["counted"] = counted;
  summary["by_severity"] = std::move(by_sev);
  summary["by_rule"] = by_rule;
  summary["by_input"] = by_input;
  summary["compliance"] = by_control;
  summary["inputs"] = r.inputs.size();
  summary["resources"] = total.resources;
  summary["data_sources"] = total.data_sources;
  summary["deposed"] = total.deposed;
  summary["rules"] = r.rules.size();
  summary["checks"] = r.checks;
  summary["fail_on"] = severity_name(r.fail_on);
  summary["exit_code"] = r.exit_code;
  doc["summary"] = std::move(summary);
  if (!r.waivers.empty()) {
    ojson ws = ojson::array();
    for (const auto& w : r.waivers)
      ws.push_back({{"rule", w.rule},
                    {"address", w.address},
                    {"reason", w.reason},
                    {"approved_by", w.approved_by},
                    {"expires", w.expires},
                    {"line", w.line},
                    {"matched", w.matched},
                    {"expired", w.expired},
                    {"status", w.status()}});
    doc["waivers"] = std::move(ws);
  }
  write_json_document(doc, out);
}

}  // namespace tfwarden
