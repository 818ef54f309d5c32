#include <string_view>

#include "report/formats.h"

namespace tfwarden {

namespace {

// The escaping of @actions/core's toCommandValue/escapeData: without it a newline in a
// message would end the command and start whatever the rest of the line says.
std::string escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// escapeProperty: a property value also must not end the property list (`,`) or the
// properties (`::`).
std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

const char* command(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: return "notice";
  }
  return "notice";
}

}  // namespace

// One annotation per finding. Waived findings and those already in the baseline are left
// out: GitHub shows only the first ten annotations of each kind per step, and accepted or
// known findings would crowd out the new ones.
void write_github(const Report& r, std::ostream& out) {
  for (const Finding& f : r.findings) {
    if (f.waived || f.baseline) continue;
    std::string file = f.source_file.empty() ? f.input : f.source_file;
    out << "::" << command(f.severity) << " file=" << escape_property(file);
    if (!f.source_file.empty() && f.source_line > 0) out << ",line=" << f.source_line;
    out << ",title=" << escape_property(f.rule->id + " " + f.rule->name) << "::";
    std::string message = f.message + " (" + f.address + ")";
    if (f.undecided) message += "; undecided: " + f.reason;
    out << escape_data(message) << "\n";
  }
}

}  // namespace tfwarden
