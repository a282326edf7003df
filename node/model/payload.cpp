#include "model/payload.h"


namespace hearth::model {
namespace {

Status check_feelings(const std::vector<std::string>& feelings) {
  if (feelings.size() > kMaxFeelings)
    return Status::invalid("at most " + std::to_string(kMaxFeelings) + " feelings");
  for (const auto& f : feelings) HEARTH_TRY(check_text(f, kMaxFeeling, "a feeling", true));
  return Status::ok();
}

Status check_prompt_id(std::string_view id) {
  HEARTH_TRY(check_text(id, kMaxShortText, "the prompt ID", true));
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return Status::invalid("a prompt ID holds only a-z, 0-9 and -");
  }
  return Status::ok();
}

Status check_round(const Bytes& round) {
  if (!round.empty() && round.size() != sizeof(EntityId))
    return Status::invalid("a round is a 16-byte ID");
  return Status::ok();
}

struct Validator {
  Status operator()(const ReflectionPut& p) const {
    HEARTH_TRY(check_text(p.text, kMaxReflectionText, "the reflection", true));
    HEARTH_TRY(check_feelings(p.feelings));
    HEARTH_TRY(check_text(p.prompt_id, kMaxShortText, "the prompt ID", false));
    if (!p.reply_to.empty() && p.reply_to.size() != sizeof(EntityId))
      return Status::invalid("replyTo must be a 16-byte reflection ID");
    HEARTH_TRY(check_text(p.content_note, kMaxContentNote, "the content note", false));
    if (p.appreciation) HEARTH_TRY(check_text(p.text, kMaxAppreciation, "an appreciation", true));
    return Status::ok();
  }
  Status operator()(const ReflectionForget&) const { return Status::ok(); }
  Status operator()(const BoundaryPropose& p) const {
    if (static_cast<uint8_t>(p.kind) > 1) return Status::invalid("unknown kind of boundary");
    HEARTH_TRY(check_text(p.text, kMaxBoundaryText, "the boundary", true));
    return check_text(p.category, kMaxShortText, "the category", false);
  }
  Status operator()(const BoundaryRespond& p) const {
    if (static_cast<uint8_t>(p.response) > 3) return Status::invalid("unknown response");
    if (p.ask_again_after_ms < 0) return Status::invalid("a negative ask-again time");
    return check_text(p.note, kMaxNote, "the note", false);
  }
  Status operator()(const BoundaryDrop&) const { return Status::ok(); }
  Status operator()(const PromptAsk& p) const {
    HEARTH_TRY(check_prompt_id(p.prompt_id));
    if (p.depth < 1 || p.depth > 3) return Status::invalid("a prompt's depth is 1, 2 or 3");
    return check_text(p.text, kMaxAskText, "the question", true);
  }
  Status operator()(const PromptAnswer& p) const {
    HEARTH_TRY(check_prompt_id(p.prompt_id));
    HEARTH_TRY(check_round(p.round));
    if (p.sealed.size() < 40 || p.sealed.size() > kMaxSealedAnswer)
      return Status::invalid("a sealed answer is out of bounds");
    return Status::ok();
  }
  Status operator()(const AnswerReveal&) const { return Status::ok(); }
  Status operator()(const PromptPass& p) const {
    HEARTH_TRY(check_prompt_id(p.prompt_id));
    return check_round(p.round);
  }
  Status operator()(const YnmRound&) const { return Status::ok(); }
  Status operator()(const AnswerKey& p) const {
    return check_text(p.note, kMaxNote, "the note", false);
  }
  Status operator()(const NeedReply& p) const {
    return check_text(p.text, kMaxNote, "the reply", true);
  }
  Status operator()(const PracticeInvite& p) const {
    HEARTH_TRY(check_prompt_id(p.practice));
    if (p.minutes < 1 || p.minutes > kMaxPracticeMinutes)
      return Status::invalid("a practice lasts 1 to 60 minutes");
    if (p.in_seconds < 2 || p.in_seconds > 10 || p.out_seconds < 2 || p.out_seconds > 12)
      return Status::invalid("a breath is 2 to 10 seconds in and 2 to 12 out");
    if (p.stage > 9) return Status::invalid("a practice has at most 9 stages");
    return Status::ok();
  }
  Status operator()(const PracticeJoin& p) const {
    if (p.start_at_ms <= 0) return Status::invalid("a practice's start is a time");
    return Status::ok();
  }
  Status operator()(const PracticeCheck& p) const {
    if (static_cast<uint8_t>(p.capacity) > 2) return Status::invalid("unknown capacity");
    return Status::ok();
  }
  Status operator()(const PracticeStop&) const { return Status::ok(); }
  Status operator()(const PracticeStage& p) const {
    HEARTH_TRY(check_prompt_id(p.practice));
    if (p.stage < 2 || p.stage > 9) return Status::invalid("a next stage is 2 to 9");
    return Status::ok();
  }
  Status operator()(const CheckInForget&) const { return Status::ok(); }
  Status operator()(const BoundaryWithdraw& p) const {
    return check_text(p.note, kMaxNote, "the note", false);
  }
  Status operator()(const CheckIn& p) const {
    if (static_cast<uint8_t>(p.capacity) > 2) return Status::invalid("unknown capacity");
    HEARTH_TRY(check_feelings(p.feelings));
    return check_text(p.need, kMaxNote, "the need", false);
  }
  Status operator()(const Pause& p) const {
    if (p.minutes < kMinPauseMinutes || p.minutes > kMaxPauseMinutes) {
      return Status::invalid("a pause lasts from 20 minutes to 24 hours");
    }
    return check_text(p.note, kMaxNote, "the note", false);
  }
  Status operator()(const Resume&) const { return Status::ok(); }
};

}  // namespace

const char* capacity_name(Capacity c) {
  switch (c) {
    case Capacity::kGreen: return "green";
    case Capacity::kYellow: return "yellow";
    case Capacity::kRed: return "red";
  }
  return "?";
}

const char* response_name(Response r) {
  switch (r) {
    case Response::kAgree: return "agree";
    case Response::kDecline: return "decline";
    case Response::kDiscuss: return "discuss";
    case Response::kAcknowledge: return "acknowledge";
  }
  return "?";
}

const char* choice_name(Choice c) {
  switch (c) {
    case Choice::kNone: return "";
    case Choice::kYes: return "yes";
    case Choice::kNo: return "no";
    case Choice::kMaybe: return "maybe";
  }
  return "";
}

const char* boundary_kind_name(BoundaryKind k) {
  return k == BoundaryKind::kLimit ? "limit" : "agreement";
}

Status validate(const Payload& payload) { return std::visit(Validator{}, payload); }

bool may_be_private(const Payload& payload) {
  return std::holds_alternative<ReflectionPut>(payload) ||
         std::holds_alternative<ReflectionForget>(payload) ||
         std::holds_alternative<CheckIn>(payload) ||
         std::holds_alternative<CheckInForget>(payload) ||
         std::holds_alternative<AnswerKey>(payload);
}

bool may_be_shared(const Payload& payload) { return !std::holds_alternative<AnswerKey>(payload); }

}  // namespace hearth::model
