// `hearth --json` output: the JSON shape of every reply.
//
// Conventions: ids are full lower-case hex; times are RFC 3339 UTC strings
// (null when unknown); who wrote something is "author": "me" | "partner";
// optional text is null when empty. One reply is one document:
//   Ok            {"ok": true}
//   StatusInfo    {"device_id", "name", "locked", "listening", "my_pause",
//                  "partner_pause", "waiting", "shared_while_unpaired", "partner",
//                  "sync", "counts"}
//   log           {"log": [{"at", "level", "message"}]}
//   Reflection    {"reflection": {...}}     list: {"reflections": [...]}
//   Boundary      {"boundary": {...}}       list: {"boundaries": [...]}
//   CheckIn       {"checkin": {...}}        list: {"checkins": [...]}
//                 lists and written entries may add "partner_pause", "waiting"
//                 and "paired" (json_document's context)
//   PauseInfo     {"pause": {"active", "set_by", and while active "started_at",
//                  "until", "minutes", "note"}}
//   Prompt        {"prompt": {"id", "round", "text", "depth" | "group", "deck",
//                  "asked_by", "status", "mine", "partner", "i_passed",
//                  "partner_passed", "updated_at"}}   list: {"prompts": [...]}
//   decks         {"decks": [{"id", "version", "title", "about", "prompts", "depths"}]}
//   YnmInfo       {"ynm": {"rounds", "round", "items"}}
//   Overview      {"overview": {"paired", "partner_name", "my_pause",
//                  "partner_pause", "waiting", "shared_while_unpaired"}}
//   Update        {"update": KIND, KIND: {...}}  (KIND: pause, resume, reflection,
//                  boundary, checkin, forgotten, connection)
//   peers         {"peers": [{"address", "source", "state", "last_error"}]}
//   SyncInfo      {"sync": {...}}
//   PairedInfo    {"paired": {"device_id", "name", "confirmation"}}
//   InviteInfo    {"invite": {"code", "expires_at", "attempts_left"[, "notice"]}}
//   ConfigEntry   {"config": {"key", "value"}}
//   UnpairInfo    {"unpaired": {"former_partner", "erased_shared", "partner_still_holds"}}
//   DraftInfo     {"draft": {"name", "text", "updated_at"}}   (updated_at null: none kept)
//   errors        {"error": {"code", "message"}}, always on one line
#pragma once

#include <string>
#include <string_view>

#include "client/json.h"
#include "client/reply.h"

namespace hearth::client {

void write_reflection(JsonWriter& w, const Reflection& r);
void write_boundary(JsonWriter& w, const Boundary& b);
void write_check_in(JsonWriter& w, const CheckIn& c);
// A prompt: a partner's answer carries its words only once it can be read
// here (never before it is revealed).
void write_prompt(JsonWriter& w, const Prompt& p);
// A practice session, or null when there is none.
void write_practice(JsonWriter& w, const PracticeInfo& p);
void write_log_entry(JsonWriter& w, const LogEntry& e);
void write_pause(JsonWriter& w, const PauseInfo& p);
void write_sync(JsonWriter& w, const SyncInfo& s);
void write_partner(JsonWriter& w, const PartnerInfo& p);
// The fields of a StatusInfo, into an object the caller opened.
void write_status_fields(JsonWriter& w, const StatusInfo& s);

// The document for one reply (see above). indent 0: on one line. With a
// context, lists and entries carry the partner's pause and what waits.
std::string json_document(const Reply& reply, int indent = 2, const Overview* context = nullptr);
std::string json_error_document(std::string_view code, std::string_view message);

}  // namespace hearth::client
