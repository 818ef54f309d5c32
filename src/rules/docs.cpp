#include "rules/docs.h"

#include <algorithm>
#include <sstream>

namespace tfwarden {

namespace {

const char* framework_title(const std::string& fw) {
  if (fw == "aws-fsbp") return "AWS Foundational Security Best Practices";
  if (fw == "cis-aws") return "CIS AWS Foundations Benchmark";
  if (fw == "nist-800-53") return "NIST SP 800-53 rev. 5";
  if (fw == "pci-dss") return "PCI DSS";
  if (fw == "soc2") return "SOC 2";
  if (fw == "iso-27001") return "ISO/IEC 27001";
  return "other";
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \n\t");
  size_t e = s.find_last_not_of(" \n\t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string actions_text(const Rule& r) {
  std::vector<std::string> a;
  for (Action x : r.actions) a.push_back(action_name(x));
  return join(a, ", ");
}

// The JSON of a test plan, indented for a code block.
std::string indent(const std::string& s, const std::string& pad) {
  std::string out;
  std::istringstream in(trim(s));
  std::string line;
  while (std::getline(in, line)) out += pad + line + "\n";
  return out;
}

// Marks the lets `e` reads, directly or through another let.
void mark_lets(const Expr& e, const Rule& r, std::vector<bool>& used) {
  if (e.op == Expr::Op::Let && e.slot < used.size() && !used[e.slot]) {
    used[e.slot] = true;
    mark_lets(*r.lets[e.slot], r, used);
  }
  for (const auto& k : e.kids)
    if (k) mark_lets(*k, r, used);
}

// Whether each let decides the outcome (the scope or the assertion reads it); the others only
// state the evidence (check.evidence, a {$let} of the message).
std::vector<bool> deciding_lets(const Rule& r) {
  std::vector<bool> used(r.lets.size(), false);
  if (r.where) mark_lets(*r.where, r, used);
  if (r.assertion) mark_lets(*r.assertion, r, used);
  return used;
}

// The lets that decide (or only show evidence), in file order, each under its comment lines:
// `INDENT# comment` then `INDENT` + `prefix` + `name = text`.
std::string lets_text(const Rule& r, const std::vector<bool>& deciding, bool decides, const std::string& indent,
                      const std::string& prefix) {
  std::ostringstream o;
  for (size_t i : r.let_file_order) {
    if (deciding[i] != decides) continue;
    std::istringstream comment(r.let_comments[i]);
    for (std::string line; std::getline(comment, line);) o << indent << "# " << line << "\n";
    o << indent << prefix << r.let_names[i] << " = " << trim(r.let_texts[i]) << "\n";
  }
  return o.str();
}

// The library definitions a rule uses: `$name(params) = text` with the file and line.
std::string lib_text(const Rule& r, const std::string& indent) {
  std::ostringstream o;
  for (const auto& d : r.lib_uses) {
    std::string sig = d.name;
    if (!d.params.empty()) sig += "(" + join(d.params, ", ") + ")";
    o << indent << "# " << d.where << "\n" << indent << "$" << sig << " = " << trim(d.text) << "\n";
  }
  return o.str();
}

}  // namespace

std::string rule_page_text(const Rule& r) {
  std::ostringstream o;
  o << r.id << " " << r.name << " (" << severity_name(r.severity) << ", pack " << r.pack << ", area " << r.area
    << ")\n";
  o << r.title << "\n\n";
  // A rule built into tfwarden (TFW-*) checks the inputs and configuration, not resources.
  if (r.assert_text.empty()) {
    o << "Checks: the configuration and inputs of the run (built into tfwarden)\n";
  } else {
    o << "Checks: " << join(r.types, ", ") << " (changes: " << actions_text(r) << ")\n";
    if (!r.where_text.empty()) o << "In scope when: " << trim(r.where_text) << "\n";
    o << "Must hold: " << trim(r.assert_text) << "\n";
  }
  std::vector<bool> deciding = deciding_lets(r);
  o << lets_text(r, deciding, true, "  ", "where $");
  if (!r.evidence_text.empty()) o << "Evidence: " << trim(r.evidence_text) << "\n";
  o << lets_text(r, deciding, false, "  ", "where $");
  if (!r.lib_uses.empty()) o << "Shared definitions used:\n" << lib_text(r, "  ");
  o << "\nWhy it matters\n" << indent(r.rationale, "  ") << "\nHow to fix\n" << indent(r.remediation, "  ");
  if (!r.params.empty()) {
    o << "\nParameters (override in .tfwarden.toml under [params." << r.id << "])\n";
    for (const auto& [k, v] : r.params) o << "  " << k << " = " << v.to_text() << "\n";
  }
  if (!r.all_compliance().empty()) {
    o << "\nCompliance\n";
    for (const auto& [fw, ids] : r.compliance) o << "  " << framework_title(fw) << ": " << join(ids, ", ") << "\n";
    for (const auto& [type, map] : r.compliance_by_type)
      for (const auto& [fw, ids] : map)
        o << "  " << framework_title(fw) << " (" << type << " only): " << join(ids, ", ") << "\n";
  }
  if (!r.references.empty()) {
    o << "\nReferences\n";
    for (const auto& ref : r.references) o << "  " << ref << "\n";
  }
  if (!r.assert_text.empty())
    o << "\nWaive it in .tfwarden.toml:\n  [[waiver]]\n  rule = \"" << r.id
      << "\"\n  address = \"module.example.*\"\n  reason = \"...\"\n  approved-by = \"...\"\n  expires = 2027-01-31\n";
  o << "\nSource: " << r.source << "\n";
  return o.str();
}

std::string rule_page_markdown(const Rule& r) {
  std::ostringstream o;
  o << "<!-- Generated by `tfwarden rules docs` from " << r.source << "; do not edit. -->\n";
  o << "# " << r.id << " " << r.name << "\n\n";
  o << "**" << r.title << "**\n\n";
  o << "| severity | pack | area | resource types | changes |\n|---|---|---|---|---|\n";
  o << "| " << severity_name(r.severity) << " | " << r.pack << " | " << r.area << " | `" << join(r.types, "`, `")
    << "` | " << actions_text(r) << " |\n\n";
  o << "## What it checks\n\n";
  if (!r.where_text.empty()) o << "In scope when:\n\n```\n" << trim(r.where_text) << "\n```\n\n";
  o << "Must hold:\n\n```\n" << trim(r.assert_text) << "\n```\n\n";
  std::vector<bool> deciding = deciding_lets(r);
  auto lets = [&](bool decides) {
    if (std::string t = lets_text(r, deciding, decides, "", "$"); !t.empty()) o << "where\n\n```\n" << t << "```\n\n";
  };
  lets(true);
  o << "Message: `" << r.message << "`\n\n";
  if (!r.evidence_text.empty() || std::find(deciding.begin(), deciding.end(), false) != deciding.end()) {
    o << "A finding shows " << (r.evidence_text.empty() ? "the value at `" + r.path + "`" : "the value of") << ":\n\n";
    if (!r.evidence_text.empty()) o << "```\n" << trim(r.evidence_text) << "\n```\n\n";
    lets(false);
  }
  if (!r.lib_uses.empty())
    o << "Shared definitions it uses (the pack's `lib.toml`):\n\n```\n" << lib_text(r, "") << "```\n\n";
  o << "## Why it matters\n\n" << trim(r.rationale) << "\n\n";
  const RuleTest* fail = nullptr;
  const RuleTest* pass = nullptr;
  for (const auto& t : r.tests) {
    if (!fail && t.expect == "fail") fail = &t;
    if (!pass && t.expect == "pass") pass = &t;
  }
  // A test in the short form shows as written; a whole plan document as JSON.
  auto example = [&](const char* title, const RuleTest& t) {
    o << "## " << title << "\n\n" << t.name << ":\n\n";
    if (!t.source.empty())
      o << "```toml\n" << trim(t.source) << "\n```\n\n";
    else
      o << "```json\n" << trim(t.plan) << "\n```\n\n";
  };
  if (fail) example("Failing example", *fail);
  if (pass) example("Passing example", *pass);
  o << "## How to fix\n\n" << trim(r.remediation) << "\n\n";
  if (!r.params.empty()) {
    o << "## Parameters\n\n| name | default |\n|---|---|\n";
    for (const auto& [k, v] : r.params) o << "| `" << k << "` | `" << v.to_text() << "` |\n";
    o << "\nOverride them in `.tfwarden.toml`:\n\n```toml\n[params." << r.id << "]\n"
      << r.params.begin()->first << " = " << r.params.begin()->second.to_text() << "\n```\n\n";
  }
  o << "## Exceptions\n\nAccept a finding for a limited time with a waiver in `.tfwarden.toml`; it expires and is "
       "then reported again:\n\n```toml\n[[waiver]]\nrule = \""
    << r.id << "\"\naddress = \"module.example.*\"\nreason = \"why this is acceptable\"\napproved-by = \"security@example.com\"\nexpires = 2027-01-31\n```\n\n";
  o << "## References\n\n";
  for (const auto& ref : r.references) o << "- " << ref << "\n";
  if (!r.all_compliance().empty()) {
    o << "\n## Compliance\n\n";
    for (const auto& [fw, ids] : r.compliance) o << "- " << framework_title(fw) << ": " << join(ids, ", ") << "\n";
    for (const auto& [type, map] : r.compliance_by_type)
      for (const auto& [fw, ids] : map)
        o << "- " << framework_title(fw) << " (`" << type << "` only): " << join(ids, ", ") << "\n";
  }
  o << "\n## Tests\n\n`tfwarden rules test` runs " << r.tests.size() << " cases from the rule file:\n\n";
  for (const auto& t : r.tests) o << "- " << t.expect << ": " << t.name << "\n";
  return o.str();
}

std::string rule_table_markdown(const RuleSet& set, const std::string& link_prefix) {
  std::ostringstream o;
  o << "| id | name | pack | severity | checks | compliance |\n|---|---|---|---|---|---|\n";
  for (const auto& r : set.rules) {
    std::vector<std::string> comp;
    for (const auto& [fw, ids] : r->all_compliance())
      if (fw == "aws-fsbp") comp.push_back("FSBP " + join(ids, ", "));
      else if (fw == "cis-aws") comp.push_back("CIS " + join(ids, ", "));
      else if (fw == "nist-800-53") comp.push_back("NIST " + join(ids, ", "));
    std::string id = link_prefix.empty() ? "[" + r->id + "](" + r->id + ".md)"
                                         : "[" + r->id + "](" + link_prefix + r->id + ".md)";
    o << "| " << id << " | `" << r->name << "` | " << r->pack << " | " << severity_name(r->severity) << " | "
      << r->title << " | " << join(comp, "; ") << " |\n";
  }
  return o.str();
}

}  // namespace tfwarden
