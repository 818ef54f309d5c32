#pragma once

#include <cstdint>
#include <cstring>

namespace tfwarden {

// Tests on the 8 bytes of a word at once (SWAR), for the report writers' escaping loops: each
// returns a mask with the high bit of every byte that passes set, so a non-zero result means
// "some byte does". Exact for "some byte does" (the borrow of a lower byte can only flag a
// higher one when a lower one is flagged already).
namespace bytes {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

// The 8 bytes at `p`.
inline uint64_t load(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Bytes equal to `c`.
inline uint64_t equal(uint64_t w, unsigned char c) {
  uint64_t x = w ^ (c * kOnes);
  return (x - kOnes) & ~x & kHigh;
}

// Bytes below `n` (n at most 0x80).
inline uint64_t below(uint64_t w, unsigned char n) {
  return (w - n * kOnes) & ~w & kHigh;
}

// Bytes from 0x80 (not ASCII).
inline uint64_t high(uint64_t w) {
  return w & kHigh;
}

}  // namespace bytes

}  // namespace tfwarden
