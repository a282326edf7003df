// Requests about practices done together and the day's page
// (docs/DESIGN.md §5.7, §5.8, §5.9). Each returns one response frame.
#pragma once

#include "runtime/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Bytes practice_invite(runtime::Unlocked& u, PracticeInvite::Reader r);
Bytes practice_join(runtime::Unlocked& u, PracticeJoin::Reader r);
Bytes practice_current(runtime::Unlocked& u);
Bytes practice_stop(runtime::Unlocked& u);
Bytes practice_stage(runtime::Unlocked& u, PracticeStage::Reader r);
Bytes today(runtime::Unlocked& u, Today::Reader r);
Bytes care_line(runtime::Unlocked& u);

// A session as a watch update or a response.
void present_practice(runtime::Unlocked& u, const store::PracticeItem& item,
                      PracticeInfo::Builder out);

}  // namespace hearth::control
