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
#include <string>
#include <variant>
#include <vector>

#include "util/bytes.h"

namespace hearth::client {

// ErrorCode of control.capnp.
enum class DaemonErrorCode { kUsage, kLocked, kRefused, kNotFound, kInternal };

struct DaemonError {
  DaemonErrorCode code = DaemonErrorCode::kInternal;
  std::string message;
};

struct Ok {};

struct PauseInfo {
  bool active = false;
  bool mine = false;
  int64_t started_at = 0;
  int64_t until = 0;
  uint16_t minutes = 0;
  std::string note;
  std::string ended_by;  // "me" | "partner" | ""
};

struct PartnerInfo {
  bool paired = false;
  std::string device_id;
  std::string name;
  std::string connection;  // "connected" | "connecting" | "offline"
  int64_t paired_at = 0;
};

struct SyncInfo {
  uint64_t my_shared_events = 0;
  uint64_t partner_has_mine = 0;
  uint64_t partner_events_known = 0;
  uint64_t partner_events_offered = 0;
  bool caught_up = false;
  std::string connection;  // "connected" | "connecting" | "offline"; "" from status
};

struct StatusInfo {
  std::string device_id;
  std::string name;
  bool locked = false;
  PauseInfo pause;
  PartnerInfo partner;
  uint32_t reflections = 0;
  uint32_t boundaries = 0;
  uint32_t check_ins = 0;
  std::string listening;
  SyncInfo sync;
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
};

struct Revision {
  uint32_t number = 0;
  Bytes id;
  std::string text;
  std::string category;
  bool mine = false;
  int64_t at = 0;
  std::string my_response;  // "agree" | "decline" | "discuss" | ""
  std::string partner_response;
  std::string my_note;
  std::string partner_note;
};

struct Boundary {
  Bytes id;
  std::string status;  // "proposed" | "agreed" | "renegotiating" | "declined" | ...
  std::string text;
  std::string category;
  std::string in_force_text;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  bool proposed_by_me = false;
  std::vector<Revision> revisions;
  bool withdrawn_by_me = false;
  std::string withdraw_note;
};

struct CheckIn {
  Bytes id;
  bool mine = false;
  bool shared = false;
  int64_t at = 0;
  std::string capacity;  // "green" | "yellow" | "red"
  std::vector<std::string> feelings;
  std::string need;
};

struct LogEntry {
  int64_t at = 0;
  std::string level;
  std::string message;
};

struct Update {
  enum class Kind { kPause, kResume, kReflection, kBoundary, kCheckIn, kForgotten, kConnection };
  Kind kind = Kind::kConnection;
  PauseInfo pause;  // kPause, kResume
  Reflection reflection;
  Boundary boundary;
  CheckIn check_in;
  Bytes forgotten;         // a reflection id
  std::string connection;  // "connected" | "disconnected"
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
                           PairedInfo, InviteInfo, ConfigEntry, UnpairInfo>;

}  // namespace hearth::client
