// Fuzzes the .tfwarden.toml loader, and applies what loads to the bundled rules.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tfwarden::Config cfg;
  std::string error;
  if (!tfwarden::load_config_text(".tfwarden.toml", std::string_view(reinterpret_cast<const char*>(data), size), cfg,
                                  error)) {
    if (error.find(".tfwarden.toml") != 0) __builtin_trap();
    return 0;
  }
  // Loaded once: applying a config only adjusts severities and parameters.
  static tfwarden::RuleSet* set = [] {
    auto* s = new tfwarden::RuleSet;
    std::string e;
    tfwarden::load_bundled_rules(*s, e, /*with_tests=*/false);
    return s;
  }();
  tfwarden::apply_config(cfg, *set, error);
  return 0;
}
