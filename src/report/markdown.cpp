#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "report/formats.h"

namespace tfwarden {

namespace {

// GitHub refuses a step summary over 1 MiB; past this many rows the findings table points to
// the other reports instead.
constexpr size_t kMaxFindingRows = 500;

// Within a table a pipe ends the cell even inside a code span, so it is escaped everywhere;
// line breaks would end the row.
void code_text(std::string_view s, bool table, std::string& out) {
  for (char c : s) {
    if (c == '\n' || c == '\r') out.push_back(' ');
    else if (c == '|' && table) out += "\\|";
    else out.push_back(c);
  }
}

// A value shown verbatim (an address, a file), as a code span whose fence is longer than
// any backtick run inside it.
std::string code(std::string_view s, bool table = true) {
  size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
  std::string out = fence + (pad ? " " : "");
  code_text(s, table, out);
  return out + (pad ? " " : "") + fence;
}

// A diagnostic message, which marks values with backticks: code spans are kept, markdown
// and HTML in the rest are escaped so a value from the plan cannot format or inject.
std::string text(std::string_view s, bool table = true) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '`') {
      size_t n = s.find_first_not_of('`', i);
      n = (n == std::string_view::npos ? s.size() : n) - i;
      // The closing run has exactly the opening run's length.
      size_t close = i + n;
      while ((close = s.find(std::string(n, '`'), close)) != std::string_view::npos &&
             close + n < s.size() && s[close + n] == '`')
        close = s.find_first_not_of('`', close);
      if (close == std::string_view::npos) {
        for (size_t k = 0; k < n; ++k) out += "\\`";
      } else {
        out.append(s.substr(i, n));
        code_text(s.substr(i + n, close - i - n), table, out);
        out.append(s.substr(close, n));
        n = close + n - i;
      }
      i += n;
      continue;
    }
    if (c == '\n' || c == '\r') out.push_back(' ');
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (std::string_view("\\*_[]|#~").find(c) != std::string_view::npos) out += std::string("\\") + c;
    else out.push_back(c);
    ++i;
  }
  return out;
}

std::string plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// Control ids sort as people number them: CloudFront.6 before CloudFront.10.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (isdigit(static_cast<unsigned char>(a[i])) && isdigit(static_cast<unsigned char>(b[j]))) {
      size_t ie = a.find_first_not_of("0123456789", i), je = b.find_first_not_of("0123456789", j);
      ie = ie == std::string::npos ? a.size() : ie;
      je = je == std::string::npos ? b.size() : je;
      std::string_view na = std::string_view(a).substr(i, ie - i), nb = std::string_view(b).substr(j, je - j);
      na.remove_prefix(std::min(na.find_first_not_of('0'), na.size()));
      nb.remove_prefix(std::min(nb.find_first_not_of('0'), nb.size()));
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

struct NaturalLess {
  bool operator()(const std::string& a, const std::string& b) const { return natural_less(a, b); }
};

constexpr Severity kSeverities[] = {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info};

}  // namespace

void write_markdown(const Report& r, std::ostream& out) {
  std::map<Severity, size_t> shown, counted;
  size_t n_shown = 0, n_counted = 0, n_undecided = 0, n_waived = 0;
  for (const Finding& f : r.findings) {
    if (f.waived) {
      ++n_waived;
      continue;
    }
    ++n_shown;
    ++shown[f.severity];
    if (f.undecided) ++n_undecided;
    if (r.counts(f)) {
      ++n_counted;
      ++counted[f.severity];
    }
  }
  size_t resources = 0;
  for (const auto& in : r.inputs) resources += in.resources;

  out << "## tfwarden: " << (n_counted ? "failed" : "passed") << "\n\n";
  out << plural(n_shown, "finding") << ", " << n_counted << " at or above `" << severity_name(r.fail_on) << "`";
  if (n_undecided) out << ", " << n_undecided << " undecided";
  if (n_waived) out << ", " << n_waived << " waived";
  out << ". Linted " << plural(r.inputs.size(), "input") << ": " << plural(resources, "resource") << ", "
      << plural(r.rules.size(), "rule") << ", " << plural(r.checks, "check") << ".\n\n";

  out << "| Severity | Findings | At or above `" << severity_name(r.fail_on) << "` |\n|---|--:|--:|\n";
  for (Severity s : kSeverities) out << "| " << severity_name(s) << " | " << shown[s] << " | " << counted[s] << " |\n";
  out << "\n";

  if (n_shown) {
    out << "### Findings\n\n| Severity | Rule | Address | Message | Location |\n|---|---|---|---|---|\n";
    size_t rows = 0;
    // Most severe first, so the rows kept are those that matter.
    for (const Finding* fp : by_severity(r)) {
      const Finding& f = *fp;
      if (f.waived) continue;
      if (rows++ == kMaxFindingRows) break;
      std::string sev = severity_name(f.severity);
      std::vector<const char*> tags;
      if (f.undecided) tags.push_back("undecided");
      if (f.baseline) tags.push_back("baseline");
      if (!f.baseline && !r.counts(f)) tags.push_back("does not fail");
      for (size_t t = 0; t < tags.size(); ++t) sev += std::string(t ? ", " : " (") + tags[t];
      if (!tags.empty()) sev += ")";
      std::string where = f.source_file.empty() ? f.input : f.source_file + ":" + std::to_string(f.source_line);
      if (f.source_file.empty() && !f.path.empty()) where += " \xE2\x86\x92 " + f.path;
      out << "| " << sev << " | " << text(f.rule->id) << " " << code(f.rule->name) << " | " << code(f.address) << " | "
          << text(f.message) << " | " << code(where) << " |\n";
    }
    if (n_shown > kMaxFindingRows)
      out << "\n" << n_shown - kMaxFindingRows << " more findings are in the full report (`--format json` or `sarif`).\n";
    out << "\n";
  }

  if (n_undecided) {
    out << "### Undecided\n\nThese could not be decided from the plan; `undecided` in `.tfwarden.toml` says whether they fail.\n\n";
    for (const Finding& f : r.findings)
      if (f.undecided && !f.waived)
        out << "- " << text(f.rule->id, false) << " " << code(f.address, false) << ": " << text(f.reason, false) << "\n";
    out << "\n";
  }

  // Controls with findings; the others the rules map to were checked and passed, and listing
  // them all would bury the ones that matter.
  std::map<std::string, std::map<std::string, std::pair<size_t, std::set<std::string>>, NaturalLess>> controls;
  for (const Finding& f : r.findings) {
    if (f.waived) continue;
    for (const auto& [fw, ids] : f.rule->compliance)
      for (const auto& id : ids) {
        auto& entry = controls[fw][id];
        ++entry.first;
        entry.second.insert(f.rule->id);
      }
  }
  std::set<std::pair<std::string, std::string>> mapped;
  for (const Rule* rule : r.rules)
    for (const auto& [fw, ids] : rule->compliance)
      for (const auto& id : ids) mapped.emplace(fw, id);
  size_t with_findings = 0;
  for (const auto& [fw, ids] : controls) with_findings += ids.size();
  if (!controls.empty()) {
    out << "### Compliance\n\n| Framework | Control | Findings | Rules |\n|---|---|--:|---|\n";
    for (const auto& [fw, ids] : controls)
      for (const auto& [id, entry] : ids) {
        std::string rules;
        for (const auto& rule : entry.second) rules += (rules.empty() ? "" : ", ") + text(rule);
        out << "| " << text(fw) << " | " << text(id) << " | " << entry.first << " | " << rules << " |\n";
      }
    out << "\n";
  }
  if (mapped.size() > with_findings)
    out << (controls.empty() ? "### Compliance\n\n" : "") << "No findings for "
        << (controls.empty() ? "any" : "the other " + std::to_string(mapped.size() - with_findings)) << " of the "
        << plural(mapped.size(), "compliance control") << " the rules map to.\n\n";

  if (!r.waivers.empty()) {
    out << "### Waivers\n\n| Status | Rule | Address | Reason | Approved by | Expires | Matched |\n"
           "|---|---|---|---|---|---|--:|\n";
    for (const WaiverInfo& w : r.waivers) {
      const char* status = w.expired ? "expired" : w.matched == 0 ? "stale" : "in force";
      out << "| " << status << " | " << text(w.rule) << " | " << code(w.address) << " | " << text(w.reason) << " | "
          << text(w.approved_by) << " | " << text(w.expires) << " | " << w.matched << " |\n";
    }
    out << "\n";
  }

  out << "### Inputs\n\n| Input | Kind | Terraform | Resources |\n|---|---|---|--:|\n";
  for (const InputInfo& in : r.inputs)
    out << "| " << code(in.name) << " | " << text(in.kind) << (in.errored ? " (errored)" : "") << " | "
        << text(in.terraform_version.empty() ? "unknown" : in.terraform_version) << " | " << in.resources << " |\n";
  bool notes = false;
  for (const InputInfo& in : r.inputs)
    for (const std::string& n : in.notes) {
      out << (notes ? "" : "\n") << "- " << code(in.name, false) << ": " << text(n, false) << "\n";
      notes = true;
    }
}

}  // namespace tfwarden
