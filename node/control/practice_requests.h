// Requests about practices done together and the day's page
// (docs/DESIGN.md §5.7, §5.8, §5.9). Each returns one response frame.
#pragma once

#include "app/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Bytes practice_invite(app::Unlocked& u, PracticeInvite::Reader r);
Bytes practice_join(app::Unlocked& u, PracticeJoin::Reader r);
Bytes practice_current(app::Unlocked& u);
Bytes practice_stop(app::Unlocked& u);
Bytes practice_stage(app::Unlocked& u, PracticeStage::Reader r);
Bytes today(app::Unlocked& u, Today::Reader r);
Bytes care_line(app::Unlocked& u);

// A session as a watch update or a response.
void present_practice(app::Unlocked& u, const store::PracticeItem& item,
                      PracticeInfo::Builder out);

}  // namespace hearth::control
