#include "plan/encoding.h"

#include <catch2/catch.hpp>
#include <string>

using namespace tfwarden;

namespace {

// `text` (ASCII or UTF-8 given as code points) as UTF-16 code units, with or without a BOM.
std::string utf16(const std::u16string& text, bool big_endian, bool bom) {
  std::u16string units = bom ? u"\uFEFF" + text : text;
  std::string out;
  for (char16_t u : units) {
    char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  }
  return out;
}

struct Decoded {
  bool ok;
  std::string text, error;
  DecodedText info;
};

Decoded decode(const std::string& bytes) {
  simdjson::padded_string json(bytes);
  Decoded d;
  d.ok = decode_to_utf8(json, d.info, d.error);
  if (d.ok) d.text = std::string(json.data() + d.info.start, json.size() - d.info.start);
  return d;
}

}  // namespace

TEST_CASE("encodings are detected from the byte-order mark or the NUL pattern", "[encoding]") {
  struct Case {
    std::string bytes;
    TextEncoding encoding;
    size_t bom;
  };
  const std::vector<Case> cases = {
      {"{\"a\": 1}", TextEncoding::Utf8, 0},
      {"\xEF\xBB\xBF{}", TextEncoding::Utf8, 3},
      {std::string("\xFF\xFE{\0", 4), TextEncoding::Utf16LE, 2},
      {std::string("\xFE\xFF\0{", 4), TextEncoding::Utf16BE, 2},
      {std::string("\xFF\xFE\0\0{\0\0\0", 8), TextEncoding::Utf32LE, 4},
      {std::string("\0\0\xFE\xFF\0\0\0{", 8), TextEncoding::Utf32BE, 4},
      {std::string("{\0\"\0", 4), TextEncoding::Utf16LE, 0},
      {std::string("\0{\0\"", 4), TextEncoding::Utf16BE, 0},
      {std::string("{\0\0\0", 4), TextEncoding::Utf32LE, 0},
      {std::string("\0\0\0{", 4), TextEncoding::Utf32BE, 0},
      {std::string("1\0", 2), TextEncoding::Utf16LE, 0},
      {"1", TextEncoding::Utf8, 0},
      {"", TextEncoding::Utf8, 0},
  };
  for (const auto& c : cases) {
    INFO("case " << (&c - cases.data()));
    DetectedEncoding d = detect_encoding(c.bytes);
    CHECK(d.encoding == c.encoding);
    CHECK(d.bom_size == c.bom);
  }
}

TEST_CASE("plain UTF-8 is not copied, a UTF-8 BOM is skipped", "[encoding]") {
  simdjson::padded_string json(std::string("{\"x\": \"caf\xC3\xA9\"}"));
  const char* before = json.data();
  DecodedText info;
  std::string error;
  REQUIRE(decode_to_utf8(json, info, error));
  CHECK(json.data() == before);  // the same buffer, untouched
  CHECK(info.start == 0);
  CHECK(info.source == TextEncoding::Utf8);

  auto d = decode("\xEF\xBB\xBF{\"x\": 1}");
  REQUIRE(d.ok);
  CHECK(d.info.start == 3);
  CHECK(d.text == "{\"x\": 1}");
}

TEST_CASE("UTF-16 in both byte orders is transcoded, surrogate pairs included", "[encoding]") {
  // "é" (2 bytes in UTF-8), "€" (3 bytes), "😀" (a surrogate pair, 4 bytes).
  const std::u16string text = u"{\"v\": \"\u00e9\u20ac\U0001F600\"}";
  const std::string utf8 = "{\"v\": \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}";
  for (bool be : {false, true})
    for (bool bom : {true, false}) {
      INFO("big endian " << be << ", bom " << bom);
      auto d = decode(utf16(text, be, bom));
      REQUIRE(d.ok);
      CHECK(d.info.source == (be ? TextEncoding::Utf16BE : TextEncoding::Utf16LE));
      CHECK(d.info.start == 0);
      CHECK(d.text == utf8);
    }
  auto empty = decode("\xFF\xFE");
  REQUIRE(empty.ok);
  CHECK(empty.text.empty());
}

TEST_CASE("malformed UTF-16 and UTF-32 are refused with the encoding and the byte offset", "[encoding]") {
  struct Case {
    std::string bytes;
    const char* expect;
  };
  std::string lone_high = utf16(u"{\"a\": \"", false, true) + std::string("\x3D\xD8", 2) + utf16(u"\"}", false, false);
  std::string lone_low = utf16(u"[\"", true, true) + std::string("\xDC\x00", 2) + utf16(u"\"]", true, false);
  std::string high_at_end = utf16(u"[", false, true) + std::string("\x3D\xD8", 2);
  std::string odd = utf16(u"{}", false, true) + "x";
  const std::vector<Case> cases = {
      {lone_high, "invalid UTF-16LE at byte 16: a high surrogate (0xD83D) is not followed by a low one"},
      {lone_low, "invalid UTF-16BE at byte 6: a low surrogate (0xDC00) is not preceded by a high one"},
      {high_at_end, "invalid UTF-16LE at byte 4: a high surrogate (0xD83D) is not followed by a low one"},
      {odd, "invalid UTF-16LE at byte 6: the file ends in the middle of a character"},
      {std::string("\xFF\xFE\0\0{\0\0\0}\0\0\0", 12),
       "the file is UTF-32LE, which tfwarden does not read; save it as UTF-8"},
      {std::string("\0\0\0{\0\0\0}", 8), "the file is UTF-32BE, which tfwarden does not read; save it as UTF-8"},
  };
  for (const auto& c : cases) {
    INFO(c.expect);
    auto d = decode(c.bytes);
    CHECK_FALSE(d.ok);
    CHECK_THAT(d.error, Catch::Matchers::StartsWith(c.expect));
    CHECK(d.error.find('\n') == std::string::npos);
  }
}

TEST_CASE("invalid UTF-8 is found and described without raw bytes", "[encoding]") {
  char32_t cp;
  CHECK(utf8_sequence_at("\xC3\xA9", 0, cp) == 2);
  CHECK(cp == 0xE9);
  CHECK(utf8_sequence_at("\xF0\x9F\x98\x80", 0, cp) == 4);
  CHECK(cp == 0x1F600);
  CHECK(utf8_sequence_at("\xC0\x80", 0, cp) == 0);          // overlong
  CHECK(utf8_sequence_at("\xE0\x80\x80", 0, cp) == 0);      // overlong
  CHECK(utf8_sequence_at("\xED\xA0\x80", 0, cp) == 0);      // a surrogate
  CHECK(utf8_sequence_at("\xF4\x90\x80\x80", 0, cp) == 0);  // above U+10FFFF
  CHECK(utf8_sequence_at("\xE2\x82", 0, cp) == 0);          // cut short

  CHECK(find_invalid_utf8("{\"a\": \"caf\xC3\xA9\"}") == std::string_view::npos);
  // Latin-1 "café", and Windows-1252's curly quote.
  std::string latin1 = "{\"name\": \"caf\xE9\"}";
  CHECK(find_invalid_utf8(latin1) == 13);
  CHECK(describe_invalid_utf8(latin1, 13) ==
        "invalid UTF-8 at byte 13 (`\\xe9`): the file looks like Latin-1 or Windows-1252 text; save it as UTF-8");
  std::string cp1252 = "{\"q\": \"\x93hi\x94\"}";
  CHECK_THAT(describe_invalid_utf8(cp1252, find_invalid_utf8(cp1252), 3),
             Catch::Matchers::StartsWith("invalid UTF-8 at byte 10 (`\\x93`): the file looks like Latin-1"));
  std::string mixed = "{\"a\": \"\xC3\xA9\", \"b\": \"\xE9\"}";
  CHECK_THAT(describe_invalid_utf8(mixed, find_invalid_utf8(mixed)),
             Catch::Matchers::Contains("not part of a UTF-8 character"));
  std::string cut = "{\"a\": \"\xE2\x82";
  CHECK_THAT(describe_invalid_utf8(cut, find_invalid_utf8(cut)),
             Catch::Matchers::Contains("(`\\xe2\\x82`): the file ends in the middle of a character"));
}

TEST_CASE("utf8_prefix cuts on a character boundary", "[encoding]") {
  // "a" then é (2 bytes), € (3 bytes), 😀 (4 bytes): a cut inside each backs up to its start.
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";
  struct Case {
    size_t max, len;
  };
  const std::vector<Case> cases = {{0, 0}, {1, 1}, {2, 1}, {3, 3},   {4, 3},   {5, 3},  {6, 6},
                                   {7, 6}, {8, 6}, {9, 6}, {10, 10}, {11, 11}, {12, 11}};
  for (const auto& c : cases) {
    INFO(c.max);
    std::string_view p = utf8_prefix(s, c.max);
    CHECK(p.size() == c.len);
    CHECK(find_invalid_utf8(p) == std::string_view::npos);
  }
  // 100 é cut at 120 and 80 bytes (the finding value and Markdown limits): whole characters.
  std::string e100;
  for (int i = 0; i < 100; ++i) e100 += "\xC3\xA9";
  CHECK(utf8_prefix(e100, 120).size() == 120);
  CHECK(utf8_prefix(e100, 81).size() == 80);
  CHECK(utf8_prefix(e100, 119).size() == 118);
  // A byte that is not UTF-8 is a character of its own: the cut stays where it was asked.
  CHECK(utf8_prefix("ab\x80\x80\x80\x80xyz", 4) == "ab\x80\x80");
  CHECK(utf8_prefix("ab\xFF\xFEz", 3) == "ab\xFF");
  CHECK(utf8_prefix("ab\xE2\x82z", 3) == "ab\xE2");  // a cut-short sequence is two bytes that are not UTF-8
}

TEST_CASE("escape_invalid_utf8 writes bytes that are not UTF-8 as \\xNN", "[encoding]") {
  CHECK(escape_invalid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xF0\x9F\x98\x80");
  CHECK(escape_invalid_utf8("caf\xE9") == "caf\\xe9");
  CHECK(escape_invalid_utf8("\xC3\xA9\xC3") == "\xC3\xA9\\xc3");  // cut inside a character
  CHECK(escape_invalid_utf8("\xFF\xFE") == "\\xff\\xfe");
  CHECK(escape_invalid_utf8("\xED\xA0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(escape_invalid_utf8("\xC0\x80") == "\\xc0\\x80");           // overlong
  CHECK(escape_invalid_utf8("\n\x1b") == "\n\x1b");                 // controls are valid UTF-8
  for (std::string s : {"caf\xE9", "\xC3", "a\x80\x80"})
    CHECK(find_invalid_utf8(escape_invalid_utf8(s)) == std::string_view::npos);
}
