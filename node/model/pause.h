// Pauses are personal (docs/DESIGN.md §5.5): each partner's pause is
// their own, only its author ends or extends it, and the two partners'
// pauses are independent. Pure reducers, plus where a pause falls on the
// reader's clock.
#pragma once

#include <optional>

#include "model/entry.h"

namespace hearth::model {

// One author's pause: their latest pause or resume by (lamport, author).
// Kept per author, so a resume can only ever end its author's own pause.
struct PauseView {
  Order order;            // lamport == 0: never paused
  bool paused = false;    // the author's latest is a pause (false: a resume)
  int64_t started_ms = 0; // the author's clock when it began
  uint16_t minutes = 0;
  EntryRef ref;
  bool operator==(const PauseView&) const = default;
};
// meta.order.author must be the view's author. A later pause by the same
// author replaces the earlier one (extends it, or changes its note).
PauseView apply_pause(PauseView view, const EntryMeta& meta, const Pause& pause);
PauseView apply_resume(PauseView view, const EntryMeta& meta);

// What the reader knows of the author's clock. For one's own pause both are
// empty; for the partner's, the offset measured at the session the pause
// arrived in, and when it arrived (docs/DESIGN.md §5.5, PROTOCOL.md §4.5).
struct PauseClock {
  int64_t offset_ms = 0;               // reader's clock minus the author's
  std::optional<int64_t> arrived_ms;   // on the reader's clock
};

// A pause placed on the reader's clock: it began at the author's start,
// corrected by the offset, but never after it arrived; so it never lasts
// longer than its minutes from when it arrived, whatever the author's clock
// says, and one that arrives already over is over.
struct PauseWindow {
  int64_t start_ms = 0;
  int64_t end_ms = 0;  // == start_ms for a resumed (or never made) pause
  bool active_at(int64_t now_ms) const { return now_ms < end_ms; }
};
PauseWindow window_of(const PauseView& view, const PauseClock& clock);

}  // namespace hearth::model
