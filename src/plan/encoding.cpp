#include "plan/encoding.h"

#include <cstdint>
#include <cstdio>

namespace tfwarden {

const char* encoding_name(TextEncoding e) {
  switch (e) {
    case TextEncoding::Utf8:
      return "UTF-8";
    case TextEncoding::Utf16LE:
      return "UTF-16LE";
    case TextEncoding::Utf16BE:
      return "UTF-16BE";
    case TextEncoding::Utf32LE:
      return "UTF-32LE";
    case TextEncoding::Utf32BE:
      return "UTF-32BE";
  }
  return "UTF-8";
}

DetectedEncoding detect_encoding(std::string_view bytes) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  size_t n = bytes.size();
  if (n >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return {TextEncoding::Utf8, 3};
  // UTF-32LE's mark starts with UTF-16LE's: test it first (JSON text never holds a NUL).
  if (n >= 4 && b(0) == 0xFF && b(1) == 0xFE && b(2) == 0 && b(3) == 0) return {TextEncoding::Utf32LE, 4};
  if (n >= 4 && b(0) == 0 && b(1) == 0 && b(2) == 0xFE && b(3) == 0xFF) return {TextEncoding::Utf32BE, 4};
  if (n >= 2 && b(0) == 0xFF && b(1) == 0xFE) return {TextEncoding::Utf16LE, 2};
  if (n >= 2 && b(0) == 0xFE && b(1) == 0xFF) return {TextEncoding::Utf16BE, 2};
  if (n >= 4 && b(0) == 0 && b(1) == 0 && b(2) == 0 && b(3) != 0) return {TextEncoding::Utf32BE, 0};
  if (n >= 4 && b(0) != 0 && b(1) == 0 && b(2) == 0 && b(3) == 0) return {TextEncoding::Utf32LE, 0};
  if (n >= 2 && b(0) == 0 && b(1) != 0) return {TextEncoding::Utf16BE, 0};
  if (n >= 2 && b(0) != 0 && b(1) == 0) return {TextEncoding::Utf16LE, 0};
  return {TextEncoding::Utf8, 0};
}

namespace {

std::string hex4(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04X", static_cast<unsigned>(v));
  return buf;
}

// Transcodes the UTF-16 code units of `units` (which start at byte `base` of the file) into
// `out`, in two passes: the first validates and sizes, so the buffer is allocated once.
bool utf16_to_utf8(std::string_view units, bool big_endian, size_t base, const char* name, simdjson::padded_string& out,
                   std::string& error) {
  auto unit = [&](size_t i) -> uint32_t {
    auto hi = static_cast<unsigned char>(units[big_endian ? i : i + 1]);
    auto lo = static_cast<unsigned char>(units[big_endian ? i + 1 : i]);
    return (uint32_t{hi} << 8) | lo;
  };
  auto is_high = [](uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; };
  auto is_low = [](uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; };
  size_t whole = units.size() & ~size_t{1};
  size_t len = 0;
  for (size_t i = 0; i < whole; i += 2) {
    uint32_t u = unit(i);
    if (u < 0x80) {
      len += 1;
    } else if (u < 0x800) {
      len += 2;
    } else if (is_high(u)) {
      if (i + 2 >= whole || !is_low(unit(i + 2))) {
        error = std::string("invalid ") + name + " at byte " + std::to_string(base + i) + ": a high surrogate (" +
                hex4(u) + ") is not followed by a low one";
        return false;
      }
      len += 4;
      i += 2;
    } else if (is_low(u)) {
      error = std::string("invalid ") + name + " at byte " + std::to_string(base + i) + ": a low surrogate (" +
              hex4(u) + ") is not preceded by a high one";
      return false;
    } else {
      len += 3;
    }
  }
  if (whole != units.size()) {
    error = std::string("invalid ") + name + " at byte " + std::to_string(base + whole) +
            ": the file ends in the middle of a character (an odd number of bytes; is it truncated?)";
    return false;
  }
  simdjson::padded_string utf8(len);
  auto* p = reinterpret_cast<unsigned char*>(utf8.data());
  for (size_t i = 0; i < whole; i += 2) {
    uint32_t cp = unit(i);
    if (is_high(cp)) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    }
    if (cp < 0x80) {
      *p++ = static_cast<unsigned char>(cp);
    } else if (cp < 0x800) {
      *p++ = static_cast<unsigned char>(0xC0 | (cp >> 6));
      *p++ = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *p++ = static_cast<unsigned char>(0xE0 | (cp >> 12));
      *p++ = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      *p++ = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    } else {
      *p++ = static_cast<unsigned char>(0xF0 | (cp >> 18));
      *p++ = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
      *p++ = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      *p++ = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    }
  }
  out = std::move(utf8);
  return true;
}

}  // namespace

bool decode_to_utf8(simdjson::padded_string& json, DecodedText& out, std::string& error) {
  std::string_view bytes(json.data(), json.size());
  DetectedEncoding d = detect_encoding(bytes);
  out.source = d.encoding;
  out.start = 0;
  switch (d.encoding) {
    case TextEncoding::Utf8:
      out.start = d.bom_size;
      return true;
    case TextEncoding::Utf16LE:
    case TextEncoding::Utf16BE:
      return utf16_to_utf8(bytes.substr(d.bom_size), d.encoding == TextEncoding::Utf16BE, d.bom_size,
                           encoding_name(d.encoding), json, error);
    case TextEncoding::Utf32LE:
    case TextEncoding::Utf32BE:
      error =
          std::string("the file is ") + encoding_name(d.encoding) + ", which tfwarden does not read; save it as UTF-8";
      return false;
  }
  return true;
}

size_t utf8_sequence_at(std::string_view text, size_t pos, char32_t& cp) {
  auto c0 = static_cast<unsigned char>(text[pos]);
  if (c0 < 0x80) {
    cp = c0;
    return 1;
  }
  size_t n;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    n = 2;
    cp = c0 & 0x1F;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 3;
    cp = c0 & 0x0F;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    n = 4;
    cp = c0 & 0x07;
  } else {
    return 0;
  }
  if (text.size() - pos < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(text[pos + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return n;
}

size_t find_invalid_utf8(std::string_view text) {
  size_t i = 0;
  char32_t cp;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_sequence_at(text, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  // The character the cut falls in starts at most 3 bytes before it.
  size_t start = max_bytes;
  while (start > 0 && max_bytes - start < 3 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  char32_t cp;
  size_t n = utf8_sequence_at(text, start, cp);
  return text.substr(0, n != 0 && start + n > max_bytes ? start : max_bytes);
}

std::string escape_invalid_utf8(std::string_view text) {
  size_t bad = find_invalid_utf8(text);
  if (bad == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, bad));
  char32_t cp;
  for (size_t i = bad; i < text.size();) {
    size_t n = utf8_sequence_at(text, i, cp);
    if (n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
      out += buf;
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string describe_invalid_utf8(std::string_view text, size_t offset, size_t base) {
  if (offset >= text.size()) return "invalid UTF-8 at byte " + std::to_string(base + offset);
  // The offending byte and the continuation bytes after it, escaped.
  std::string shown;
  size_t end = offset + 1;
  while (end < text.size() && end < offset + 4 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  for (size_t i = offset; i < end; ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
    shown += buf;
  }
  std::string head = "invalid UTF-8 at byte " + std::to_string(base + offset) + " (`" + shown + "`): ";
  auto c0 = static_cast<unsigned char>(text[offset]);
  size_t want = c0 >= 0xC2 && c0 <= 0xDF ? 2 : (c0 & 0xF0) == 0xE0 ? 3 : c0 >= 0xF0 && c0 <= 0xF4 ? 4 : 0;
  if (want != 0 && end == text.size() && end - offset < want)
    return head + "the file ends in the middle of a character (is it truncated?)";
  // Text with no well-formed multi-byte character is in a single-byte encoding.
  bool any_multibyte = false;
  char32_t cp;
  for (size_t i = 0; i < text.size() && !any_multibyte;) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_sequence_at(text, i, cp);
    any_multibyte = n > 1;
    i += n ? n : 1;
  }
  if (!any_multibyte) return head + "the file looks like Latin-1 or Windows-1252 text; save it as UTF-8";
  return head + "a byte that is not part of a UTF-8 character (text in another encoding mixed in, or a damaged file)";
}

}  // namespace tfwarden
