#pragma once

#include <string>
#include <string_view>

#include "engine/engine.h"

namespace tfwarden {

// A finding's identity across runs, in JSON reports and baselines:
// `INPUT|RULE|ADDRESS|PATH`, PATH being the rule's declared `[check] path` (Finding::identity_path,
// not the evidence's place, which moves when the plan reorders a list), INPUT the input's stable
// path (engine/input_path.h), so the same address in two root modules never shares a fingerprint.
std::string fingerprint(const Finding& f);

// The fingerprint of report_version 1 (before 0.2): `RULE|ADDRESS|PATH`, without the input.
std::string legacy_fingerprint(const Finding& f);

// `fingerprint` hashed to 16 hex digits (FNV-1a 64: stable across compilers and releases,
// unlike std::hash), for SARIF `partialFingerprints`.
std::string fingerprint_hash(const Finding& f);

// The same for the many findings of a report: each input's stable path is worked out once (it
// asks the file system for the working directory).
class Fingerprinter {
 public:
  std::string text(const Finding& f);
  std::string hash(const Finding& f);

 private:
  std::string input_, stable_;
  bool known_ = false;
};

// FNV-1a 64 of `text` as 16 hex digits.
std::string fnv1a_hex(std::string_view text);

}  // namespace tfwarden
