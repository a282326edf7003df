#include "wire/payload_codec.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include <cstring>

#include "schema/event.capnp.h"
#include "wire/capnp_message.h"

namespace hearth::wire {
namespace {

namespace s = hearth::schema;

kj::ArrayPtr<const kj::byte> bytes_of(ByteView b) { return {b.data(), b.size()}; }

template <size_t N>
Result<std::array<uint8_t, N>> fixed(capnp::Data::Reader d, const char* what) {
  if (d.size() != N) {
    return Status::corrupt(std::string(what) + " must be " + std::to_string(N) + " bytes");
  }
  std::array<uint8_t, N> out{};
  std::memcpy(out.data(), d.begin(), N);
  return out;
}

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

Result<std::vector<std::string>> feelings_of(capnp::List<capnp::Text>::Reader list) {
  if (list.size() > model::kMaxFeelings) return Status::corrupt("too many feelings");
  std::vector<std::string> out;
  out.reserve(list.size());
  for (auto t : list) out.push_back(text_of(t));
  return out;
}


struct Encoder {
  s::Payload::Builder b;

  static void feelings(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& f) {
    for (unsigned i = 0; i < f.size(); ++i) list.set(i, f[i]);
  }
  void operator()(const model::ReflectionPut& p) {
    auto r = b.initReflectionPut();
    r.setReflectionId(bytes_of(p.reflection_id));
    r.setText(p.text);
    feelings(r.initFeelings(static_cast<unsigned>(p.feelings.size())), p.feelings);
    r.setPromptId(p.prompt_id);
    r.setReplyTo(bytes_of(p.reply_to));
    r.setContentNote(p.content_note);
    r.setAppreciation(p.appreciation);
  }
  void operator()(const model::ReflectionForget& p) {
    b.initReflectionForget().setReflectionId(bytes_of(p.reflection_id));
  }
  void operator()(const model::BoundaryPropose& p) {
    auto r = b.initBoundaryPropose();
    r.setBoundaryId(bytes_of(p.boundary_id));
    r.setText(p.text);
    r.setCategory(p.category);
    r.setKind(static_cast<s::BoundaryKind>(p.kind));
  }
  void operator()(const model::BoundaryRespond& p) {
    auto r = b.initBoundaryRespond();
    r.setBoundaryId(bytes_of(p.boundary_id));
    r.setRevision(bytes_of(p.revision));
    r.setResponse(static_cast<s::Response>(p.response));
    r.setNote(p.note);
    r.setAskAgainAfter(p.ask_again_after_ms);
  }
  void operator()(const model::BoundaryDrop& p) {
    auto r = b.initBoundaryDrop();
    r.setBoundaryId(bytes_of(p.boundary_id));
    r.setRevision(bytes_of(p.revision));
  }
  void operator()(const model::CheckInForget& p) {
    b.initCheckInForget().setCheckInId(bytes_of(p.check_in_id));
  }
  void operator()(const model::PromptAsk& p) {
    auto r = b.initPromptAsk();
    r.setPromptId(p.prompt_id);
    r.setText(p.text);
    r.setDepth(p.depth);
  }
  void operator()(const model::PromptAnswer& p) {
    auto r = b.initPromptAnswer();
    r.setPromptId(p.prompt_id);
    r.setAnswerId(bytes_of(p.answer_id));
    r.setRound(bytes_of(p.round));
    r.setSealed(bytes_of(p.sealed));
  }
  void operator()(const model::AnswerReveal& p) {
    auto r = b.initAnswerReveal();
    r.setAnswerId(bytes_of(p.answer_id));
    r.setKey(bytes_of(p.key));
  }
  void operator()(const model::PromptPass& p) {
    auto r = b.initPromptPass();
    r.setPromptId(p.prompt_id);
    r.setRound(bytes_of(p.round));
  }
  void operator()(const model::YnmRound& p) { b.initYnmRound().setRoundId(bytes_of(p.round_id)); }
  void operator()(const model::AnswerKey& p) {
    auto r = b.initAnswerKey();
    r.setAnswerId(bytes_of(p.answer_id));
    r.setKey(bytes_of(p.key));
    r.setNote(p.note);
  }
  void operator()(const model::PracticeInvite& p) {
    auto r = b.initPracticeInvite();
    r.setSessionId(bytes_of(p.session_id));
    r.setPractice(p.practice);
    r.setMinutes(p.minutes);
    r.setInSeconds(p.in_seconds);
    r.setOutSeconds(p.out_seconds);
    r.setStage(p.stage);
  }
  void operator()(const model::PracticeJoin& p) {
    auto r = b.initPracticeJoin();
    r.setSessionId(bytes_of(p.session_id));
    r.setStartAt(p.start_at_ms);
  }
  void operator()(const model::PracticeCheck& p) {
    auto r = b.initPracticeCheck();
    r.setSessionId(bytes_of(p.session_id));
    r.setCapacity(static_cast<s::Capacity>(p.capacity));
  }
  void operator()(const model::PracticeStop& p) {
    b.initPracticeStop().setSessionId(bytes_of(p.session_id));
  }
  void operator()(const model::PracticeStage& p) {
    auto r = b.initPracticeStage();
    r.setPractice(p.practice);
    r.setStage(p.stage);
  }
  void operator()(const model::NeedReply& p) {
    auto r = b.initNeedReply();
    r.setCheckInId(bytes_of(p.check_in_id));
    r.setReplyId(bytes_of(p.reply_id));
    r.setText(p.text);
  }
  void operator()(const model::BoundaryWithdraw& p) {
    auto r = b.initBoundaryWithdraw();
    r.setBoundaryId(bytes_of(p.boundary_id));
    r.setNote(p.note);
  }
  void operator()(const model::CheckIn& p) {
    auto r = b.initCheckIn();
    r.setCheckInId(bytes_of(p.check_in_id));
    r.setCapacity(static_cast<s::Capacity>(p.capacity));
    feelings(r.initFeelings(static_cast<unsigned>(p.feelings.size())), p.feelings);
    r.setNeed(p.need);
  }
  void operator()(const model::Pause& p) {
    auto r = b.initPause();
    r.setMinutes(p.minutes);
    r.setNote(p.note);
  }
  void operator()(const model::Resume&) { b.setResume(); }
};

Result<model::Payload> decode_root(s::Payload::Reader p) {
  switch (p.which()) {
    case s::Payload::REFLECTION_PUT: {
      auto r = p.getReflectionPut();
      model::ReflectionPut out;
      HEARTH_ASSIGN_OR_RETURN(out.reflection_id, fixed<16>(r.getReflectionId(), "reflectionId"));
      out.text = text_of(r.getText());
      HEARTH_ASSIGN_OR_RETURN(out.feelings, feelings_of(r.getFeelings()));
      out.prompt_id = text_of(r.getPromptId());
      auto reply = r.getReplyTo();
      out.reply_to.assign(reply.begin(), reply.end());
      out.content_note = text_of(r.getContentNote());
      out.appreciation = r.getAppreciation();
      return model::Payload{std::move(out)};
    }
    case s::Payload::REFLECTION_FORGET: {
      model::ReflectionForget out;
      HEARTH_ASSIGN_OR_RETURN(out.reflection_id,
                              fixed<16>(p.getReflectionForget().getReflectionId(), "reflectionId"));
      return model::Payload{out};
    }
    case s::Payload::BOUNDARY_PROPOSE: {
      auto r = p.getBoundaryPropose();
      model::BoundaryPropose out;
      HEARTH_ASSIGN_OR_RETURN(out.boundary_id, fixed<16>(r.getBoundaryId(), "boundaryId"));
      out.text = text_of(r.getText());
      out.category = text_of(r.getCategory());
      auto kind = static_cast<uint16_t>(r.getKind());
      if (kind > 1) return Status::corrupt("unknown kind of boundary");
      out.kind = static_cast<model::BoundaryKind>(kind);
      return model::Payload{std::move(out)};
    }
    case s::Payload::BOUNDARY_RESPOND: {
      auto r = p.getBoundaryRespond();
      model::BoundaryRespond out;
      HEARTH_ASSIGN_OR_RETURN(out.boundary_id, fixed<16>(r.getBoundaryId(), "boundaryId"));
      HEARTH_ASSIGN_OR_RETURN(out.revision, fixed<32>(r.getRevision(), "revision"));
      auto resp = static_cast<uint16_t>(r.getResponse());
      if (resp > 3) return Status::corrupt("unknown boundary response");
      out.response = static_cast<model::Response>(resp);
      out.note = text_of(r.getNote());
      out.ask_again_after_ms = r.getAskAgainAfter();
      return model::Payload{std::move(out)};
    }
    case s::Payload::BOUNDARY_WITHDRAW: {
      auto r = p.getBoundaryWithdraw();
      model::BoundaryWithdraw out;
      HEARTH_ASSIGN_OR_RETURN(out.boundary_id, fixed<16>(r.getBoundaryId(), "boundaryId"));
      out.note = text_of(r.getNote());
      return model::Payload{std::move(out)};
    }
    case s::Payload::CHECK_IN: {
      auto r = p.getCheckIn();
      model::CheckIn out;
      HEARTH_ASSIGN_OR_RETURN(out.check_in_id, fixed<16>(r.getCheckInId(), "checkInId"));
      auto cap = static_cast<uint16_t>(r.getCapacity());
      if (cap > 2) return Status::corrupt("unknown capacity");
      out.capacity = static_cast<model::Capacity>(cap);
      HEARTH_ASSIGN_OR_RETURN(out.feelings, feelings_of(r.getFeelings()));
      out.need = text_of(r.getNeed());
      return model::Payload{std::move(out)};
    }
    case s::Payload::PAUSE: {
      auto r = p.getPause();
      return model::Payload{model::Pause{r.getMinutes(), text_of(r.getNote())}};
    }
    case s::Payload::RESUME:
      return model::Payload{model::Resume{}};
    case s::Payload::CHECK_IN_FORGET: {
      model::CheckInForget out;
      HEARTH_ASSIGN_OR_RETURN(out.check_in_id,
                              fixed<16>(p.getCheckInForget().getCheckInId(), "checkInId"));
      return model::Payload{out};
    }
    case s::Payload::PROMPT_ASK: {
      auto r = p.getPromptAsk();
      return model::Payload{model::PromptAsk{text_of(r.getPromptId()), text_of(r.getText()),
                                             r.getDepth()}};
    }
    case s::Payload::PROMPT_ANSWER: {
      auto r = p.getPromptAnswer();
      model::PromptAnswer out;
      out.prompt_id = text_of(r.getPromptId());
      HEARTH_ASSIGN_OR_RETURN(out.answer_id, fixed<16>(r.getAnswerId(), "answerId"));
      out.round.assign(r.getRound().begin(), r.getRound().end());
      if (r.getSealed().size() > model::kMaxSealedAnswer)
        return Status::corrupt("a sealed answer is too large");
      out.sealed.assign(r.getSealed().begin(), r.getSealed().end());
      return model::Payload{std::move(out)};
    }
    case s::Payload::ANSWER_REVEAL: {
      auto r = p.getAnswerReveal();
      model::AnswerReveal out;
      HEARTH_ASSIGN_OR_RETURN(out.answer_id, fixed<16>(r.getAnswerId(), "answerId"));
      HEARTH_ASSIGN_OR_RETURN(out.key, fixed<32>(r.getKey(), "key"));
      return model::Payload{out};
    }
    case s::Payload::PROMPT_PASS: {
      auto r = p.getPromptPass();
      model::PromptPass out;
      out.prompt_id = text_of(r.getPromptId());
      out.round.assign(r.getRound().begin(), r.getRound().end());
      return model::Payload{std::move(out)};
    }
    case s::Payload::YNM_ROUND: {
      model::YnmRound out;
      HEARTH_ASSIGN_OR_RETURN(out.round_id, fixed<16>(p.getYnmRound().getRoundId(), "roundId"));
      return model::Payload{out};
    }
    case s::Payload::ANSWER_KEY: {
      auto r = p.getAnswerKey();
      model::AnswerKey out;
      HEARTH_ASSIGN_OR_RETURN(out.answer_id, fixed<16>(r.getAnswerId(), "answerId"));
      HEARTH_ASSIGN_OR_RETURN(out.key, fixed<32>(r.getKey(), "key"));
      out.note = text_of(r.getNote());
      return model::Payload{std::move(out)};
    }
    case s::Payload::NEED_REPLY: {
      auto r = p.getNeedReply();
      model::NeedReply out;
      HEARTH_ASSIGN_OR_RETURN(out.check_in_id, fixed<16>(r.getCheckInId(), "checkInId"));
      HEARTH_ASSIGN_OR_RETURN(out.reply_id, fixed<16>(r.getReplyId(), "replyId"));
      out.text = text_of(r.getText());
      return model::Payload{std::move(out)};
    }
    case s::Payload::PRACTICE_INVITE: {
      auto r = p.getPracticeInvite();
      model::PracticeInvite out;
      HEARTH_ASSIGN_OR_RETURN(out.session_id, fixed<16>(r.getSessionId(), "sessionId"));
      out.practice = text_of(r.getPractice());
      out.minutes = r.getMinutes();
      out.in_seconds = r.getInSeconds();
      out.out_seconds = r.getOutSeconds();
      out.stage = r.getStage();
      return model::Payload{std::move(out)};
    }
    case s::Payload::PRACTICE_JOIN: {
      auto r = p.getPracticeJoin();
      model::PracticeJoin out;
      HEARTH_ASSIGN_OR_RETURN(out.session_id, fixed<16>(r.getSessionId(), "sessionId"));
      out.start_at_ms = r.getStartAt();
      return model::Payload{out};
    }
    case s::Payload::PRACTICE_CHECK: {
      auto r = p.getPracticeCheck();
      model::PracticeCheck out;
      HEARTH_ASSIGN_OR_RETURN(out.session_id, fixed<16>(r.getSessionId(), "sessionId"));
      auto cap = static_cast<uint16_t>(r.getCapacity());
      if (cap > 2) return Status::corrupt("unknown capacity");
      out.capacity = static_cast<model::Capacity>(cap);
      return model::Payload{out};
    }
    case s::Payload::PRACTICE_STOP: {
      model::PracticeStop out;
      HEARTH_ASSIGN_OR_RETURN(out.session_id,
                              fixed<16>(p.getPracticeStop().getSessionId(), "sessionId"));
      return model::Payload{out};
    }
    case s::Payload::PRACTICE_STAGE: {
      auto r = p.getPracticeStage();
      return model::Payload{model::PracticeStage{text_of(r.getPractice()), r.getStage()}};
    }
    case s::Payload::BOUNDARY_DROP: {
      auto r = p.getBoundaryDrop();
      model::BoundaryDrop out;
      HEARTH_ASSIGN_OR_RETURN(out.boundary_id, fixed<16>(r.getBoundaryId(), "boundaryId"));
      HEARTH_ASSIGN_OR_RETURN(out.revision, fixed<32>(r.getRevision(), "revision"));
      return model::Payload{out};
    }
  }
  return Status::corrupt("unknown payload kind");
}

}  // namespace

Bytes encode_payload(const model::Payload& payload) {
  capnp::MallocMessageBuilder message;
  std::visit(Encoder{message.initRoot<s::Payload>()}, payload);
  return to_bytes(message);
}

Result<model::Payload> decode_payload(ByteView bytes) {
  HEARTH_ASSIGN_OR_RETURN(MessageReader reader,
                          MessageReader::parse(bytes, model::kMaxPayloadBytes));
  Result<model::Payload> out = Status::corrupt("malformed payload");
  kj::Maybe<kj::Exception> failure =
      kj::runCatchingExceptions([&]() { out = decode_root(reader.root<s::Payload>()); });
  if (failure != nullptr) return Status::corrupt("malformed payload");
  if (!out.is_ok()) return out;
  HEARTH_TRY(model::validate(*out).with_context("payload out of bounds"));
  return out;
}

}  // namespace hearth::wire
