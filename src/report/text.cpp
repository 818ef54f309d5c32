#include <map>

#include "plan/printable.h"
#include "report/report.h"

namespace tfwarden {

namespace {

struct Colors {
  bool on;
  const char* sev(Severity s) const {
    if (!on) return "";
    switch (s) {
      case Severity::Critical: return "\x1b[1;35m";
      case Severity::High: return "\x1b[1;31m";
      case Severity::Medium: return "\x1b[1;33m";
      case Severity::Low: return "\x1b[1;34m";
      case Severity::Info: return "\x1b[1;36m";
    }
    return "";
  }
  const char* bold() const { return on ? "\x1b[1m" : ""; }
  const char* dim() const { return on ? "\x1b[2m" : ""; }
  const char* green() const { return on ? "\x1b[1;32m" : ""; }
  const char* reset() const { return on ? "\x1b[0m" : ""; }
};

}  // namespace

// Every string from an input, the configuration or a rule pack goes through displayable(), so
// none can start a line or write an escape sequence; the colour codes are tfwarden's own.
void write_text(const Report& r, std::ostream& out, bool color, bool quiet) {
  Colors c{color};
  auto d = [](std::string_view s) { return displayable(s); };
  for (const auto& in : r.inputs)
    for (const auto& n : in.notes) out << c.dim() << "note: " << d(in.name) << ": " << d(n) << c.reset() << "\n";
  if (!r.inputs.empty() && !r.findings.empty()) {
    bool any_notes = false;
    for (const auto& in : r.inputs) any_notes |= !in.notes.empty();
    if (any_notes) out << "\n";
  }
  for (const Finding& f : r.findings) {
    if (quiet && !r.counts(f)) continue;
    out << c.sev(f.severity) << severity_name(f.severity) << "[" << d(f.rule->id) << "]" << c.reset();
    if (f.undecided) out << " (undecided)";
    if (f.waived) out << " (waived)";
    if (f.baseline) out << " (in baseline)";
    if (!f.waived && !f.baseline && !r.counts(f)) out << " (does not fail the run)";
    out << ": " << c.bold() << d(f.message) << c.reset() << "\n";
    out << "  " << c.dim() << "-->" << c.reset() << " ";
    if (!f.source_file.empty())
      out << d(f.source_file) << ":" << f.source_line;
    else
      out << d(f.input);
    // A finding about the configuration (a waiver) has no resource: its line is the location.
    if (!f.address.empty()) {
      out << ": " << d(f.address);
      if (!f.path.empty()) out << " \xE2\x86\x92 " << d(f.path);
    }
    out << "\n";
    if (f.undecided) out << "  = reason: " << d(f.reason) << "\n";
    if (f.waived)
      out << "  = waived: " << d(f.waiver_reason) << " (approved by " << d(f.waiver_approver) << ", expires "
          << d(f.waiver_expires) << ")\n";
    out << "  = help: " << d(remediation_summary(f.rule->remediation)) << "\n";
    out << "  = see: tfwarden explain " << d(f.rule->id);
    if (!f.rule->references.empty()) out << ", " << d(f.rule->references.front());
    out << "\n\n";
  }
  // Inputs that could not be read, then the summary line.
  size_t failed = 0;
  for (const auto& in : r.inputs) {
    if (in.error.empty()) continue;
    ++failed;
    out << c.sev(Severity::High) << "error" << c.reset() << ": " << d(in.name) << ": " << d(in.error) << "\n";
  }
  std::map<Severity, size_t, std::greater<>> by_sev;
  size_t counted = 0, undecided = 0, waived = 0;
  for (const Finding& f : r.findings) {
    if (f.waived) ++waived;
    else if (f.undecided) ++undecided;
    if (r.counts(f)) ++counted;
    if (!f.waived) ++by_sev[f.severity];
  }
  size_t shown = r.findings.size() - waived;
  if (shown == 0) {
    out << c.green() << "no findings" << c.reset();
  } else {
    out << c.bold() << shown << " finding" << (shown == 1 ? "" : "s") << c.reset() << " (";
    bool first = true;
    for (auto [s, n] : by_sev) {
      out << (first ? "" : ", ") << n << " " << severity_name(s);
      first = false;
    }
    out << ")";
    if (undecided) out << ", " << undecided << " undecided";
  }
  if (waived) out << ", " << waived << " waived";
  out << " in " << r.inputs.size() << " input" << (r.inputs.size() == 1 ? "" : "s");
  if (failed) out << " (" << failed << " could not be read)";
  out << ": " << counts_text(total_counts(r)) << ", " << r.rules.size() << " rule" << (r.rules.size() == 1 ? "" : "s")
      << ", " << r.checks << " check" << (r.checks == 1 ? "" : "s");
  if (counted) out << "; " << counted << " at or above " << severity_name(r.fail_on);
  out << "\n";
}

}  // namespace tfwarden
