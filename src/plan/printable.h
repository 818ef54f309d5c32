#pragma once

#include <string>
#include <string_view>

namespace tfwarden {

// `text` safe to print on a terminal, for error lines: printable ASCII is kept, control
// characters become `\n`, `\r`, `\t` or `\u00XX`, other characters `\uXXXX` (`\UXXXXXXXX`
// above U+FFFF) and bytes that are not UTF-8 `\xNN`. Backslashes are kept, so the result
// passes through again unchanged.
std::string printable(std::string_view text);

// `text` safe to show in a report, where UTF-8 is welcome but nothing may start a line, move
// the cursor or colour the terminal. Characters are kept, except the ones escaped as
// printable() escapes them: control characters (C0, DEL, C1; a newline is `\n`), the line and
// paragraph separators, the bidirectional overrides and isolates (which make text read in
// another order) and the non-characters U+FFFE and U+FFFF (which XML cannot hold); bytes that
// are not UTF-8 become `\xNN`. Idempotent, and printable() output passes through unchanged.
std::string displayable(std::string_view text);

}  // namespace tfwarden
