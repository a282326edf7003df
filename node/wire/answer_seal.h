// Sealing an answer to a prompt (PROTOCOL.md §2.4): the words are encrypted
// with a fresh random 32-byte key inside the shared PromptAnswer, so the
// partner's device stores them but cannot read them until the author's
// device releases the key (AnswerReveal).
//
//   sealed = XChaCha20-Poly1305(key, nonce, AnswerWords as a Cap'n Proto message,
//                               AD = "hearth/answer/v1" || answerId)
//            laid out as nonce (24) || ciphertext || tag (16)
#pragma once

#include <string>

#include "model/payload.h"
#include "util/secret.h"

namespace hearth::wire {

struct AnswerWords {
  std::string text;
  model::Choice choice = model::Choice::kNone;
};

struct SealedAnswer {
  Bytes sealed;
  Secret key;  // 32 bytes; kept by its author (a private AnswerKey) until revealed
};

// Seals `words` under a fresh random key.
SealedAnswer seal_answer(const model::EntityId& answer_id, const AnswerWords& words);
// The same with a given key and nonce, for known-answer vectors.
Bytes seal_answer_with(const model::EntityId& answer_id, const AnswerWords& words,
                       const Secret& key, ByteView nonce);
// Opens a sealed answer. kAuthFailed: not this key, or altered bytes; kCorrupt:
// the plaintext is not a valid AnswerWords within its limits.
Result<AnswerWords> open_answer(const model::EntityId& answer_id, const Secret& key,
                                ByteView sealed);

}  // namespace hearth::wire
