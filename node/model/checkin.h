// Check-ins: private by default, shareable later, forgotten by their author.
// Pure reducers; see docs/DESIGN.md §5.3.
#pragma once

#include "model/entry.h"

namespace hearth::model {

struct CheckInKey {
  DeviceKey author{};
  EntityId id{};
  auto operator<=>(const CheckInKey&) const = default;
};

// A check-in's words never change, but it can exist twice: written privately,
// then shared later (the same ID and words again, as a shared event). `first`
// is when it was written; `head` is its latest copy, shared if any is.
// Default-constructed = unknown.
struct CheckInView {
  EntryMeta first;  // order.lamport == 0: unknown
  EntryMeta head;
  bool forgotten = false;  // terminal: every copy's words are dropped
  bool shared() const { return head.ref.source == EntryRef::Source::kShared; }
  bool exists() const { return forgotten || first.order.lamport != 0; }
  bool operator==(const CheckInView& o) const;
};
// meta.order.author must be the check-in's author (the key says so).
// Commutative and idempotent; a copy of a forgotten check-in changes nothing
// (its words must then be dropped by the caller).
CheckInView apply_check_in(CheckInView view, const EntryMeta& meta);
// The tombstone: forgotten, with nothing else kept.
CheckInView apply_check_in_forget(const CheckInView& view);

}  // namespace hearth::model
