// Requests about prompts answered blind and the yes / no / maybe list
// (docs/DESIGN.md §5.6). Each returns one response frame.
#pragma once

#include "runtime/daemon_state.h"
#include "control/present.h"

namespace hearth::control {

Bytes prompt_today(runtime::Unlocked& u, PromptToday::Reader r);
Bytes prompt_decks();
Bytes prompt_list(runtime::Unlocked& u, Query::Reader q);
Bytes prompt_show(runtime::Unlocked& u, PromptRef::Reader r);
Bytes prompt_answer(runtime::Unlocked& u, PromptAnswer::Reader r);
Bytes prompt_pass(runtime::Unlocked& u, PromptRef::Reader r);
Bytes prompt_ask(runtime::Unlocked& u, PromptAsk::Reader r);
Bytes prompt_reveal(runtime::Unlocked& u, PromptRef::Reader r);
Bytes ynm_show(runtime::Unlocked& u, YnmShow::Reader r);
Bytes ynm_start(runtime::Unlocked& u);

// The `prompt-depth` setting: how deep today's prompt may go (1..3; 2 unset).
uint8_t prompt_depth_setting(runtime::Unlocked& u);
// The partner to answer with; before any pairing, nobody (all zeros).
model::DeviceKey partner_key(runtime::Unlocked& u);

}  // namespace hearth::control
