// Check-ins and pauses: the two simplest kinds of state. Pure reducers.
#pragma once

#include "model/entry.h"

namespace hearth::model {

struct CheckInKey {
  DeviceKey author{};
  EntityId id{};
  auto operator<=>(const CheckInKey&) const = default;
};

// A check-in never changes; should one ID appear twice, the earliest wins.
struct CheckInView {
  EntryMeta meta;  // order.lamport == 0: unknown
  bool operator==(const CheckInView& o) const {
    return meta.order == o.meta.order && meta.wall_ms == o.meta.wall_ms && meta.ref == o.meta.ref;
  }
};
CheckInView apply_check_in(CheckInView view, const EntryMeta& meta);

// The shared pause: the latest pause or resume by either partner wins.
struct PauseView {
  Order order;           // lamport == 0: never paused
  bool paused = false;   // latest is a pause (false: a resume)
  int64_t started_ms = 0;
  uint16_t minutes = 0;
  EntryRef ref;
  bool operator==(const PauseView&) const = default;

  // Active at `now_ms`: paused, and the minutes have not run out by the
  // author's clock. Evaluated on read, so the state itself stays pure.
  bool active_at(int64_t now_ms) const {
    return paused && now_ms < started_ms + int64_t{minutes} * 60'000;
  }
  int64_t until_ms() const { return started_ms + int64_t{minutes} * 60'000; }
};
PauseView apply_pause(PauseView view, const EntryMeta& meta, const Pause& pause);
PauseView apply_resume(PauseView view, const EntryMeta& meta);

}  // namespace hearth::model
