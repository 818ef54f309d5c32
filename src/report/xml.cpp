#include "report/xml.h"

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

// True when none of the 16 bytes of `b` is escaped or made displayable.
bool plain_block(bytes::Block b) {
  return !bytes::any((b < 0x20) | (b >= 0x7f) | (b == '&') | (b == '<') | (b == '>') | (b == '"') | (b == '\''));
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view raw) {
  // Most texts are printable ASCII: scanned 16 bytes at a time and copied in runs, the five
  // specials escaped as they come; any other text is made displayable first.
  const size_t start = out.size(), n = raw.size();
  auto plain_byte = [](unsigned char c) { return kPlain[c]; };
  size_t run = 0;  // the start of the bytes not yet copied
  for (size_t i = 0; (i = bytes::skip_plain(raw, i, plain_block, plain_byte)) < n; run = ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x20 || c >= 0x7f) {
      out.resize(start);
      for (char d : displayable(raw)) append_escaped_char(out, d);
      return;
    }
    out.append(raw.data() + run, i - run);
    append_escaped_char(out, raw[i]);
  }
  out.append(raw.data() + run, n - run);
}

std::string xml_escape(std::string_view raw) {
  std::string out;
  append_xml_escaped(out, raw);
  return out;
}

}  // namespace tfwarden
