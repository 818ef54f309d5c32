#pragma once

#include <string>
#include <string_view>

namespace tfwarden {

// `text` safe to print on a terminal: printable ASCII is kept, control characters become
// `\u00XX`, other characters `\uXXXX` (`\UXXXXXXXX` above U+FFFF) and bytes that are not
// UTF-8 `\xNN`. Backslashes are kept, so the result passes through again unchanged.
std::string printable(std::string_view text);

}  // namespace tfwarden
