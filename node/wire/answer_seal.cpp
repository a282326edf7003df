#include "wire/answer_seal.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include <cstring>

#include "crypto/aead.h"
#include "schema/event.capnp.h"
#include "wire/capnp_message.h"

namespace hearth::wire {
namespace {

constexpr std::string_view kAnswerAd = "hearth/answer/v1";

Bytes ad_of(const model::EntityId& answer_id) {
  Bytes ad(kAnswerAd.size() + answer_id.size());
  std::memcpy(ad.data(), kAnswerAd.data(), kAnswerAd.size());
  std::memcpy(ad.data() + kAnswerAd.size(), answer_id.data(), answer_id.size());
  return ad;
}

Bytes encode_words(const AnswerWords& words) {
  capnp::MallocMessageBuilder message;
  auto b = message.initRoot<schema::AnswerWords>();
  b.setText(words.text);
  b.setChoice(static_cast<schema::Choice>(words.choice));
  return to_bytes(message);
}

}  // namespace

SealedAnswer seal_answer(const model::EntityId& answer_id, const AnswerWords& words) {
  SealedAnswer out;
  out.key = Secret::random(crypto::kAeadKeyBytes);
  Bytes plain = encode_words(words);
  out.sealed = crypto::seal(out.key, plain, ad_of(answer_id));
  wipe(plain);
  return out;
}

Bytes seal_answer_with(const model::EntityId& answer_id, const AnswerWords& words,
                       const Secret& key, ByteView nonce) {
  Bytes plain = encode_words(words);
  Bytes sealed = crypto::seal_with_nonce(key, nonce, plain, ad_of(answer_id));
  wipe(plain);
  return sealed;
}

Result<AnswerWords> open_answer(const model::EntityId& answer_id, const Secret& key,
                                ByteView sealed) {
  if (key.size() != crypto::kAeadKeyBytes) return Status::invalid("an answer key is 32 bytes");
  HEARTH_ASSIGN_OR_RETURN(Secret plain, crypto::open(key, sealed, ad_of(answer_id)));
  HEARTH_ASSIGN_OR_RETURN(MessageReader reader,
                          MessageReader::parse(plain.view(), model::kMaxSealedAnswer));
  AnswerWords out;
  bool valid = false;
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
    auto r = reader.root<schema::AnswerWords>();
    auto text = r.getText();
    out.text.assign(text.begin(), text.size());
    auto choice = static_cast<uint16_t>(r.getChoice());
    valid = choice <= 3;
    out.choice = static_cast<model::Choice>(choice);
  });
  if (failure != nullptr || !valid) return Status::corrupt("a sealed answer does not decode");
  if (out.text.size() > model::kMaxAnswerText || !model::is_valid_utf8(out.text))
    return Status::corrupt("a sealed answer is out of bounds");
  return out;
}

}  // namespace hearth::wire
