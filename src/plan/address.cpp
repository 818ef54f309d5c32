#include "plan/address.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace tfwarden {

std::optional<std::vector<TraversalStep>> split_traversal(std::string_view s) {
  std::vector<TraversalStep> steps;
  size_t i = 0;
  while (i < s.size()) {
    TraversalStep step;
    size_t start = i;
    while (i < s.size() && s[i] != '.' && s[i] != '[') ++i;
    step.name.assign(s.substr(start, i - start));
    if (step.name.empty()) return std::nullopt;
    if (i < s.size() && s[i] == '[') {
      size_t kstart = i + 1;
      ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
          if (s[i] == '\\') ++i;
          ++i;
        }
        if (i >= s.size()) return std::nullopt;
        ++i;
      } else {
        while (i < s.size() && s[i] != ']') ++i;
      }
      if (i >= s.size() || s[i] != ']') return std::nullopt;
      step.key.assign(s.substr(kstart, i - kstart));
      step.has_key = true;
      ++i;
      // A splat or a second index (`a[0][1]`) is kept in the key form but only the first counts.
      while (i < s.size() && s[i] == '[') {
        while (i < s.size() && s[i] != ']') ++i;
        if (i < s.size()) ++i;
      }
    }
    steps.push_back(std::move(step));
    if (i < s.size()) {
      if (s[i] != '.') return std::nullopt;
      ++i;
      if (i == s.size()) return std::nullopt;
    }
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

std::string strip_instance_keys(std::string_view a) {
  std::string out;
  out.reserve(a.size());
  size_t i = 0;
  while (i < a.size()) {
    if (a[i] == '[') {
      ++i;
      bool quoted = false;
      while (i < a.size()) {
        if (a[i] == '"') quoted = !quoted;
        else if (a[i] == '\\' && quoted) ++i;
        else if (a[i] == ']' && !quoted) break;
        ++i;
      }
      ++i;
      continue;
    }
    out.push_back(a[i]);
    ++i;
  }
  return out;
}

namespace {

// Whether Go's unicode.IsPrint is false for code point `c` (outside ASCII): the C1 controls,
// spaces other than U+0020, line and paragraph separators, format characters and private use.
// Unassigned code points are not listed: Terraform escapes them, and such a key is matched by
// the address Terraform wrote, not by this form.
bool go_not_printable(uint32_t c) {
  static constexpr std::pair<uint32_t, uint32_t> kRanges[] = {
      {0x80, 0xa0},       {0xad, 0xad},       {0x600, 0x605},     {0x61c, 0x61c},     {0x6dd, 0x6dd},
      {0x70f, 0x70f},     {0x1680, 0x1680},   {0x180e, 0x180e},   {0x2000, 0x200f},   {0x2028, 0x202f},
      {0x205f, 0x2064},   {0x2066, 0x206f},   {0x3000, 0x3000},   {0xd800, 0xf8ff},   {0xfeff, 0xfeff},
      {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
      {0xf0000, 0x10ffff}};
  for (auto [lo, hi] : kRanges)
    if (c >= lo && c <= hi) return true;
  return false;
}

// The code point of the UTF-8 sequence at `s[i]` and its length; nullopt when it is not one.
std::optional<std::pair<uint32_t, size_t>> decode_utf8(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return std::nullopt;
  uint32_t c = b & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    auto t = static_cast<unsigned char>(s[i + k]);
    if ((t & 0xc0) != 0x80) return std::nullopt;
    c = (c << 6) | (t & 0x3f);
  }
  return std::pair{c, n};
}

void append_hex(std::string& out, uint32_t c, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back(kHex[(c >> shift) & 0xf]);
}

}  // namespace

std::string index_key_repr(std::string_view text, bool is_string) {
  if (!is_string) return std::string(text);
  // As Terraform writes a string key in an address (addrs.StringKey): HCL's quoted-string
  // escapes, `${` and `%{` doubled, characters Go cannot print as a `u` escape of 4 hex digits
  // (or `U` and 8 digits).
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '$':
      case '%':
        out.push_back(c);
        if (i + 1 < text.size() && text[i + 1] == '{') out.push_back(c);
        continue;
      default:
        break;
    }
    if (u < 0x20 || u == 0x7f) {
      out += "\\u";
      append_hex(out, u, 4);
    } else if (auto cp = u >= 0x80 ? decode_utf8(text, i) : std::nullopt; cp && go_not_printable(cp->first)) {
      uint32_t code = cp->first;
      out += code < 0x10000 ? "\\u" : "\\U";
      append_hex(out, code, code < 0x10000 ? 4 : 8);
      i += cp->second - 1;
    } else {
      // ASCII, a printable character (copied byte by byte), or not UTF-8 (kept as it is: the
      // loader has refused such input already).
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace tfwarden
