#include "report/fingerprint.h"

#include <cstdint>
#include <cstdio>

#include "engine/input_path.h"

namespace tfwarden {

std::string fingerprint(const Finding& f) {
  return Fingerprinter().text(f);
}

std::string legacy_fingerprint(const Finding& f) {
  return f.rule->id + "|" + f.address + "|" + f.identity_path;
}

std::string Fingerprinter::text(const Finding& f) {
  if (!known_ || f.input != input_) {
    input_ = f.input;
    stable_ = stable_path(f.input);
    known_ = true;
  }
  return stable_ + "|" + legacy_fingerprint(f);
}

std::string Fingerprinter::hash(const Finding& f) {
  return fnv1a_hex(text(f));
}

std::string fnv1a_hex(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string fingerprint_hash(const Finding& f) {
  return fnv1a_hex(fingerprint(f));
}

}  // namespace tfwarden
