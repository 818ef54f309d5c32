#include "report/xml.h"

#include "plan/printable.h"

namespace tfwarden {

std::string xml_escape(std::string_view raw) {
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
