#include "plan/printable.h"

#include <cstdio>

#include "plan/encoding.h"

namespace tfwarden {

namespace {

// Characters no report shows as such: controls, line breaks of other kinds, the bidirectional
// overrides and isolates, and the two code points XML cannot hold.
bool hidden(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFFFE || cp == 0xFFFF;
}

std::string escape(std::string_view text, bool keep_non_ascii) {
  std::string out;
  out.reserve(text.size());
  char buf[16];
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    char32_t cp;
    size_t n = utf8_sequence_at(text, i, cp);
    if (n == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      out += buf;
      ++i;
      continue;
    }
    if (keep_non_ascii && !hidden(cp))
      out.append(text.substr(i, n));
    else if (cp == '\n')
      out += "\\n";
    else if (cp == '\r')
      out += "\\r";
    else if (cp == '\t')
      out += "\\t";
    else {
      std::snprintf(buf, sizeof buf, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string printable(std::string_view text) {
  return escape(text, false);
}

std::string displayable(std::string_view text) {
  return escape(text, true);
}

}  // namespace tfwarden
