#include <array>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "report/fingerprint.h"
#include "report/json_document.h"
#include "report/report.h"

namespace tfwarden {

void write_json(const Report& r, std::ostream& out) {
  JsonWriter w(out);
  w.begin_object();
  w.key("tool");
  w.begin_object();
  w.field("name", "tfwarden");
  w.field("version", TFWARDEN_VERSION);
  w.field("report_version", 2);
  w.string_or_null("config", r.config_path);
  w.end_object();

  w.key("inputs");
  w.begin_array();
  for (const auto& in : r.inputs) {
    w.begin_object();
    w.field("input", in.name);
    w.field("kind", in.kind);
    w.field("format_version", in.format_version);
    w.field("terraform_version", in.terraform_version);
    w.field("resources", uint64_t{in.counts.resources});
    w.field("data_sources", uint64_t{in.counts.data_sources});
    w.field("deposed", uint64_t{in.counts.deposed});
    w.field("errored", in.errored);
    w.field("notes", in.notes);
    w.string_or_null("error", in.error);
    w.end_object();
  }
  w.end_array();
  w.key("skipped");
  w.begin_array();
  for (const auto& s : r.skipped) {
    w.begin_object();
    w.field("path", s.path);
    w.field("reason", s.reason);
    w.end_object();
  }
  w.end_array();

  Fingerprinter fingerprints;
  ComplianceOf compliance_of;
  w.key("findings");
  w.begin_array();
  // What a rule's findings share, and those of a rule on a type, written once.
  std::unordered_map<const Rule*, JsonWriter::Fragment> rule_fields;
  std::unordered_map<const std::map<std::string, std::vector<std::string>>*, JsonWriter::Fragment> compliance_fields;
  for (const Finding& f : r.findings) {
    w.begin_object();
    auto rule_it = rule_fields.find(f.rule);
    if (rule_it == rule_fields.end() || f.severity != f.rule->severity) {
      auto fields = w.fragment([&](JsonWriter& part) {
        part.field("rule", f.rule->id);
        part.field("name", f.rule->name);
        part.field("title", f.rule->title);
        part.field("severity", severity_name(f.severity));
        part.field("pack", f.rule->pack);
        part.field("area", f.rule->area);
      });
      w.splice(fields);
      // A severity set per finding (a configuration's override is the rule's) is not shared.
      if (f.severity == f.rule->severity) rule_fields.emplace(f.rule, std::move(fields));
    } else {
      w.splice(rule_it->second);
    }
    w.field("input", f.input);
    w.field("address", f.address);
    w.field("type", f.type);
    w.string_or_null("region", f.region);
    w.field("path", f.path);
    w.field("value", f.value);
    w.field("action", f.action);
    w.field("message", f.message);
    w.field("undecided", f.undecided);
    w.key("reason");
    if (f.undecided)
      w.value(f.reason);
    else
      w.null();
    w.field("waived", f.waived);
    if (f.waived) {
      w.key("waiver");
      w.begin_object();
      w.field("reason", f.waiver_reason);
      w.field("approved_by", f.waiver_approver);
      w.field("expires", f.waiver_expires);
      w.end_object();
    }
    w.field("baseline", f.baseline);
    w.field("fingerprint", fingerprints.text(f));
    if (!f.source_file.empty()) {
      w.key("location");
      w.begin_object();
      w.field("file", f.source_file);
      w.field("line", uint64_t{f.source_line});
      w.end_object();
    }
    const auto& controls = compliance_of(f);
    auto [controls_it, fresh] = compliance_fields.try_emplace(&controls);
    if (fresh)
      controls_it->second = w.fragment([&](JsonWriter& part) {
        part.key("compliance");
        part.begin_object();
        for (const auto& [fw, ids] : controls) part.field(fw, ids);
        part.end_object();
      });
    w.splice(controls_it->second);
    w.field("counts_toward_exit", r.counts(f));
    w.field("level", level_name(level_of(r, f)));
    w.end_object();
  }
  w.end_array();

  // Counted by what a finding's counts depend on (its severity, rule, input, and rule x type for
  // the controls), then named: 80,000 findings make a few hundred map entries, not millions.
  std::array<size_t, 5> by_sev{};
  std::unordered_map<const Rule*, size_t> per_rule;
  std::vector<std::pair<std::string_view, size_t>> per_input;  // findings come by input
  std::unordered_map<const std::map<std::string, std::vector<std::string>>*, size_t> per_controls;
  size_t undecided = 0, waived = 0, counted = 0;
  for (const Finding& f : r.findings) {
    if (f.waived) {
      ++waived;
      continue;
    }
    ++by_sev[static_cast<size_t>(f.severity)];
    ++per_rule[f.rule];
    if (per_input.empty() || per_input.back().first != f.input)
      per_input.emplace_back(f.input, 1);
    else
      ++per_input.back().second;
    if (f.undecided) ++undecided;
    if (r.counts(f)) ++counted;
    ++per_controls[&compliance_of(f)];
  }
  std::map<std::string, size_t> by_rule, by_input;
  std::map<std::string, std::map<std::string, size_t>> by_control;
  for (const auto& [rule, n] : per_rule) by_rule[rule->id] += n;
  for (const auto& [input, n] : per_input) by_input[std::string(input)] += n;
  for (const auto& [controls, n] : per_controls)
    for (const auto& [fw, ids] : *controls)
      for (const auto& id : ids) by_control[fw][id] += n;
  auto counts = [&](std::string_view k, const std::map<std::string, size_t>& m) {
    w.key(k);
    w.begin_object();
    for (const auto& [name, n] : m) w.field(name, uint64_t{n});
    w.end_object();
  };
  InstanceCounts total = total_counts(r);
  w.key("summary");
  w.begin_object();
  w.field("findings", uint64_t{r.findings.size() - waived});
  w.field("undecided", uint64_t{undecided});
  w.field("waived", uint64_t{waived});
  w.field("counted", uint64_t{counted});
  w.key("by_severity");
  w.begin_object();
  for (Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info})
    w.field(severity_name(s), uint64_t{by_sev[static_cast<size_t>(s)]});
  w.end_object();
  counts("by_rule", by_rule);
  counts("by_input", by_input);
  w.key("compliance");
  w.begin_object();
  for (const auto& [fw, ids] : by_control) counts(fw, ids);
  w.end_object();
  w.field("inputs", uint64_t{r.inputs.size()});
  w.field("resources", uint64_t{total.resources});
  w.field("data_sources", uint64_t{total.data_sources});
  w.field("deposed", uint64_t{total.deposed});
  w.field("rules", uint64_t{r.rules.size()});
  w.field("checks", uint64_t{r.checks});
  w.field("fail_on", severity_name(r.fail_on));
  w.field("exit_code", r.exit_code);
  w.end_object();
  if (!r.waivers.empty()) {
    w.key("waivers");
    w.begin_array();
    for (const auto& x : r.waivers) {
      w.begin_object();
      w.field("rule", x.rule);
      w.field("address", x.address);
      w.field("reason", x.reason);
      w.field("approved_by", x.approved_by);
      w.field("expires", x.expires);
      w.field("line", uint64_t{x.line});
      w.field("matched", x.matched);
      w.field("expired", x.expired);
      w.field("status", x.status());
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  w.finish();
}

}  // namespace tfwarden
