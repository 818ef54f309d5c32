// Fuzzes the plan/state loader and, when a document loads, the whole rule pack on it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.h"
#include "plan/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static tfwarden::RuleSet* rules = [] {
    auto* set = new tfwarden::RuleSet;
    std::string error;
    tfwarden::load_bundled_rules(*set, error, /*with_tests=*/false);
    return set;
  }();
  static std::vector<const tfwarden::Rule*> all = [] {
    std::vector<const tfwarden::Rule*> v;
    for (const auto& r : rules->rules) v.push_back(r.get());
    return v;
  }();
  std::string error;
  auto plan =
      tfwarden::load_plan("fuzz.json", simdjson::padded_string(reinterpret_cast<const char*>(data), size), error);
  if (!plan) {
    // One line, printable ASCII: no input byte reaches a terminal raw.
    if (error.empty()) __builtin_trap();
    for (char c : error)
      if (c < 0x20 || c > 0x7e) __builtin_trap();
    return 0;
  }
  tfwarden::run_rules(*plan, all, {"us-east-1"});
  return 0;
}
