#include "plan/printable.h"

#include <catch2/catch.hpp>

using tfwarden::displayable;
using tfwarden::printable;

TEST_CASE("printable escapes every byte a terminal could act on", "[printable]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"plan.json", "plan.json"},
      {"a `b` \"c\" 'd' ~!@#$%^&*()", "a `b` \"c\" 'd' ~!@#$%^&*()"},
      {"bell\a", "bell\\u0007"},
      {"\x1b[31mred\x1b[0m.json", "\\u001b[31mred\\u001b[0m.json"},
      {"tab\tnew\nline\r", "tab\\tnew\\nline\\r"},
      {std::string("nul\0x", 5), "nul\\u0000x"},
      {"del\x7f", "del\\u007f"},
      {"caf\xC3\xA9", "caf\\u00e9"},  // well-formed UTF-8
      {"\xC2\x9B"
       "2J",
       "\\u009b2J"},  // a C1 control (CSI)
      {"\xE2\x80\xAE"
       "txt",
       "\\u202etxt"},  // a right-to-left override
      {"\xF0\x9F\x98\x80", "\\U0001f600"},
      {"caf\xE9", "caf\\xe9"},  // Latin-1, not UTF-8
      {"\xFF\xFE", "\\xff\\xfe"},
      {"\xE2\x82", "\\xe2\\x82"},  // a cut-short sequence
      {"back\\slash", "back\\slash"},
  };
  for (const auto& c : cases) {
    INFO(c.out);
    std::string p = printable(c.in);
    CHECK(p == c.out);
    for (char ch : p) CHECK((ch >= 0x20 && ch < 0x7f));
    CHECK(printable(p) == p);  // idempotent: a message may pass through twice
  }
}

TEST_CASE("displayable keeps UTF-8 and escapes what could start a line or drive a terminal", "[printable]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"plan.json", "plan.json"},
      {"caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x98\x80"},  // kept
      {"\n::error title=tfwarden::all checks passed\n", "\\n::error title=tfwarden::all checks passed\\n"},
      {"\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"},
      {"tab\tcr\r", "tab\\tcr\\r"},
      {std::string("nul\0x", 5), "nul\\u0000x"},
      {"del\x7f", "del\\u007f"},
      {"\xC2\x9B"
       "2J",
       "\\u009b2J"},                    // C1 CSI
      {"\xC2\x85next", "\\u0085next"},  // C1 NEL
      {"a\xE2\x80\xA8"
       "b\xE2\x80\xA9",
       "a\\u2028b\\u2029"},
      {"\xE2\x80\xAE"
       "txt\xE2\x81\xA6",
       "\\u202etxt\\u2066"},
      {"\xEF\xBF\xBE\xEF\xBF\xBF", "\\ufffe\\uffff"},
      {"caf\xE9", "caf\\xe9"},
      {"\xE2\x82", "\\xe2\\x82"},           // a cut-short sequence
      {"\xED\xA0\x80", "\\xed\\xa0\\x80"},  // a surrogate
      {"back\\slash", "back\\slash"},
  };
  for (const auto& c : cases) {
    INFO(c.out);
    std::string d = displayable(c.in);
    CHECK(d == c.out);
    CHECK(displayable(d) == d);
    CHECK(displayable(printable(c.in)) == printable(c.in));
  }
}
