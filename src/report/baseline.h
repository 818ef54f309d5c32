#pragma once

#include <string>
#include <vector>

#include "engine/engine.h"

namespace tfwarden {

// Marks the findings that an earlier JSON report (`--write-baseline`, or `--format json`)
// already holds: they are shown as known and do not count toward the exit code.
// A report_version 2 baseline matches by fingerprint (input, rule, address, path). A
// report_version 1 baseline has no input in its fingerprints: it matches by rule, address and
// path in every input, and `note` says so (rewrite it with --write-baseline).
// Returns false with `error` naming the file and what is wrong.
bool apply_baseline(const std::string& path, std::vector<Finding>& findings, std::string& note, std::string& error);

}  // namespace tfwarden
