// Store read-models -> control.capnp response structs. Included only by
// control/*.cpp (it pulls in the generated schema header).
#pragma once

#include "schema/control.capnp.h"
#include "store/prompts.h"
#include "store/reader.h"

namespace hearth::control {

struct Viewer {
  Key32 self{};
  int64_t now_ms = 0;
  uint64_t partner_acked_seq = 0;  // how much of my log the partner acknowledged
};

// In a list (`in_list`), a partner's reflection with a content note shows
// the note and not its words; `reflect show` opens them.
void present(const Viewer& v, const store::ReflectionItem& item, Reflection::Builder out,
             bool in_list = false);
void present(const Viewer& v, const store::PromptItem& item, Prompt::Builder out);
void present(const Viewer& v, const store::BoundaryItem& item, Boundary::Builder out);
void present(const Viewer& v, const store::CheckInItem& item, CheckIn::Builder out);
void present(const Viewer& v, const store::PauseItem& item, PauseInfo::Builder out);

}  // namespace hearth::control
