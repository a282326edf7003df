// Byte containers and the little fixed-width encodings the formats use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hearth {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using Key32 = std::array<uint8_t, 32>;
using Hash32 = std::array<uint8_t, 32>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

inline void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }
inline void append(Bytes& out, std::string_view s) { append(out, as_bytes(s)); }

inline void put_u16_be(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
inline void put_u32_be(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}
inline void put_u64_be(Bytes& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}
inline uint16_t get_u16_be(const uint8_t* p) {
  return static_cast<uint16_t>((uint16_t{p[0]} << 8) | p[1]);
}
inline uint32_t get_u32_be(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t get_u64_be(const uint8_t* p) {
  return (uint64_t{get_u32_be(p)} << 32) | get_u32_be(p + 4);
}

template <size_t N>
inline std::array<uint8_t, N> to_array(ByteView b) {
  std::array<uint8_t, N> out{};
  if (b.size() == N) std::copy(b.begin(), b.end(), out.begin());
  return out;
}

// Lower-case hex (libsodium's sodium_bin2hex).
std::string to_hex(ByteView b);
// Returns false on odd length or a non-hex character.
bool from_hex(std::string_view hex, Bytes& out);

}  // namespace hearth
