#include "crypto/entity_id.h"

#include <sodium.h>

namespace hearth::crypto {

std::array<uint8_t, 16> new_entity_id(int64_t now_ms) {
  std::array<uint8_t, 16> id{};
  auto ms = static_cast<uint64_t>(now_ms < 0 ? 0 : now_ms);
  for (int i = 0; i < 6; ++i) id[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  randombytes_buf(id.data() + 6, id.size() - 6);
  return id;
}

}  // namespace hearth::crypto
