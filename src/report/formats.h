#pragma once

#include <string>
#include <vector>

#include "report/report.h"

namespace tfwarden {

// One requested output: a format and the file it goes to ("" = stdout).
struct FormatSpec {
  std::string format;
  std::string file;
};

// The names `--format` takes, in the order the help lists them.
const std::vector<std::string>& format_names();

// Parses `--format` values (`text`, `sarif=out.sarif`) and `--output`. At most one format
// may go to stdout. Defaults to text on stdout.
bool parse_format_specs(const std::vector<std::string>& formats, const std::string& output,
                        std::vector<FormatSpec>& out, std::string& error);

// Writes a report in a format to `out`, as it goes.
void write_format(const std::string& format, const Report& report, bool color, bool quiet, std::ostream& out);
// The same, as a string.
std::string render_format(const std::string& format, const Report& report, bool color, bool quiet);

void write_sarif(const Report& r, std::ostream& out);
void write_junit(const Report& r, std::ostream& out);
void write_github(const Report& r, std::ostream& out);
void write_markdown(const Report& r, std::ostream& out);
void write_gitlab(const Report& r, std::ostream& out);
void write_checkstyle(const Report& r, std::ostream& out);

}  // namespace tfwarden
