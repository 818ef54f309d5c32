#include <string_view>
#include <utility>
#include <vector>

#include "plan/printable.h"
#include "report/formats.h"

namespace tfwarden {

namespace {

// The escaping of @actions/core's toCommandValue/escapeData: without it a newline in a
// message would end the command and start whatever the rest of the line says. The text is
// made displayable first, so no control character, escape sequence or invalid UTF-8 reaches
// the log either (a newline shows as `\n`).
std::string escape_data(std::string_view raw) {
  std::string out;
  for (char c : displayable(raw)) {
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
std::string escape_property(std::string_view raw) {
  std::string out;
  for (char c : displayable(raw)) {
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

const char* command(Level l) {
  return l == Level::Note ? "notice" : level_name(l);
}

std::string count_of(size_t n, const char* kind) {
  return std::to_string(n) + " " + kind + (n == 1 ? "" : "s");
}

}  // namespace

// Inputs that could not be read come first and are never left out. Then one annotation per
// finding, most severe first. Waived findings and those already in the baseline are left out:
// accepted or known findings would crowd out the new ones.
//
// GitHub shows only the first 10 error, 10 warning and 10 notice annotations of a step, so at
// most `max_annotations` of each kind are written (failed inputs take error places), and one
// notice, within its kind's places, counts what was left out.
void write_github(const Report& r, std::ostream& out) {
  size_t failed = 0;
  for (const InputInfo& in : r.inputs) {
    if (in.error.empty()) continue;
    ++failed;
    out << "::error file=" << escape_property(in.name) << ",title=" << escape_property("tfwarden: input not read")
        << "::" << escape_data(in.name + ": " + in.error) << "\n";
  }
  for (const InputInfo& in : r.inputs) {
    if (!in.errored) continue;
    if (r.errored_fails) ++failed;
    out << "::" << (r.errored_fails ? "error" : "warning") << " file=" << escape_property(in.name)
        << ",title=" << escape_property("tfwarden: plan incomplete") << "::"
        << escape_data(in.name +
                       ": the plan is marked errored (terraform could not finish planning); the findings "
                       "are those of the part it planned")
        << "\n";
  }

  std::vector<std::pair<Level, const Finding*>> shown;
  size_t total[3] = {};
  for (const Finding* f : by_severity(r)) {
    if (f->waived || f->baseline) continue;
    Level l = level_of(r, *f);
    shown.emplace_back(l, f);
    ++total[static_cast<int>(l)];
  }
  const size_t n = r.max_annotations;
  const size_t unlimited = static_cast<size_t>(-1);
  size_t room[3] = {unlimited, unlimited, unlimited};
  if (n > 0) {
    bool capped = total[2] + failed > n || total[1] > n || total[0] > n;
    room[2] = n > failed ? n - failed : 0;
    room[1] = n;
    room[0] = capped ? n - 1 : n;
  }
  size_t left[3] = {};
  for (const auto& [level, f] : shown) {
    int k = static_cast<int>(level);
    if (room[k] == 0) {
      ++left[k];
      continue;
    }
    if (room[k] != unlimited) --room[k];
    std::string file = f->source_file.empty() ? f->input : f->source_file;
    out << "::" << command(level) << " file=" << escape_property(file);
    if (!f->source_file.empty() && f->source_line > 0) out << ",line=" << f->source_line;
    out << ",title=" << escape_property(f->rule->id + " " + f->rule->name) << "::";
    std::string message = f->message + " (" + f->address + ")";
    if (f->undecided) message += "; undecided: " + f->reason;
    if (!r.counts(*f)) message += "; does not fail the run";
    out << escape_data(message) << "\n";
  }

  if (left[0] + left[1] + left[2] == 0) return;
  std::vector<std::string> parts;
  if (left[2]) parts.push_back(count_of(left[2], "error"));
  if (left[1]) parts.push_back(count_of(left[1], "warning"));
  if (left[0]) parts.push_back(count_of(left[0], "notice"));
  std::string list = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) list += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
  std::string message = list + " not annotated (at most " + std::to_string(n) +
                        " of each kind, --max-annotations; GitHub shows 10 per step); the rest are in the job "
                        "summary (--format markdown) and the SARIF report (--format sarif)";
  out << "::notice title=" << escape_property("tfwarden: annotations left out") << "::" << escape_data(message) << "\n";
}

}  // namespace tfwarden
