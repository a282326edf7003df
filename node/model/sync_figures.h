// How far the two devices have synced, as this device's user may see it
// (docs/DESIGN.md §1.3: counts of events, nothing about what the partner
// does with them). One type for the session that measures them
// (sync/session.h), the services and requests that report them, and the CLI
// that words them (client/reply.h).
#pragma once

#include <cstdint>

namespace hearth::model {

struct SyncFigures {
  uint64_t my_shared_events = 0;        // events in this device's log
  uint64_t partner_has_mine = 0;        // of those, acknowledged by the partner
  uint64_t partner_events_known = 0;    // the partner's events stored here
  uint64_t partner_events_offered = 0;  // the partner's head as last announced
  bool caught_up = false;               // connected, and nothing left to send or receive
  bool operator==(const SyncFigures&) const = default;
};

}  // namespace hearth::model
