#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "plan/encoding.h"
#include "plan/printable.h"
#include "report/formats.h"

namespace tfwarden {

namespace {

// GitHub refuses a step summary over 1 MiB (1,048,576 bytes). Every list is capped, every
// value clipped, and the byte budget, below the limit, is the safety net for what is left.
constexpr size_t kMaxBytes = 1000000;
constexpr size_t kMaxFindingRows = 500;
constexpr size_t kMaxListItems = 100;  // undecided, waivers, inputs, notes, unreadable inputs
constexpr size_t kMaxControlRows = 200;
constexpr size_t kMaxCellRules = 20;
constexpr size_t kMaxValueBytes = 1000;  // one message, address, reason or file

// A value made displayable and cut to kMaxValueBytes, on a UTF-8 character boundary.
std::string clip(std::string_view s) {
  std::string d = displayable(s);
  if (d.size() <= kMaxValueBytes) return d;
  return std::string(utf8_prefix(d, kMaxValueBytes)) + "\xE2\x80\xA6";
}

// The summary being written, in whole lines. A line that would take it past the budget ends
// it: what is open (a table, a <details>) is closed and a note says it was cut, in bytes kept
// for them from the start.
class Summary {
 public:
  void add(std::string_view lines) {
    if (full_) return;
    if (out_.size() + lines.size() + reserved_ > kMaxBytes) {
      full_ = true;
      return;
    }
    out_.append(lines);
  }
  // Opens a block that `closer` ends.
  void open(std::string_view lines, std::string closer) {
    if (full_) return;
    if (out_.size() + lines.size() + closer.size() + reserved_ > kMaxBytes) {
      full_ = true;
      return;
    }
    out_.append(lines);
    reserved_ += closer.size();
    closers_.push_back(std::move(closer));
  }
  void close() {
    if (full_) return;
    out_ += closers_.back();
    reserved_ -= closers_.back().size();
    closers_.pop_back();
  }
  std::string finish() {
    if (full_) {
      for (auto it = closers_.rbegin(); it != closers_.rend(); ++it) out_ += *it;
      out_ += kCutNote;
    }
    return std::move(out_);
  }

 private:
  static constexpr std::string_view kCutNote =
      "\n**This summary was cut short at GitHub's 1 MiB limit.** The SARIF report (`--format sarif`) and "
      "`--format json` hold every finding.\n";
  std::string out_;
  std::vector<std::string> closers_;
  size_t reserved_ = kCutNote.size();
  bool full_ = false;
};

// "… and 3 more findings", after a capped list.
std::string more(size_t n, const char* what) {
  return "\xE2\x80\xA6 and " + std::to_string(n) + " more " + what;
}

// Within a table a pipe ends the cell even inside a code span, so it is escaped everywhere.
// `s` is displayable: it holds no line break that would end the row.
void code_text(std::string_view s, bool table, std::string& out) {
  for (char c : s) {
    if (c == '|' && table)
      out += "\\|";
    else out.push_back(c);
  }
}

// A value shown verbatim (an address, a file), as a code span whose fence is longer than
// any backtick run inside it.
std::string code(std::string_view raw, bool table = true) {
  std::string d = displayable(raw);
  std::string_view s = d;
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
std::string text(std::string_view raw, bool table = true) {
  std::string d = displayable(raw);
  std::string_view s = d;
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
    if (c == '<')
      out += "&lt;";
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
  size_t n_failed = 0;
  for (const auto& in : r.inputs)
    if (!in.error.empty()) ++n_failed;
  // Most severe first, so a capped table keeps what matters.
  std::vector<const Finding*> ordered;
  for (const Finding* f : by_severity(r))
    if (!f->waived) ordered.push_back(f);

  Summary md;
  std::string head = std::string("## tfwarden: ") + (n_failed ? "error" : n_counted ? "failed" : "passed") + "\n\n";
  head +=
      plural(n_shown, "finding") + ", " + std::to_string(n_counted) + " at or above `" + severity_name(r.fail_on) + "`";
  if (n_undecided) head += ", " + std::to_string(n_undecided) + " undecided";
  if (n_waived) head += ", " + std::to_string(n_waived) + " waived";
  head += ". Linted " + plural(r.inputs.size(), "input");
  if (n_failed) head += " (" + std::to_string(n_failed) + " could not be read)";
  head += ": " + counts_text(total_counts(r)) + ", " + plural(r.rules.size(), "rule") + ", " +
          plural(r.checks, "check") + ".\n\n";
  md.add(head);

  md.open("| Severity | Findings | At or above `" + std::string(severity_name(r.fail_on)) + "` |\n|---|--:|--:|\n",
          "\n");
  for (Severity s : kSeverities)
    md.add("| " + std::string(severity_name(s)) + " | " + std::to_string(shown[s]) + " | " +
           std::to_string(counted[s]) + " |\n");
  md.close();

  if (n_failed) {
    md.add("### Could not be read\n\nThese inputs were not linted; the run exits 2.\n\n");
    size_t items = 0;
    for (const InputInfo& in : r.inputs) {
      if (in.error.empty() || items++ >= kMaxListItems) continue;
      md.add("- " + code(clip(in.name), false) + ": " + text(clip(in.error), false) + "\n");
    }
    if (n_failed > kMaxListItems) md.add("- " + more(n_failed - kMaxListItems, "inputs") + "\n");
    md.add("\n");
  }

  if (n_shown) {
    md.add("### Findings\n\n");
    md.open("| Severity | Rule | Address | Message | Location |\n|---|---|---|---|---|\n", "\n");
    for (size_t i = 0; i < ordered.size() && i < kMaxFindingRows; ++i) {
      const Finding& f = *ordered[i];
      std::string sev = severity_name(f.severity);
      std::vector<const char*> tags;
      if (f.undecided) tags.push_back("undecided");
      if (f.baseline) tags.push_back("baseline");
      if (!f.baseline && !r.counts(f)) tags.push_back("does not fail");
      for (size_t t = 0; t < tags.size(); ++t) sev += std::string(t ? ", " : " (") + tags[t];
      if (!tags.empty()) sev += ")";
      std::string where = f.source_file.empty() ? f.input : f.source_file + ":" + std::to_string(f.source_line);
      if (f.source_file.empty() && !f.path.empty()) where += " \xE2\x86\x92 " + f.path;
      md.add("| " + sev + " | " + text(f.rule->id) + " " + code(f.rule->name) + " | " + code(clip(f.address)) + " | " +
             text(clip(f.message)) + " | " + code(clip(where)) + " |\n");
    }
    md.close();
    if (n_shown > kMaxFindingRows)
      md.add(more(n_shown - kMaxFindingRows, "findings, less severe") +
             "; the SARIF report (`--format sarif`) and `--format json` list them all.\n\n");
  }

  if (n_undecided) {
    md.add(
        "### Undecided\n\nThese could not be decided from the plan; `undecided` in `.tfwarden.toml` says whether "
        "they fail.\n\n");
    size_t items = 0;
    for (const Finding* f : ordered) {
      if (!f->undecided || items++ >= kMaxListItems) continue;
      md.add("- " + text(f->rule->id, false) + " " + code(clip(f->address), false) + " in " +
             code(clip(f->input), false) + ": " + text(clip(f->reason), false) + "\n");
    }
    if (n_undecided > kMaxListItems) md.add("- " + more(n_undecided - kMaxListItems, "undecided findings") + "\n");
    md.add("\n");
  }

  // Controls with findings; the others the rules map to were checked and passed, and listing
  // them all would bury the ones that matter.
  std::map<std::string, std::map<std::string, std::pair<size_t, std::set<std::string>>, NaturalLess>> controls;
  // Counted per rule and type first: a findings-heavy estate has few of those.
  std::map<std::pair<const Rule*, std::string_view>, std::pair<const Finding*, size_t>> by_rule_type;
  for (const Finding& f : r.findings) {
    if (f.waived) continue;
    auto& [first, n] = by_rule_type[{f.rule, f.type}];
    if (!first) first = &f;
    ++n;
  }
  ComplianceOf compliance_of;
  for (const auto& [key, seen] : by_rule_type)
    for (const auto& [fw, ids] : compliance_of(*seen.first))
      for (const auto& id : ids) {
        auto& entry = controls[fw][id];
        entry.first += seen.second;
        entry.second.insert(key.first->id);
      }
  std::set<std::pair<std::string, std::string>> mapped;
  for (const Rule* rule : r.rules)
    for (const auto& [fw, ids] : rule->all_compliance())
      for (const auto& id : ids) mapped.emplace(fw, id);
  size_t with_findings = 0;
  for (const auto& [fw, ids] : controls) with_findings += ids.size();
  if (!controls.empty()) {
    md.add("### Compliance\n\n");
    md.open("| Framework | Control | Findings | Rules |\n|---|---|--:|---|\n", "\n");
    size_t rows = 0;
    for (const auto& [fw, ids] : controls)
      for (const auto& [id, entry] : ids) {
        if (rows++ >= kMaxControlRows) continue;
        std::string rules;
        size_t n = 0;
        for (const auto& rule : entry.second)
          if (n++ < kMaxCellRules) rules += (rules.empty() ? "" : ", ") + text(rule);
        if (n > kMaxCellRules) rules += " and " + std::to_string(n - kMaxCellRules) + " more";
        md.add("| " + text(clip(fw)) + " | " + text(clip(id)) + " | " + std::to_string(entry.first) + " | " + rules +
               " |\n");
      }
    md.close();
    if (with_findings > kMaxControlRows)
      md.add(more(with_findings - kMaxControlRows, "controls with findings") + "\n\n");
  }
  if (mapped.size() > with_findings)
    md.add((controls.empty() ? "### Compliance\n\n" : "") + std::string("No findings for ") +
           (controls.empty() ? "any" : "the other " + std::to_string(mapped.size() - with_findings)) + " of the " +
           plural(mapped.size(), "compliance control") + " the rules map to.\n\n");

  if (!r.waivers.empty()) {
    md.add("### Waivers\n\n");
    md.open("| Status | Rule | Address | Reason | Approved by | Expires | Matched |\n|---|---|---|---|---|---|--:|\n",
            "\n");
    for (size_t i = 0; i < r.waivers.size() && i < kMaxListItems; ++i) {
      const WaiverInfo& w = r.waivers[i];
      std::string status = w.status();
      if (status == "active")
        status = "in force";
      else if (status == "rule-not-run")
        status = "rule did not run";
      else if (status == "no-matching-resource")
        status = "no matching resource";
      md.add("| " + status + " | " + text(clip(w.rule)) + " | " + code(clip(w.address)) + " | " + text(clip(w.reason)) +
             " | " + text(clip(w.approved_by)) + " | " + text(clip(w.expires)) + " | " + std::to_string(w.matched) +
             " |\n");
    }
    md.close();
    if (r.waivers.size() > kMaxListItems) md.add(more(r.waivers.size() - kMaxListItems, "waivers") + "\n\n");
  }

  // Many inputs (an audit) fold away: the findings above are what a reader came for.
  bool fold = r.inputs.size() > 20;
  if (fold)
    md.open("<details><summary>Inputs (" + std::to_string(r.inputs.size()) + ")</summary>\n\n", "\n</details>\n");
  else
    md.add("### Inputs\n\n");
  md.open("| Input | Kind | Terraform | Resources |\n|---|---|---|--:|\n", "");
  for (size_t i = 0; i < r.inputs.size() && i < kMaxListItems; ++i) {
    const InputInfo& in = r.inputs[i];
    md.add("| " + code(clip(in.name)) + " | " + text(in.kind) + (in.errored ? " (errored)" : "") + " | " +
           text(clip(in.terraform_version.empty() ? "unknown" : in.terraform_version)) + " | " +
           std::to_string(in.counts.resources) + " |\n");
  }
  md.close();
  if (r.inputs.size() > kMaxListItems) md.add("\n" + more(r.inputs.size() - kMaxListItems, "inputs") + "\n");
  size_t notes = 0;
  for (const InputInfo& in : r.inputs)
    for (const std::string& n : in.notes) {
      if (notes < kMaxListItems)
        md.add((notes ? "" : "\n") + std::string("- ") + code(clip(in.name), false) + ": " + text(clip(n), false) +
               "\n");
      ++notes;
    }
  if (notes > kMaxListItems) md.add("- " + more(notes - kMaxListItems, "notes") + "\n");
  if (fold) md.close();
  out << md.finish();
}

}  // namespace tfwarden
