// Fuzzes the condition language parser directly (deeper than through TOML).
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/expr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static tfwarden::LetTable lets = [] {
    tfwarden::LetTable t;
    t.names = {"a", "b"};
    t.sequence = {false, true};
    return t;
  }();
  static std::vector<std::string> params = {"min", "names"};
  try {
    tfwarden::parse_expression(std::string_view(reinterpret_cast<const char*>(data), size), lets, params);
  } catch (const tfwarden::ExprError& e) {
    if (e.message.empty()) __builtin_trap();
  }
  return 0;
}
