// `hearth --json` output: the JSON shape of every reply.
//
// Conventions: ids are full lower-case hex; times are RFC 3339 UTC strings
// (null when unknown); who wrote something is "author": "me" | "partner";
// optional text is null when empty. One reply is one document:
//   Ok            {"ok": true}
//   StatusInfo    {"device_id", "name", "locked", "listening", "pause", "partner",
//                  "sync", "counts"}
//   log           {"log": [{"at", "level", "message"}]}
//   Reflection    {"reflection": {...}}     list: {"reflections": [...]}
//   Boundary      {"boundary": {...}}       list: {"boundaries": [...]}
//   CheckIn       {"checkin": {...}}        list: {"checkins": [...]}
//   PauseInfo     {"pause": {...}}
//   Update        {"update": KIND, KIND: {...}}  (KIND: pause, resume, reflection,
//                  boundary, checkin, forgotten, connection)
//   peers         {"peers": [{"address", "source", "state", "last_error"}]}
//   SyncInfo      {"sync": {...}}
//   PairedInfo    {"paired": {"device_id", "name", "confirmation"}}
//   InviteInfo    {"invite": {"code", "expires_at", "attempts_left"[, "notice"]}}
//   ConfigEntry   {"config": {"key", "value"}}
//   UnpairInfo    {"unpaired": {"former_partner", "erased_shared", "partner_still_holds"}}
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
void write_log_entry(JsonWriter& w, const LogEntry& e);
void write_pause(JsonWriter& w, const PauseInfo& p);
void write_sync(JsonWriter& w, const SyncInfo& s);
void write_partner(JsonWriter& w, const PartnerInfo& p);
// The fields of a StatusInfo, into an object the caller opened.
void write_status_fields(JsonWriter& w, const StatusInfo& s);

// The document for one reply (see above). indent 0: on one line.
std::string json_document(const Reply& reply, int indent = 2);
std::string json_error_document(std::string_view code, std::string_view message);

}  // namespace hearth::client
