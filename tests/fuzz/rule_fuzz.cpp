// Fuzzes the rule file loader: TOML parsing, validation and the condition compiler.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/rule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  auto rule = tfwarden::load_rule("fuzz.toml", std::string_view(reinterpret_cast<const char*>(data), size), error);
  if (!rule && (error.empty() || error.find("fuzz.toml:") != 0)) __builtin_trap();
  return 0;
}
