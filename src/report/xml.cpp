#include "report/xml.h"

#include <algorithm>

#include "plan/printable.h"

namespace tfwarden {

std::string xml_escape(std::string_view raw) {
  // Most texts are printable ASCII with nothing to escape: they are copied as they are.
  bool plain = std::all_of(raw.begin(), raw.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
  });
  if (plain) return std::string(raw);
  std::string out;
  for (char c : displayable(raw)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace tfwarden
