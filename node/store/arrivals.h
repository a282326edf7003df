// Local facts about what the partner sends, kept beside the log and never
// sent (docs/DESIGN.md §5.5): when a partner's pause reached this
// device and the partner's clock offset then, and what the partner shared
// while this device's own pause lasted, held back until it ends.
//
// Owns the tables pause_arrivals and held_rows. Callers hold the
// transaction that stores the entries concerned.
#pragma once

#include <vector>

#include "model/pause.h"
#include "store/db.h"
#include "store/views.h"

namespace hearth::store {

// How an entry reached this device.
struct Receipt {
  int64_t at_ms = 0;      // this device's clock; 0: unknown (nothing is recorded)
  int64_t offset_ms = 0;  // this device's clock minus the sender's, from its Hello
  // Whether this device's own pause is active at at_ms; see Arrivals::for_batch.
  bool holding = false;
};

class Arrivals {
 public:
  Arrivals(Db& db, Views& views, const Key32& self) : db_(db), views_(views), self_(self) {}

  // `r` with `holding` filled in, once per batch (the partner's events
  // cannot change this device's pause).
  Result<Receipt> for_batch(Receipt r);
  // Records what a partner's entry needs, once it is stored and applied:
  // a pause, a resume or a practice's join, its arrival (and the offset); an entry of the kinds a pause holds back
  // (a reflection, a check-in, a new boundary), held when r.holding.
  // Returns whether it is held.
  Result<bool> note(const model::Entry& entry, const Receipt& r);
  // This device wrote a new pause: what waited for the previous one was
  // already shown, and is held no longer.
  Status clear_held();
  // Rows of entries that no longer exist (after an erase) are forgotten.
  Status drop_orphans();

  // How a partner's pause (or practice join) event at `row` falls on this
  // device's clock.
  Result<model::PauseClock> clock_of(int64_t row);
  // Whether this device's own pause is active at now_ms.
  Result<bool> own_pause_active(int64_t now_ms);
  // Held rows, in the order they arrived.
  Result<std::vector<int64_t>> held_rows();

 private:
  Db& db_;
  Views& views_;
  Key32 self_;
};

}  // namespace hearth::store
