// What every reducer knows about an entry besides its payload.
#pragma once

#include <compare>
#include <cstdint>

#include "model/payload.h"

namespace hearth::model {

// The total order of all entries of both partners: Lamport clock, then
// author. A device never writes two entries with one lamport (its clock
// increases on every write, private or shared), so the order is strict.
struct Order {
  uint64_t lamport = 0;  // >= 1 for every real entry; 0 means "none"
  DeviceKey author{};
  auto operator<=>(const Order&) const = default;
};

// Where an entry's words are stored: a shared event row or a private entry
// row. Views point at entries with this, never copy their text.
struct EntryRef {
  enum class Source : uint8_t { kShared = 0, kPrivate = 1 };
  Source source = Source::kShared;
  int64_t row = 0;
  auto operator<=>(const EntryRef&) const = default;
};

struct EntryMeta {
  Order order;
  int64_t wall_ms = 0;  // the author's clock: display, and when a pause ends
  EntryRef ref;
  EventId event_id{};  // shared events only; zero for private entries
  bool is_private() const { return ref.source == EntryRef::Source::kPrivate; }
};

struct Entry {
  EntryMeta meta;
  Payload payload;
};

}  // namespace hearth::model
