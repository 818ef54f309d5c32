#include "report/formats.h"

#include <algorithm>
#include <sstream>

namespace tfwarden {

namespace {

const std::vector<std::string> kFormats = {"text",   "json",     "sarif",  "junit",
                                           "github", "markdown", "gitlab", "checkstyle"};

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

const std::vector<std::string>& format_names() {
  return kFormats;
}

bool parse_format_specs(const std::vector<std::string>& formats, const std::string& output,
                        std::vector<FormatSpec>& out, std::string& error) {
  for (const auto& f : formats) {
    FormatSpec s;
    auto eq = f.find('=');
    s.format = f.substr(0, eq);
    if (eq != std::string::npos) {
      s.file = f.substr(eq + 1);
      if (s.file.empty()) {
        error = "--format " + f + ": no file after `=`";
        return false;
      }
    }
    if (std::find(kFormats.begin(), kFormats.end(), s.format) == kFormats.end()) {
      std::string hint = did_you_mean(s.format, kFormats);
      error = "unknown format `" + s.format + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)") +
              "; formats: " + join_names(kFormats);
      return false;
    }
    out.push_back(s);
  }
  if (out.empty()) out.push_back({"text", ""});
  if (!output.empty()) {
    auto it = std::find_if(out.begin(), out.end(), [](const FormatSpec& s) { return s.file.empty(); });
    if (it == out.end()) {
      error = "--output names a file, but every --format already has one";
      return false;
    }
    it->file = output;
  }
  size_t to_stdout = std::count_if(out.begin(), out.end(), [](const FormatSpec& s) { return s.file.empty(); });
  if (to_stdout > 1) {
    error = "several formats would go to stdout; give all but one a file (`--format sarif=out.sarif`)";
    return false;
  }
  return true;
}

void write_format(const std::string& format, const Report& report, bool color, bool quiet, std::ostream& out) {
  if (format == "text")
    write_text(report, out, color, quiet);
  else if (format == "json")
    write_json(report, out);
  else if (format == "sarif")
    write_sarif(report, out);
  else if (format == "junit")
    write_junit(report, out);
  else if (format == "github")
    write_github(report, out);
  else if (format == "gitlab")
    write_gitlab(report, out);
  else if (format == "checkstyle")
    write_checkstyle(report, out);
  else
    write_markdown(report, out);
}

std::string render_format(const std::string& format, const Report& report, bool color, bool quiet) {
  std::ostringstream ss;
  write_format(format, report, color, quiet, ss);
  return std::move(ss).str();  // C++20: the buffer itself, not a copy
}

}  // namespace tfwarden
