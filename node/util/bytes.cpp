#include "util/bytes.h"

#include <sodium.h>

namespace hearth {

std::string to_hex(ByteView b) {
  std::string out(b.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), b.data(), b.size());
  out.pop_back();
  return out;
}

bool from_hex(std::string_view hex, Bytes& out) {
  if (hex.size() % 2 != 0) return false;
  out.assign(hex.size() / 2, 0);
  if (hex.empty()) return true;  // libsodium takes no null buffer, even of size 0
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0)
    return false;
  return written == out.size() && end == hex.data() + hex.size();
}

}  // namespace hearth
