#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tfwarden {

// Tests on 16 bytes at once, for the report writers' escaping loops: GCC and Clang vector
// extensions, which become SSE2 on x86-64 and NEON on arm64 (and plain code elsewhere).
namespace bytes {

using Block = unsigned char __attribute__((vector_size(16)));
constexpr size_t kBlock = sizeof(Block);

// The 16 bytes at `p`.
inline Block load(const char* p) {
  Block b;
  std::memcpy(&b, p, kBlock);
  return b;
}

// Whether any lane of a comparison's result is set.
inline bool any(Block mask) {
  uint64_t halves[2];
  std::memcpy(halves, &mask, kBlock);
  return (halves[0] | halves[1]) != 0;
}

}  // namespace bytes

}  // namespace tfwarden
