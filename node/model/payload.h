// The domain's events as plain values (docs/DESIGN.md §5), independent of Cap'n
// Proto, SQLite and Asio. wire/payload_codec converts them to and from bytes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/limits.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::model {

using DeviceKey = Key32;
using EntityId = std::array<uint8_t, 16>;  // reflection, boundary and check-in IDs
using EventId = Hash32;

enum class Capacity : uint8_t { kGreen = 0, kYellow = 1, kRed = 2 };
// kAcknowledge answers a limit ("I have read this"); the others an agreement.
enum class Response : uint8_t { kAgree = 0, kDecline = 1, kDiscuss = 2, kAcknowledge = 3 };
enum class BoundaryKind : uint8_t { kAgreement = 0, kLimit = 1 };

const char* capacity_name(Capacity c);  // "green" | "yellow" | "red"
const char* response_name(Response r);  // "agree" | "decline" | "discuss" | "acknowledge"
const char* boundary_kind_name(BoundaryKind k);  // "agreement" | "limit"

struct ReflectionPut {
  EntityId reflection_id{};
  std::string text;
  std::vector<std::string> feelings;
  std::string prompt_id;  // empty: none
  Bytes reply_to;         // empty or 16 bytes: the partner reflection answered
  std::string content_note = {};  // empty: none; the reader sees it before the words
  bool appreciation = false;      // a short appreciation (always shared)
};
struct ReflectionForget {
  EntityId reflection_id{};
};
struct BoundaryPropose {
  EntityId boundary_id{};
  std::string text;
  std::string category;
  BoundaryKind kind = BoundaryKind::kAgreement;  // read from the first revision only
};
struct BoundaryRespond {
  EntityId boundary_id{};
  EventId revision{};
  Response response = Response::kAgree;
  std::string note;
  int64_t ask_again_after_ms = 0;  // a decline's "ask me again after"; 0: none
};
struct BoundaryWithdraw {
  EntityId boundary_id{};
  std::string note;
};
struct BoundaryDrop {
  EntityId boundary_id{};
  EventId revision{};
};
struct CheckIn {
  EntityId check_in_id{};
  Capacity capacity = Capacity::kGreen;
  std::vector<std::string> feelings;
  std::string need;
};
struct CheckInForget {
  EntityId check_in_id{};
};

// ---- prompts answered blind (docs/DESIGN.md §5.6)
using AnswerKeyBytes = std::array<uint8_t, 32>;
enum class Choice : uint8_t { kNone = 0, kYes = 1, kNo = 2, kMaybe = 3 };
const char* choice_name(Choice c);  // "" | "yes" | "no" | "maybe"

struct PromptAsk {
  std::string prompt_id;  // "ask-" + 16 hex digits
  std::string text;
  uint8_t depth = 1;
};
struct PromptAnswer {
  std::string prompt_id;
  EntityId answer_id{};
  Bytes round;   // empty, or a yes / no / maybe round's 16-byte ID
  Bytes sealed;  // nonce || ciphertext || tag (crypto/answer_seal.h)
};
struct AnswerReveal {
  EntityId answer_id{};
  AnswerKeyBytes key{};
};
struct PromptPass {
  std::string prompt_id;
  Bytes round;
};
struct YnmRound {
  EntityId round_id{};
};
// Private only: this device's key for its own answer, and a private note.
struct AnswerKey {
  EntityId answer_id{};
  AnswerKeyBytes key{};
  std::string note;
};
struct NeedReply {
  EntityId check_in_id{};  // the other partner's check-in
  EntityId reply_id{};
  std::string text;
};
struct Pause {
  uint16_t minutes = 0;
  std::string note;
};
struct Resume {};

// ---- practices done together (docs/DESIGN.md §5.7)
struct PracticeInvite {
  EntityId session_id{};
  std::string practice;  // a practice's name, e.g. "breathe"
  uint16_t minutes = 5;
  uint8_t in_seconds = 5;
  uint8_t out_seconds = 5;
  uint8_t stage = 0;  // a staged practice's stage; 0 for others
};
struct PracticeJoin {
  EntityId session_id{};
  int64_t start_at_ms = 0;  // the joiner's clock
};
struct PracticeCheck {
  EntityId session_id{};
  Capacity capacity = Capacity::kGreen;
};
struct PracticeStop {
  EntityId session_id{};
};
struct PracticeStage {
  std::string practice;
  uint8_t stage = 0;
};

using Payload = std::variant<ReflectionPut, ReflectionForget, BoundaryPropose, BoundaryRespond,
                             BoundaryWithdraw, CheckIn, Pause, Resume, CheckInForget,
                             BoundaryDrop, PromptAsk, PromptAnswer, AnswerReveal, PromptPass,
                             YnmRound, AnswerKey, NeedReply, PracticeInvite, PracticeJoin,
                             PracticeCheck, PracticeStop, PracticeStage>;

// Checks every limit of model/limits.h and that texts are valid UTF-8
// without NUL.
Status validate(const Payload& payload);

// Whether a payload can be kept private (never leaves the device). Boundaries
// and pauses are between the two partners and are always shared.
// Reflections, check-ins and their forgets may be private.
bool may_be_private(const Payload& payload);
// Whether a payload may travel in a shared event: an answer's key stays on
// its author's device until revealed, so AnswerKey never may.
bool may_be_shared(const Payload& payload);

}  // namespace hearth::model
