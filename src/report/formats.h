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

// Renders a report in a format. `inputs` are the input paths as given (SARIF artifacts).
std::string render_format(const std::string& format, const Report& report, bool color, bool quiet,
                          const std::vector<std::string>& inputs);

void write_sarif(const Report& r, std::ostream& out);
void write_junit(const Report& r, std::ostream& out);
void write_github(const Report& r, std::ostream& out);
void write_markdown(const Report& r, std::ostream& out);
void write_gitlab(const Report& r, std::ostream& out);
void write_checkstyle(const Report& r, std::ostream& out);

}  // namespace tfwarden
