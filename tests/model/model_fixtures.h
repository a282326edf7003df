// Builders for model entries in tests.
#pragma once

#include <cstring>

#include "model/state.h"

namespace hearth::test {

inline model::DeviceKey device(uint8_t n) {
  model::DeviceKey k{};
  k.fill(n);
  return k;
}
inline model::EntityId entity(uint8_t n) {
  model::EntityId id{};
  id.fill(n);
  return id;
}

// Each entry gets a distinct ref and event ID derived from (author, lamport).
inline model::Entry entry(uint8_t author, uint64_t lamport, model::Payload payload,
                          bool is_private = false) {
  model::Entry e;
  e.meta.order = {lamport, device(author)};
  e.meta.wall_ms = 1'700'000'000'000 + static_cast<int64_t>(lamport) * 1000;
  e.meta.ref = {is_private ? model::EntryRef::Source::kPrivate : model::EntryRef::Source::kShared,
                static_cast<int64_t>(author) * 1'000'000 + static_cast<int64_t>(lamport)};
  if (!is_private) {
    e.meta.event_id.fill(0);
    e.meta.event_id[0] = author;
    std::memcpy(e.meta.event_id.data() + 1, &lamport, sizeof lamport);
  }
  e.payload = std::move(payload);
  return e;
}

}  // namespace hearth::test
