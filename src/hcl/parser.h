#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hcl/syntax.h"

namespace tfwarden::hcl {

// Expressions, templates and blocks nested deeper than this are a syntax error, which bounds
// the recursion on hostile input (real configurations nest a few levels).
constexpr int kMaxNesting = 128;

// Parses a file of HCL's native syntax (a `.tf` file). Never throws. A syntax error is
// recorded in `File::errors` and drops the attribute or block item it is in; reading goes on
// with the next item of the same body, so one mistake does not hide the rest of the file.
// A UTF-8 byte order mark is skipped; `\r\n` line ends are accepted.
File parse(std::string_view text, std::string path);

// Parses a whole text as a template (a `templatefile()` file; a string of the JSON syntax),
// lines counted from `first_line`. Null, with the errors appended, when it does not parse.
ExprPtr parse_template(std::string_view text, std::string path, std::vector<Diagnostic>& errors,
                       uint32_t first_line = 1);

}  // namespace tfwarden::hcl
