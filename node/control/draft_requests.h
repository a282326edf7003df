// Drafts kept for `hearth ui` (docs/DESIGN.md §10, control.capnp draftPut,
// draftGet, draftDiscard): the words being written, sealed with the local key
// until they are saved or discarded. Each returns one response frame.
#pragma once

#include "runtime/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Bytes draft_put(runtime::Unlocked& u, DraftPut::Reader r);
Bytes draft_get(runtime::Unlocked& u, DraftRef::Reader r);
Bytes draft_discard(runtime::Unlocked& u, DraftRef::Reader r);

}  // namespace hearth::control
