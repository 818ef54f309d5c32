#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace tfwarden {

// How the bytes of an input encode its text.
enum class TextEncoding { Utf8, Utf16LE, Utf16BE, Utf32LE, Utf32BE };

// "UTF-8", "UTF-16LE", ...
const char* encoding_name(TextEncoding e);

struct DetectedEncoding {
  TextEncoding encoding = TextEncoding::Utf8;
  size_t bom_size = 0;  // bytes of the byte-order mark, 0 without one
};

// The encoding of a JSON document from its byte-order mark or, without one, from the NUL
// pattern of its first bytes (JSON text starts with an ASCII character, RFC 4627 section 3).
// Reads at most the first 4 bytes.
DetectedEncoding detect_encoding(std::string_view bytes);

// The text of a document as the parser needs it, UTF-8.
struct DecodedText {
  TextEncoding source = TextEncoding::Utf8;
  size_t start = 0;  // bytes of the buffer before the text (a UTF-8 byte-order mark)
};

// Makes `json` UTF-8 for the parser: plain UTF-8 is left untouched (not copied), a UTF-8
// byte-order mark is skipped through `out.start`, UTF-16 is transcoded into a new buffer that
// replaces `json`. UTF-32 and malformed UTF-16 (a lone surrogate, an odd byte count) are
// refused: returns false with `error` one line naming the encoding and the byte offset.
bool decode_to_utf8(simdjson::padded_string& json, DecodedText& out, std::string& error);

// The length of the well-formed UTF-8 sequence at `text[pos]` (1 to 4) with its code point in
// `cp`, or 0 when the bytes there are not UTF-8 (overlong forms and surrogates included).
size_t utf8_sequence_at(std::string_view text, size_t pos, char32_t& cp);

// The offset of the first byte of `text` that is not well-formed UTF-8, or npos.
size_t find_invalid_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// character: every truncation of a plan string cuts here. A byte that is not UTF-8 counts as a
// character of its own.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

// `text` with every byte that is not well-formed UTF-8 written as `\xNN` (lowercase hex, as
// printable() writes it); well-formed text is returned unchanged. Every report holds only
// valid UTF-8 through this.
std::string escape_invalid_utf8(std::string_view text);

// One line about the invalid UTF-8 at `text[offset]`: the byte offset (plus `base`), the bytes
// escaped, and what the text looks like instead (Latin-1 or Windows-1252, or broken UTF-8).
std::string describe_invalid_utf8(std::string_view text, size_t offset, size_t base = 0);

}  // namespace tfwarden
