#include "report/json_document.h"

#include <charconv>

#include "plan/encoding.h"
#include "report/bytes.h"

namespace tfwarden {

namespace {

constexpr size_t kFlushAt = 1 << 20;

// True when none of the 16 bytes of `b` needs escaping or is not ASCII.
bool plain_block(bytes::Block b) {
  return !bytes::any((b < 0x20) | (b >= 0x80) | (b == '"') | (b == '\\'));
}

bool plain_byte(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

}  // namespace

void JsonWriter::indent() {
  buf_.push_back('\n');
  buf_.append(2 * stack_.size(), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (stack_.back().count++ > 0) buf_.push_back(',');
  indent();
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (stack_.back().count++ > 0) buf_.push_back(',');
  indent();
  string(k);
  buf_.append(": ");
  after_key_ = true;
  return *this;
}

void JsonWriter::open(char bracket, bool object) {
  before_value();
  buf_.push_back(bracket);
  stack_.push_back({object, 0});
}

void JsonWriter::close(char bracket) {
  bool empty = stack_.back().count == 0;
  stack_.pop_back();
  if (!empty) indent();
  buf_.push_back(bracket);
  if (buf_.size() >= kFlushAt) flush();
}

void JsonWriter::value(std::string_view s) {
  before_value();
  string(s);
}

void JsonWriter::value(bool b) {
  before_value();
  buf_.append(b ? "true" : "false");
}

template <typename Int>
void JsonWriter::number(Int n) {
  before_value();
  char b[24];
  auto r = std::to_chars(b, b + sizeof b, n);
  buf_.append(b, r.ptr);
}

void JsonWriter::value(uint64_t n) {
  number(n);
}

void JsonWriter::value(int64_t n) {
  number(n);
}

void JsonWriter::null() {
  before_value();
  buf_.append("null");
}

void JsonWriter::value(const std::vector<std::string>& strings) {
  begin_array();
  for (const auto& s : strings) value(s);
  end_array();
}

void JsonWriter::value(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (auto it = j.begin(); it != j.end(); ++it) {
        key(it.key());
        value(it.value());
      }
      end_object();
      return;
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& e : j) value(e);
      end_array();
      return;
    case nlohmann::json::value_t::string:
      value(j.get_ref<const std::string&>());
      return;
    case nlohmann::json::value_t::boolean:
      value(j.get<bool>());
      return;
    case nlohmann::json::value_t::number_unsigned:
      value(j.get<uint64_t>());
      return;
    case nlohmann::json::value_t::number_integer:
      value(j.get<int64_t>());
      return;
    case nlohmann::json::value_t::null:
      null();
      return;
    default:  // floats and the rest: nlohmann's own text
      before_value();
      buf_.append(j.dump());
      return;
  }
}

// As nlohmann's serializer escapes (ensure_ascii off): the quote, the backslash and control
// characters; everything else, UTF-8 included, as it is. ASCII is scanned 16 bytes at a time and
// copied in runs; a string with other bytes is checked for UTF-8 and mended first.
void JsonWriter::string(std::string_view s) {
  const size_t start = buf_.size(), n = s.size();
  buf_.push_back('"');
  size_t run = 0;  // the start of the bytes not yet copied
  for (size_t i = 0; (i = bytes::skip_plain(s, i, plain_block, plain_byte)) < n; run = ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      buf_.resize(start);
      escaped_string(s);
      return;
    }
    buf_.append(s.data() + run, i - run);
    escape(c);
  }
  buf_.append(s.data() + run, n - run);
  buf_.push_back('"');
}

void JsonWriter::escape(unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      buf_.append("\\\"");
      break;
    case '\\':
      buf_.append("\\\\");
      break;
    case '\b':
      buf_.append("\\b");
      break;
    case '\f':
      buf_.append("\\f");
      break;
    case '\n':
      buf_.append("\\n");
      break;
    case '\r':
      buf_.append("\\r");
      break;
    case '\t':
      buf_.append("\\t");
      break;
    default:
      buf_.append("\\u00");
      buf_.push_back(kHex[c >> 4]);
      buf_.push_back(kHex[c & 15]);
  }
}

// A string that is not all ASCII: made valid UTF-8 if it is not, then escaped byte by byte.
void JsonWriter::escaped_string(std::string_view s) {
  std::string mended;
  if (find_invalid_utf8(s) != std::string_view::npos) {
    mended = escape_invalid_utf8(s);
    s = mended;
  }
  buf_.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf_.append(s.data() + run, i - run);
    run = i + 1;
    escape(c);
  }
  buf_.append(s.data() + run, s.size() - run);
  buf_.push_back('"');
}

void JsonWriter::splice(const Fragment& f) {
  if (f.fields == 0) return;
  if (stack_.back().count > 0) buf_.push_back(',');
  buf_.append(f.text);
  stack_.back().count += f.fields;
}

void JsonWriter::finish() {
  buf_.push_back('\n');
  flush();
}

void JsonWriter::flush() {
  if (buf_.empty() || capturing_) return;
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

void write_json_document(const nlohmann::ordered_json& doc, std::ostream& out) {
  JsonWriter w(out);
  w.value(doc);
  w.finish();
}

}  // namespace tfwarden
