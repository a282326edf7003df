// What hearthd answers, as plain values.
//
// control_codec.cpp converts a control.capnp Response into these types at the
// boundary, so the commands and the renderers never see Cap'n Proto. Every
// string here came from the daemon (and so, for entries, possibly from the
// partner's device): render it as data, never as terminal control sequences.
// Enumerations travel as their schema names ("agreed", "yellow", "agree"), or
// "unknown" for a value this client does not know.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/sync_figures.h"
#include "util/bytes.h"

namespace hearth::client {

// ErrorCode of control.capnp.
enum class DaemonErrorCode { kUsage, kLocked, kRefused, kNotFound, kInternal, kWrongPassphrase };

struct DaemonError {
  DaemonErrorCode code = DaemonErrorCode::kInternal;
  std::string message;
};

struct Ok {};

// One partner's pause, on this device's clock. Only its author ends it.
struct PauseInfo {
  bool active = false;
  bool mine = false;
  int64_t started_at = 0;
  int64_t until = 0;
  uint16_t minutes = 0;
  std::string note;
};

struct PartnerInfo {
  bool paired = false;
  std::string device_id;
  std::string name;
  std::string connection;  // "connected" | "connecting" | "offline"
  int64_t paired_at = 0;
};

// The daemon's figures (model/sync_figures.h); the sentences are the
// client's (render_text.h).
struct SyncInfo : model::SyncFigures {
  std::string connection;  // "connected" | "connecting" | "offline"; "" from status
};

struct StatusInfo {
  std::string device_id;
  std::string name;
  bool locked = false;
  PauseInfo my_pause;
  PauseInfo partner_pause;
  uint32_t waiting = 0;  // the partner's entries held until my pause ends
  uint32_t shared_while_unpaired = 0;
  PartnerInfo partner;
  uint32_t reflections = 0;
  uint32_t boundaries = 0;
  uint32_t check_ins = 0;
  std::string listening;
  SyncInfo sync;
};

// Both pauses and what waits, cheaply (asked before lists and after a write).
struct Overview {
  bool paired = false;
  std::string partner_name;
  PauseInfo my_pause;
  PauseInfo partner_pause;
  uint32_t waiting = 0;
  uint32_t shared_while_unpaired = 0;
};

struct Version {
  int64_t at = 0;
  std::string text;
  std::vector<std::string> feelings;
  bool shared = false;
};

struct Reflection {
  Bytes id;
  bool mine = false;
  bool shared = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string text;
  std::vector<std::string> feelings;
  std::string prompt_id;
  Bytes reply_to;
  std::vector<Version> history;  // oldest first; empty unless asked for
  bool partner_has_it = false;
  std::string content_note;   // shown before the words
  bool words_hidden = false;  // a partner's, behind its content note: `reflect show` opens it
  bool appreciation = false;
  bool archived = false;
};

struct Revision {
  uint32_t number = 0;
  Bytes id;
  std::string text;
  std::string category;
  bool mine = false;
  int64_t at = 0;
  std::string my_response;  // "agree" | "decline" | "discuss" | "acknowledge" | ""
  std::string partner_response;
  std::string my_note;
  std::string partner_note;
};

struct Boundary {
  Bytes id;
  std::string kind;    // "limit" | "agreement"
  // a limit: "in_force" | "retired"; an agreement: "proposed" | "agreed" |
  // "renegotiating" | "declined" | "discussing" | "withdrawn" (left)
  std::string status;
  std::string text;
  std::string category;
  std::string in_force_text;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  bool proposed_by_me = false;
  std::vector<Revision> revisions;
  bool withdrawn_by_me = false;  // an agreement I left, a limit I retired
  std::string withdraw_note;
  bool acknowledged = false;      // a limit: its wording acknowledged by the partner
  int64_t ask_again_after = 0;    // a declined agreement: not before this; 0: none
};

struct NeedReplyInfo {
  bool mine = false;
  int64_t at = 0;
  std::string text;
};

struct CheckIn {
  Bytes id;
  bool mine = false;
  bool shared = false;
  int64_t at = 0;
  std::string capacity;  // "green" | "yellow" | "red"
  std::vector<std::string> feelings;
  std::string need;
  std::vector<NeedReplyInfo> replies;  // answers to the need, oldest first
  bool archived = false;
};

// One side's answer to a prompt, as far as this device can show it.
struct AnswerInfo {
  bool given = false;
  int64_t at = 0;
  bool revealed = false;
  bool readable = false;  // the words are known here
  std::string text;
  std::string choice;  // "" | "yes" | "no" | "maybe"
  std::string note;    // mine only
};

struct Prompt {
  std::string id;
  Bytes round;
  std::string text;
  int depth = 0;  // 0: a yes / no / maybe item
  std::string deck;
  std::string group;
  std::string asked_by;  // "me" | "partner" | ""
  std::string status;    // "open" | "waiting_for_you" | "waiting_for_partner" | "both_answered"
  AnswerInfo mine;
  AnswerInfo partner;
  bool i_passed = false;
  bool partner_passed = false;
  int64_t updated_at = 0;
};

struct DeckInfo {
  std::string id;
  uint32_t version = 0;
  std::string title;
  std::string about;
  uint32_t prompts = 0;
  std::vector<uint32_t> depths;  // how many of depth 1, 2, 3
};

struct RoundInfo {
  Bytes id;
  int64_t started_at = 0;
  bool started_by_me = false;
};

struct YnmInfo {
  std::vector<RoundInfo> rounds;  // newest first
  RoundInfo round;                // the one shown; empty id: none started
  std::vector<Prompt> items;
};

struct LogEntry {
  int64_t at = 0;
  std::string level;
  std::string message;
};

// A practice session done together, on this device's clock.
struct PracticeInfo {
  Bytes id;  // empty: none
  std::string practice;
  int minutes = 0;
  int in_seconds = 0;
  int out_seconds = 0;
  int stage = 0;
  bool invited_by_me = false;
  int64_t invited_at = 0;
  bool joined = false;
  int64_t start_at = 0;
  bool stopped = false;
  bool stopped_by_me = false;
  std::string my_check;  // "" | "green" | "yellow" | "red"
  std::string partner_check;
  bool stage_open = false;
  bool over = false;  // stopped, its minutes run out, or never joined in time
};

// The day's page; each part may be empty.
struct TodayInfo {
  Overview overview;
  int64_t since = 0;
  std::vector<Reflection> new_reflections;
  std::vector<Prompt> revealed;
  std::vector<Boundary> boundaries_waiting;
  std::optional<CheckIn> partner_check_in;
  bool checked_in_today = false;
  std::optional<Prompt> prompt;
  PracticeInfo practice;
  bool care_line = false;
};

struct CareInfo {
  bool show = false;
};

// A draft hearthd keeps for `hearth ui`; updated_at 0: none is kept.
struct DraftInfo {
  std::string name;
  std::string text;
  int64_t updated_at = 0;
};

struct Update {
  enum class Kind {
    kPause,
    kResume,
    kReflection,
    kBoundary,
    kCheckIn,
    kForgotten,
    kConnection,
    kPrompt,
    kPractice
  };
  Kind kind = Kind::kConnection;
  PauseInfo pause;  // kPause, kResume
  Reflection reflection;
  Boundary boundary;
  CheckIn check_in;
  Bytes forgotten;         // a reflection id
  std::string connection;  // "connected" | "disconnected"
  Prompt prompt;
  PracticeInfo practice;
};

struct PeerInfo {
  std::string address;
  std::string source;
  std::string state;
  std::string last_error;
};

struct PairedInfo {
  std::string device_id;
  std::string name;
  std::string confirmation;
};

struct InviteInfo {
  std::string code;
  int64_t expires_at = 0;
  int attempts_left = 0;  // the attempts the invite still allows
  std::string notice{};   // non-empty: an attempt started, or a joiner was turned away
};

struct ConfigEntry {
  std::string key;
  std::string value;
};

struct UnpairInfo {
  std::string former_partner;
  uint64_t erased_shared = 0;
  std::string partner_still_holds;
};

// One Response. The alternatives mirror the Response union of control.capnp.
using Reply = std::variant<DaemonError, Ok, StatusInfo, std::vector<LogEntry>, Reflection,
                           std::vector<Reflection>, Boundary, std::vector<Boundary>, CheckIn,
                           std::vector<CheckIn>, PauseInfo, Update, std::vector<PeerInfo>, SyncInfo,
                           PairedInfo, InviteInfo, ConfigEntry, UnpairInfo, Overview, Prompt,
                           std::vector<Prompt>, std::vector<DeckInfo>, YnmInfo, PracticeInfo,
                           TodayInfo, CareInfo, DraftInfo>;

}  // namespace hearth::client
