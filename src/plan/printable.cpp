#include "plan/printable.h"

#include <cstdio>

#include "plan/encoding.h"

namespace tfwarden {

std::string printable(std::string_view text) {
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
      ++i;
    } else {
      std::snprintf(buf, sizeof buf, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", static_cast<unsigned>(cp));
      i += n;
    }
    out += buf;
  }
  return out;
}

}  // namespace tfwarden
