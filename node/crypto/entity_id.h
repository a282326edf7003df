// IDs for reflections, boundaries and check-ins: 16 bytes, the first 6 the
// creation time in milliseconds (big-endian), the other 10 random.
//
// Time first makes the views' indexes grow at their end, so a catch-up of
// many entries touches few pages. The time is no secret: the ID lives only
// inside encrypted payloads and in the views, which hold the time anyway.
#pragma once

#include <array>
#include <cstdint>

namespace hearth::crypto {

std::array<uint8_t, 16> new_entity_id(int64_t now_ms);

}  // namespace hearth::crypto
