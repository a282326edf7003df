// Requests about prompts answered blind and the yes / no / maybe list
// (docs/DESIGN.md §5.6). Each returns one response frame.
#pragma once

#include "app/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Bytes prompt_today(app::Unlocked& u, PromptToday::Reader r);
Bytes prompt_decks();
Bytes prompt_list(app::Unlocked& u, Query::Reader q);
Bytes prompt_show(app::Unlocked& u, PromptRef::Reader r);
Bytes prompt_answer(app::Unlocked& u, PromptAnswer::Reader r);
Bytes prompt_pass(app::Unlocked& u, PromptRef::Reader r);
Bytes prompt_ask(app::Unlocked& u, PromptAsk::Reader r);
Bytes prompt_reveal(app::Unlocked& u, PromptRef::Reader r);
Bytes ynm_show(app::Unlocked& u, YnmShow::Reader r);
Bytes ynm_start(app::Unlocked& u);

// The `prompt-depth` setting: how deep today's prompt may go (1..3; 2 unset).
uint8_t prompt_depth_setting(app::Unlocked& u);
// The partner to answer with; before any pairing, nobody (all zeros).
model::DeviceKey partner_key(app::Unlocked& u);

}  // namespace hearth::control
