// Fuzzes the plan/state loader and, when a document loads, the whole rule pack on it; then
// renders the report in every format and traps when one breaks a report invariant
// (report_checks.h): invalid UTF-8, a control character other than a line feed, a line of
// GitHub output tfwarden did not write, JSON that does not parse.
#include <cstddef>
#include <cstdint>
#include <string>

#include "report_checks.h"

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
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!tfwarden::report_checks::check_plan_reports(bytes, all).empty()) __builtin_trap();
  return 0;
}
