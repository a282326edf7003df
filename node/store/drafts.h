// Drafts (docs/DESIGN.md §10): what a person is writing in `hearth ui`, kept
// until it is saved or discarded, so that closing a page or a crash loses
// nothing. A local fact: never an event, never sent, kept through a rebuild.
// Owns the table `drafts`; each body is sealed with the local key,
// AD = "hearth/draft/v1" || name, so no word is on disk in plaintext.
#pragma once

#include <string>
#include <string_view>

#include "model/limits.h"
#include "store/db.h"
#include "store/keyring.h"

namespace hearth::store {

// A draft's name: 1..kMaxDraftName characters of [a-z0-9-].
inline constexpr size_t kMaxDraftName = 32;
// As a reflection (model::kMaxReflectionText): a draft becomes one.
inline constexpr size_t kMaxDraftText = model::kMaxReflectionText;

bool valid_draft_name(std::string_view name);

struct DraftItem {
  std::string text;     // empty when none is kept
  int64_t updated_ms = 0;  // 0: none is kept
};

class Drafts {
 public:
  Drafts(Db& db, const Keyring& keys) : db_(db), keys_(keys) {}

  // Replaces the draft `name`; an empty text discards it. Preconditions
  // (checked by the caller, asserted here): a valid name, text at most
  // kMaxDraftText bytes.
  Status put(std::string_view name, std::string_view text, int64_t now_ms);
  // The draft `name`, or an empty DraftItem.
  Result<DraftItem> get(std::string_view name);
  Status discard(std::string_view name);

 private:
  Db& db_;
  const Keyring& keys_;
};

}  // namespace hearth::store
