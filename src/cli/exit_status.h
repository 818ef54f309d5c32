#pragma once

namespace tfwarden {

// Exit codes, documented in the README. (tflint swaps 1 and 2; we follow ShellCheck and ninja.)
enum class ExitStatus : int {
  kClean = 0,     // no finding at or above --fail-on
  kFindings = 1,  // findings at or above --fail-on
  kError = 2,     // usage, configuration, rule or input error
};

}  // namespace tfwarden
