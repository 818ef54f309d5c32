#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

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

// The index of the first byte of `s` from `i` that `plain_byte` rejects, or s.size(): blocks
// that `plain_block` accepts (it must reject a block holding a byte `plain_byte` rejects) are
// skipped 16 bytes at a time, the rest a byte at a time.
template <typename PlainBlock, typename PlainByte>
size_t skip_plain(std::string_view s, size_t i, PlainBlock plain_block, PlainByte plain_byte) {
  const size_t n = s.size();
  while (true) {
    while (i + kBlock <= n && plain_block(load(s.data() + i))) i += kBlock;
    const size_t end = std::min(n, i + kBlock);
    while (i < end && plain_byte(static_cast<unsigned char>(s[i]))) ++i;
    if (i < end || i == n) return i;
  }
}

}  // namespace bytes

}  // namespace tfwarden
