// Reflections: written by one partner, private or shared, edited with
// history, forgotten by their author. Pure reducers; see docs/DESIGN.md §5.2.
#pragma once

#include "model/entry.h"

namespace hearth::model {

// A reflection is identified by its author and the ID its author chose, so
// one partner can never edit or forget the other's reflection.
struct ReflectionKey {
  DeviceKey author{};
  EntityId id{};
  auto operator<=>(const ReflectionKey&) const = default;
};

// The materialized state of one reflection. Default-constructed = unknown.
struct ReflectionView {
  bool forgotten = false;  // terminal: every version's words are dropped
  bool shared = false;     // at least one version is a shared event
  uint64_t first_lamport = 0;
  int64_t created_ms = 0;
  uint64_t head_lamport = 0;  // the current version: the put with the highest lamport
  int64_t updated_ms = 0;
  EntryRef head;
  bool operator==(const ReflectionView&) const = default;
  bool exists() const { return forgotten || head_lamport != 0; }
};

// meta.order.author must be the reflection's author (the key says so).
// Commutative and idempotent; a put for a forgotten reflection changes
// nothing (its words must then be dropped by the caller).
ReflectionView apply_put(ReflectionView view, const EntryMeta& meta);
// The tombstone: forgotten, with nothing else kept.
ReflectionView apply_forget(const ReflectionView& view);

}  // namespace hearth::model
