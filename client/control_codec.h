// Requests to hearthd and its Responses, in control.capnp's framing.
//
// The only client code that includes the generated control.capnp.h is
// control_codec.cpp: every request is built here from plain arguments, and
// every Response is converted here into the plain types of reply.h.
//
// Every builder returns a whole frame (4-byte big-endian length, then the
// unpacked message), ready to be written to the control socket. Arguments are
// sent as given: validation (ID prefixes, durations, addresses) happens in
// args.h before a request is built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/reply.h"
#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::client {

// The largest Response this client accepts (a full export of a long journal
// fits many times over); checked before anything is allocated.
inline constexpr size_t kMaxResponseBytes = size_t{256} << 20;

enum class Answer { kAgree, kDecline, kDiscuss, kAcknowledge };
enum class Capacity { kGreen, kYellow, kRed };

struct ReflectAddRequest {
  std::string text;
  bool share = false;
  std::vector<std::string> feelings;
  std::string prompt_id;
  std::string reply_to_prefix;
  std::string content_note = {};
};

enum class Choice { kNone, kYes, kNo, kMaybe };

struct PromptAnswerRequest {
  std::string prompt_id;
  Bytes round;
  std::string text;
  Choice choice = Choice::kNone;
  std::string note;
};

struct ReflectEditRequest {
  std::string id_prefix;
  std::string text;
  bool keep_feelings = true;  // false: replace them with `feelings`
  std::vector<std::string> feelings;
};

struct CheckInRequest {
  Capacity capacity = Capacity::kGreen;
  std::vector<std::string> feelings;
  std::string need;
  bool share = false;
};

struct PracticeInviteRequest {
  std::string practice;
  uint16_t minutes = 5;
  uint8_t in_seconds = 5;
  uint8_t out_seconds = 5;
  uint8_t stage = 0;
  std::optional<Capacity> check;  // a staged practice's capacity check
};
// The three `hearth passphrase` actions (control.capnp PassphraseAction).
enum class PassphraseChange { kSet, kChange, kRemove };

namespace request {

Bytes status();
// The passphrase is copied only into wiped memory: the frame is a Secret too.
Secret unlock(const Secret& passphrase);
// The unlock key from the desktop keyring (client/keyring_unlock.h), also in
// wiped memory.
Secret unlock_with_key(const Secret& key);
Bytes lock();
// As unlock(): passphrases only in wiped memory. `current` for kChange and
// kRemove, `replacement` for kSet and kChange (null otherwise).
Secret change_passphrase(PassphraseChange change, const Secret* current, const Secret* replacement);
Bytes log(uint32_t limit);
Bytes watch();

Bytes reflect_add(const ReflectAddRequest& r);
Bytes reflect_list(uint32_t limit, bool with_history, bool archived = false);
// One page of an export's reflections, oldest first, after `after` (null:
// from the oldest); limit 0: the daemon's page size (control.capnp ExportPage).
Bytes reflect_page(const Reflection* after, uint32_t limit = 0);
// The daemon's page size for limit 0 (control.capnp exportPageSize): a
// shorter page is the last.
inline constexpr uint32_t kExportPageSize = 256;
Bytes reflect_show(std::string_view id_prefix);
Bytes reflect_edit(const ReflectEditRequest& r);
Bytes reflect_share(std::string_view id_prefix);
Bytes reflect_forget(std::string_view id_prefix);

// An agreement (propose) or a limit (set).
Bytes boundary_propose(std::string_view text, std::string_view category);
Bytes boundary_set(std::string_view text, std::string_view category);
Bytes boundary_revise(std::string_view id_prefix, std::string_view text);
// ask_again_after_ms: a decline's "ask me again after"; 0: none.
Bytes boundary_respond(std::string_view id_prefix, Answer answer, std::string_view note,
                       int64_t ask_again_after_ms = 0);
// Leaves an agreement, or retires one's own limit.
Bytes boundary_withdraw(std::string_view id_prefix, std::string_view note);
Bytes boundary_drop(std::string_view id_prefix);
Bytes boundary_list(uint32_t limit, bool with_history = false);

Bytes check_in(const CheckInRequest& r);
Bytes check_in_list(uint32_t limit, bool archived = false);
Bytes check_in_share(std::string_view id_prefix);
Bytes check_in_forget(std::string_view id_prefix);

// Both pauses and what waits (reply: Overview).
Bytes overview();

// Prompts answered blind and the yes / no / maybe list.
Bytes prompt_today(std::string_view local_date, uint8_t max_depth);
Bytes prompt_decks();
Bytes prompt_list(uint32_t limit);
Bytes prompt_show(std::string_view prompt_id, ByteView round = {});
Bytes prompt_answer(const PromptAnswerRequest& r);
Bytes prompt_pass(std::string_view prompt_id, ByteView round = {});
Bytes prompt_ask(std::string_view text, uint8_t depth);
Bytes prompt_reveal(std::string_view prompt_id, ByteView round = {});
Bytes ynm_show(std::string_view round_id_prefix);
Bytes ynm_start();
Bytes appreciate(std::string_view text);
Bytes need_reply(std::string_view check_in_prefix, std::string_view text);
// kind: "reflection" | "checkin".
Bytes archive(std::string_view kind, std::string_view id_prefix, bool archived);

// Practices done together, the day's page, care.
Bytes practice_invite(const PracticeInviteRequest& r);
Bytes practice_join(std::optional<Capacity> check);
Bytes practice_current();
Bytes practice_stop();
Bytes practice_stage(std::string_view practice, uint8_t stage);
Bytes today(std::string_view local_date, bool mark);
Bytes care_line();
// Drafts kept by hearthd for `hearth ui` (reply: Ok, DraftInfo, Ok).
Bytes draft_put(std::string_view name, std::string_view text);
Bytes draft_get(std::string_view name);
Bytes draft_discard(std::string_view name);

Bytes pause(uint16_t minutes, std::string_view note);
Bytes resume();

// send_earlier: what was shared while unpaired goes to this partner too.
Bytes pair_add(std::string_view device_id, std::string_view address, bool send_earlier = false);
Bytes pair_invite(bool send_earlier = false);
Bytes pair_join(std::string_view code, std::string_view address, bool send_earlier = false);
Bytes unpair(bool erase_shared);
Bytes peer_add(std::string_view address);
Bytes peer_remove(std::string_view address);
Bytes peer_list();
Bytes sync_progress();
// sync_progress(), and the daemon dials the partner now if it is offline.
Bytes sync_now();
Bytes config_get(std::string_view key);
Bytes config_set(std::string_view key, std::string_view value);
Bytes rebuild_views();

}  // namespace request

// Parses one Response message (without its length prefix), at most
// kMaxResponseBytes long. A malformed message, or one this client cannot read
// (an unknown union member), is kCorrupt.
Result<Reply> decode_reply(ByteView message);

}  // namespace hearth::client
