#include "report/json_document.h"

#include <catch2/catch.hpp>
#include <random>
#include <sstream>

namespace {

using ojson = nlohmann::ordered_json;

std::string written(const ojson& doc) {
  std::ostringstream out;
  tfwarden::write_json_document(doc, out);
  return out.str();
}

// Strings with every kind of byte nlohmann's serializer treats apart: quotes, backslashes,
// each control character, DEL, multi-byte UTF-8.
std::string random_string(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "a", "Z", "9", " ", "\"", "\\", "/", "\x7f", "\xc3\xa9", "\xe2\x86\x92", "\xf0\x9f\x94\x92", "{", "]", ":", ","};
  std::string s;
  for (int n = std::uniform_int_distribution<int>(0, 12)(rng); n > 0; --n) {
    if (rng() % 4 == 0)
      s.push_back(static_cast<char>(rng() % 0x20));
    else
      s += pieces[rng() % pieces.size()];
  }
  return s;
}

ojson random_value(std::mt19937& rng, int depth) {
  switch (depth > 3 ? rng() % 5 : rng() % 7) {
    case 0:
      return random_string(rng);
    case 1:
      return rng() % 2 == 0;
    case 2:
      return nullptr;
    case 3:
      return static_cast<uint64_t>(rng()) * 977;
    case 4:
      return -static_cast<int64_t>(rng() % 100000);
    case 5: {
      ojson a = ojson::array();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      ojson o = ojson::object();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) o[random_string(rng)] = random_value(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("the streaming JSON writer prints what nlohmann's dump(2) prints", "[report][json]") {
  // The reports were written by dump(2) before they were streamed; their bytes must not change.
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    ojson doc = random_value(rng, 0);
    INFO(doc.dump());
    CHECK(written(doc) == doc.dump(2) + "\n");
  }
  CHECK(written(ojson::object()) == "{}\n");
  CHECK(written(ojson::array()) == "[]\n");
  CHECK(written({{"a", ojson::array()}, {"b", ojson::object()}}) == "{\n  \"a\": [],\n  \"b\": {}\n}\n");
}

TEST_CASE("the streaming JSON writer mends invalid UTF-8 as the reports always have", "[report][json]") {
  ojson doc = {{"bad\xff key", "caf\xe9"}, {"ok", "\xc3\xa9"}};
  CHECK(written(doc) == "{\n  \"bad\\\\xff key\": \"caf\\\\xe9\",\n  \"ok\": \"\xc3\xa9\"\n}\n");
}

TEST_CASE("the streaming JSON writer writes keys and values as they come", "[report][json]") {
  std::ostringstream out;
  {
    tfwarden::JsonWriter w(out);
    w.begin_object();
    w.field("n", uint64_t{3});
    w.string_or_null("none", "");
    w.string_or_null("some", "x");
    w.field("list", std::vector<std::string>{"a", "b"});
    w.key("empty");
    w.begin_array();
    w.end_array();
    w.end_object();
    w.finish();
  }
  CHECK(out.str() ==
        "{\n  \"n\": 3,\n  \"none\": null,\n  \"some\": \"x\",\n  \"list\": [\n    \"a\",\n    \"b\"\n  ],\n"
        "  \"empty\": []\n}\n");
}
