#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/formats.h"
#include "report/xml.h"

namespace tfwarden {

namespace {

const char* checkstyle_severity(Level l) {
  switch (l) {
    case Level::Error:
      return "error";
    case Level::Warning:
      return "warning";
    case Level::Note:
      return "info";
  }
  return "info";
}

}  // namespace

// Checkstyle XML, as Checkstyle's XMLLogger writes it and as reviewdog, Jenkins and most CI
// servers read it: a <file> per file (the .tf file with --source-dir, else the plan), an
// <error> per finding with its line, severity (level_of: error, warning, info), message and
// `source` (tfwarden.RULE-ID). Waived and baseline findings are left out; an input that could
// not be read is an error on that file.
void write_checkstyle(const Report& r, std::ostream& out) {
  std::map<std::string, std::vector<std::pair<size_t, std::string>>> files;  // name -> (line, <error>)
  std::vector<std::string> order;
  auto add = [&](const std::string& file, size_t line, const std::string& element) {
    auto [it, inserted] = files.try_emplace(file);
    if (inserted) order.push_back(file);
    it->second.emplace_back(line, element);
  };
  for (const InputInfo& in : r.inputs) {
    std::string problem = input_problem(r, in);
    if (problem.empty()) continue;
    add(in.name, 1,
        "    <error line=\"1\" severity=\"error\" message=\"" + xml_escape(problem) +
            "\" source=\"tfwarden.input\"/>\n");
  }
  for (const Finding* f : by_severity(r)) {
    if (f->waived || f->baseline) continue;
    std::string message = f->message + " [" + f->address + (f->path.empty() ? "" : " -> " + f->path) + "]";
    if (f->undecided) message += " (undecided: " + f->reason + ")";
    const std::string& file = f->source_file.empty() ? f->input : f->source_file;
    size_t line = f->source_file.empty() || f->source_line == 0 ? 1 : f->source_line;
    add(file, line,
        "    <error line=\"" + std::to_string(line) + "\" severity=\"" + checkstyle_severity(level_of(r, *f)) +
            "\" message=\"" + xml_escape(message) + "\" source=\"tfwarden." + xml_escape(f->rule->id) + "\"/>\n");
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  // Files in the order of their most severe finding; in a file, errors by line (most severe
  // first on one line), as Checkstyle writes them.
  for (const std::string& name : order) {
    auto& errors = files[name];
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    out << "  <file name=\"" << xml_escape(name) << "\">\n";
    for (const auto& e : errors) out << e.second;
    out << "  </file>\n";
  }
  out << "</checkstyle>\n";
}

}  // namespace tfwarden
