// Requests that read or write the journal: reflections, boundaries,
// check-ins, the pause. Each returns one response frame.
#pragma once

#include "runtime/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Viewer viewer_of(runtime::Unlocked& u);

Bytes reflect_add(runtime::Unlocked& u, ReflectAdd::Reader r);
Bytes reflect_list(runtime::Unlocked& u, Query::Reader q);
Bytes reflect_show(runtime::Unlocked& u, Target::Reader t);
Bytes reflect_edit(runtime::Unlocked& u, ReflectEdit::Reader r);
Bytes reflect_share(runtime::Unlocked& u, Target::Reader t);
Bytes reflect_forget(runtime::Unlocked& u, Target::Reader t);

Bytes boundary_propose(runtime::Unlocked& u, BoundaryPropose::Reader r);
Bytes boundary_revise(runtime::Unlocked& u, BoundaryRevise::Reader r);
Bytes boundary_respond(runtime::Unlocked& u, BoundaryRespond::Reader r);
Bytes boundary_withdraw(runtime::Unlocked& u, BoundaryWithdraw::Reader r);
Bytes boundary_list(runtime::Unlocked& u, Query::Reader q);
Bytes boundary_set(runtime::Unlocked& u, BoundaryPropose::Reader r);
Bytes boundary_drop(runtime::Unlocked& u, Target::Reader t);

Bytes check_in(runtime::Unlocked& u, CheckInAdd::Reader r);
Bytes check_in_list(runtime::Unlocked& u, Query::Reader q);
Bytes check_in_share(runtime::Unlocked& u, Target::Reader t);
Bytes check_in_forget(runtime::Unlocked& u, Target::Reader t);
// Turning toward each other: an appreciation, a reply to the partner's need,
// and the reader's own archive.
Bytes appreciate(runtime::Unlocked& u, Appreciate::Reader r);
Bytes need_reply(runtime::Unlocked& u, NeedReply::Reader r);
Bytes archive(runtime::Unlocked& u, Archive::Reader r);

// This device's own pause: written, ended, or as a response.
Bytes pause(runtime::Unlocked& u, PauseSet::Reader r);
Bytes resume(runtime::Unlocked& u);
Bytes pause_frame(runtime::Unlocked& u);

// Both pauses, the partner, and what waits (control.capnp Overview); the
// status response carries the same facts.
struct OverviewFacts {
  bool paired = false;
  std::string partner_name;
  store::PauseItem mine;
  std::optional<store::PauseItem> partner;
  uint32_t waiting = 0;
  uint64_t shared_while_unpaired = 0;
};
Result<OverviewFacts> overview_of(runtime::Unlocked& u);
Bytes overview(runtime::Unlocked& u);

}  // namespace hearth::control
