#include "report/xml.h"

#include <algorithm>
#include <array>

#include "plan/printable.h"
#include "report/bytes.h"

namespace tfwarden {

namespace {

void append_escaped_char(std::string& out, char c) {
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

// Bytes xml_escape keeps as they are: printable ASCII but for the five it escapes.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7f; ++c) plain[c] = c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
  return plain;
}();

// True when none of the 8 bytes of `w` is escaped or made displayable.
bool plain_word(uint64_t w) {
  using namespace bytes;
  return (high(w) | below(w, 0x20) | equal(w, 0x7f) | equal(w, '&') | equal(w, '<') | equal(w, '>') | equal(w, '"') |
          equal(w, '\'')) == 0;
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view raw) {
  // Most texts are printable ASCII: scanned a word at a time and copied in runs, the five
  // specials escaped as they come; any other text is made displayable first.
  const size_t start = out.size(), n = raw.size();
  const auto* octets = reinterpret_cast<const unsigned char*>(raw.data());
  size_t run = 0, i = 0;
  while (i < n) {
    while (i + 8 <= n && plain_word(bytes::load(raw.data() + i))) i += 8;
    size_t end = std::min(n, i + 8);
    while (i < end && kPlain[octets[i]]) ++i;
    if (i == end) continue;
    if (octets[i] < 0x20 || octets[i] >= 0x7f) {
      out.resize(start);
      for (char d : displayable(raw)) append_escaped_char(out, d);
      return;
    }
    out.append(raw.data() + run, i - run);
    append_escaped_char(out, raw[i]);
    run = ++i;
  }
  out.append(raw.data() + run, n - run);
}

std::string xml_escape(std::string_view raw) {
  std::string out;
  append_xml_escaped(out, raw);
  return out;
}

}  // namespace tfwarden
