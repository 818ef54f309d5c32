#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tfwarden {

// Writes a JSON report (json, sarif, gitlab, baselines) as it goes, with no document tree of the
// whole report: indented by 2, as nlohmann's dump(2) prints, byte for byte. Every string and key
// is made valid UTF-8 (only when one is not), bytes that are not UTF-8 becoming `\xNN`
// (escape_invalid_utf8), as in the other formats: a file name or plan string that is not UTF-8
// neither aborts the report nor is lost.
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void begin_object() { open('{', true); }
  void end_object() { close('}'); }
  void begin_array() { open('[', false); }
  void end_array() { close(']'); }
  // The key of the next value of the object being written.
  JsonWriter& key(std::string_view k);

  void value(std::string_view s);
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(const char* s) { value(std::string_view(s)); }
  void value(bool b);
  void value(uint64_t n);
  void value(int64_t n);
  void value(int n) { value(static_cast<int64_t>(n)); }
  void value(unsigned n) { value(static_cast<uint64_t>(n)); }
  void null();
  void value(const std::vector<std::string>& strings);
  // A small document built as a tree (a rule's descriptor), written in the same layout.
  void value(const nlohmann::ordered_json& j);

  // `key(k).value(v)` in one call.
  template <typename T>
  void field(std::string_view k, const T& v) {
    key(k);
    value(v);
  }
  // The string, or null when it is empty.
  void string_or_null(std::string_view k, std::string_view s) {
    key(k);
    if (s.empty())
      null();
    else
      value(s);
  }

  // Fields many objects share, written once: `write(*this)` writes them as if into a new
  // object at the current depth, and they are kept as text for splice() instead of being written.
  struct Fragment {
    std::string text;
    size_t fields = 0;
  };
  template <typename Write>
  Fragment fragment(Write write) {
    Fragment f;
    std::swap(f.text, buf_);
    size_t count = stack_.back().count;
    stack_.back().count = 0;
    ++capturing_;
    write(*this);
    --capturing_;
    f.fields = stack_.back().count;
    stack_.back().count = count;
    std::swap(f.text, buf_);
    return f;
  }
  // Writes the fields of a fragment made at this depth into the object being written.
  void splice(const Fragment& f);

  // Ends the document with a newline and writes out what is buffered.
  void finish();
  void flush();

 private:
  void open(char bracket, bool object);
  void close(char bracket);
  template <typename Int>
  void number(Int n);
  void before_value();
  void string(std::string_view s);
  void escaped_string(std::string_view s);
  void escape(unsigned char c);
  void indent();

  std::ostream& out_;
  std::string buf_;
  struct Level {
    bool object = false;
    size_t count = 0;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
  int capturing_ = 0;  // inside fragment(): nothing is written out
};

// The whole document `doc`, as JsonWriter writes it, and a newline.
void write_json_document(const nlohmann::ordered_json& doc, std::ostream& out);

}  // namespace tfwarden
