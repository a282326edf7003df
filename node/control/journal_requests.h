// Requests that read or write the journal: reflections, boundaries,
// check-ins, the pause. Each returns one response frame.
#pragma once

#include "app/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Viewer viewer_of(app::Unlocked& u);

Bytes reflect_add(app::Unlocked& u, ReflectAdd::Reader r);
Bytes reflect_list(app::Unlocked& u, Query::Reader q);
Bytes reflect_show(app::Unlocked& u, Target::Reader t);
Bytes reflect_edit(app::Unlocked& u, ReflectEdit::Reader r);
Bytes reflect_share(app::Unlocked& u, Target::Reader t);
Bytes reflect_forget(app::Unlocked& u, Target::Reader t);

Bytes boundary_propose(app::Unlocked& u, BoundaryPropose::Reader r);
Bytes boundary_revise(app::Unlocked& u, BoundaryRevise::Reader r);
Bytes boundary_respond(app::Unlocked& u, BoundaryRespond::Reader r);
Bytes boundary_withdraw(app::Unlocked& u, BoundaryWithdraw::Reader r);
Bytes boundary_list(app::Unlocked& u, Query::Reader q);
Bytes boundary_set(app::Unlocked& u, BoundaryPropose::Reader r);
Bytes boundary_drop(app::Unlocked& u, Target::Reader t);

Bytes check_in(app::Unlocked& u, CheckInAdd::Reader r);
Bytes check_in_list(app::Unlocked& u, Query::Reader q);
Bytes check_in_share(app::Unlocked& u, Target::Reader t);
Bytes check_in_forget(app::Unlocked& u, Target::Reader t);
// Turning toward each other: an appreciation, a reply to the partner's need,
// and the reader's own archive.
Bytes appreciate(app::Unlocked& u, Appreciate::Reader r);
Bytes need_reply(app::Unlocked& u, NeedReply::Reader r);
Bytes archive(app::Unlocked& u, Archive::Reader r);

// This device's own pause: written, ended, or as a response.
Bytes pause(app::Unlocked& u, PauseSet::Reader r);
Bytes resume(app::Unlocked& u);
Bytes pause_frame(app::Unlocked& u);

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
Result<OverviewFacts> overview_of(app::Unlocked& u);
Bytes overview(app::Unlocked& u);

}  // namespace hearth::control
