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

Bytes check_in(app::Unlocked& u, CheckInAdd::Reader r);
Bytes check_in_list(app::Unlocked& u, Query::Reader q);

Bytes pause(app::Unlocked& u, PauseSet::Reader r);
Bytes resume(app::Unlocked& u);
// The pause as a response (also the first frame of `watch`).
Bytes pause_frame(app::Unlocked& u);

}  // namespace hearth::control
