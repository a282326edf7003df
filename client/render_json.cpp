#include "client/render_json.h"

#include <type_traits>

#include "client/timefmt.h"

namespace hearth::client {
namespace {

const char* author(bool mine) { return mine ? "me" : "partner"; }

void time_or_null(JsonWriter& w, int64_t ms) {
  if (ms == 0) {
    w.null();
  } else {
    w.value(rfc3339_utc(ms));
  }
}

void hex_or_null(JsonWriter& w, const Bytes& id) {
  if (id.empty()) {
    w.null();
  } else {
    w.value(to_hex(id));
  }
}

template <typename T, typename F>
void write_list(JsonWriter& w, std::string_view key, const std::vector<T>& items, F write_one) {
  w.begin_object().key(key).begin_array();
  for (const auto& item : items) write_one(w, item);
  w.end_array().end_object();
}

template <typename T, typename F>
void write_single(JsonWriter& w, std::string_view key, const T& item, F write_one) {
  w.begin_object().key(key);
  write_one(w, item);
  w.end_object();
}

void write_update(JsonWriter& w, const Update& u) {
  w.begin_object().key("update");
  switch (u.kind) {
    case Update::Kind::kPause:
      w.value("pause").key("pause");
      write_pause(w, u.pause);
      break;
    case Update::Kind::kResume:
      w.value("resume").key("resume");
      write_pause(w, u.pause);
      break;
    case Update::Kind::kReflection:
      w.value("reflection").key("reflection");
      write_reflection(w, u.reflection);
      break;
    case Update::Kind::kBoundary:
      w.value("boundary").key("boundary");
      write_boundary(w, u.boundary);
      break;
    case Update::Kind::kCheckIn:
      w.value("checkin").key("checkin");
      write_check_in(w, u.check_in);
      break;
    case Update::Kind::kForgotten:
      w.value("forgotten").key("forgotten").begin_object().key("id");
      hex_or_null(w, u.forgotten);
      w.end_object();
      break;
    case Update::Kind::kConnection:
      w.value("connection").key("connection").value(u.connection);
      break;
  }
  w.end_object();
}

}  // namespace

void write_reflection(JsonWriter& w, const Reflection& r) {
  w.begin_object();
  w.key("id").value(to_hex(r.id));
  w.key("author").value(author(r.mine));
  w.key("created_at");
  time_or_null(w, r.created_at);
  w.key("updated_at");
  time_or_null(w, r.updated_at);
  w.key("shared").value(r.shared);
  w.key("text").value(r.text);
  w.key("feelings").strings(r.feelings);
  w.key("prompt_id").string_or_null(r.prompt_id);
  w.key("reply_to");
  hex_or_null(w, r.reply_to);
  if (r.mine) w.key("partner_has_it").value(r.partner_has_it);
  if (!r.history.empty()) {
    w.key("history").begin_array();
    for (const auto& v : r.history) {
      w.begin_object();
      w.key("at");
      time_or_null(w, v.at);
      w.key("text").value(v.text);
      w.key("feelings").strings(v.feelings);
      w.key("shared").value(v.shared);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

void write_boundary(JsonWriter& w, const Boundary& b) {
  w.begin_object();
  w.key("id").value(to_hex(b.id));
  w.key("author").value(author(b.proposed_by_me));
  w.key("created_at");
  time_or_null(w, b.created_at);
  w.key("updated_at");
  time_or_null(w, b.updated_at);
  w.key("status").value(b.status);
  w.key("text").value(b.text);
  w.key("category").string_or_null(b.category);
  w.key("in_force_text").string_or_null(b.in_force_text);
  w.key("withdrawn_by");
  if (b.status == "withdrawn") {
    w.value(author(b.withdrawn_by_me));
  } else {
    w.null();
  }
  w.key("withdraw_note").string_or_null(b.withdraw_note);
  w.key("revisions").begin_array();
  for (const auto& r : b.revisions) {
    w.begin_object();
    w.key("number").value(r.number);
    w.key("id").value(to_hex(r.id));
    w.key("text").value(r.text);
    w.key("category").string_or_null(r.category);
    w.key("author").value(author(r.mine));
    w.key("created_at");
    time_or_null(w, r.at);
    w.key("my_response").string_or_null(r.my_response);
    w.key("partner_response").string_or_null(r.partner_response);
    w.key("my_note").string_or_null(r.my_note);
    w.key("partner_note").string_or_null(r.partner_note);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_check_in(JsonWriter& w, const CheckIn& c) {
  w.begin_object();
  w.key("id").value(to_hex(c.id));
  w.key("author").value(author(c.mine));
  w.key("created_at");
  time_or_null(w, c.at);
  w.key("capacity").value(c.capacity);
  w.key("feelings").strings(c.feelings);
  w.key("need").string_or_null(c.need);
  w.key("shared").value(c.shared);
  w.end_object();
}

void write_log_entry(JsonWriter& w, const LogEntry& e) {
  w.begin_object();
  w.key("at");
  time_or_null(w, e.at);
  w.key("level").value(e.level);
  w.key("message").value(e.message);
  w.end_object();
}

void write_pause(JsonWriter& w, const PauseInfo& p) {
  w.begin_object();
  w.key("active").value(p.active);
  if (p.active) {
    w.key("set_by").value(author(p.mine));
    w.key("started_at");
    time_or_null(w, p.started_at);
    w.key("until");
    time_or_null(w, p.until);
    w.key("minutes").value(static_cast<unsigned>(p.minutes));
    w.key("note").string_or_null(p.note);
  } else {
    w.key("ended_by").string_or_null(p.ended_by);
  }
  w.end_object();
}

void write_sync(JsonWriter& w, const SyncInfo& s) {
  w.begin_object();
  w.key("my_shared_events").value(s.my_shared_events);
  w.key("partner_has_mine").value(s.partner_has_mine);
  w.key("partner_events_known").value(s.partner_events_known);
  w.key("partner_events_offered").value(s.partner_events_offered);
  w.key("caught_up").value(s.caught_up);
  if (!s.connection.empty()) w.key("connection").value(s.connection);
  w.end_object();
}

void write_partner(JsonWriter& w, const PartnerInfo& p) {
  w.begin_object();
  w.key("paired").value(p.paired);
  if (p.paired) {
    w.key("device_id").value(p.device_id);
    w.key("name").string_or_null(p.name);
    w.key("connection").value(p.connection);
    w.key("paired_at");
    time_or_null(w, p.paired_at);
  }
  w.end_object();
}

void write_status_fields(JsonWriter& w, const StatusInfo& s) {
  w.key("device_id").value(s.device_id);
  w.key("name").string_or_null(s.name);
  w.key("locked").value(s.locked);
  w.key("listening").string_or_null(s.listening);
  w.key("pause");
  write_pause(w, s.pause);
  w.key("partner");
  write_partner(w, s.partner);
  w.key("sync");
  write_sync(w, s.sync);
  w.key("counts").begin_object();
  w.key("reflections").value(s.reflections);
  w.key("boundaries").value(s.boundaries);
  w.key("checkins").value(s.check_ins);
  w.end_object();
}

std::string json_document(const Reply& reply, int indent) {
  JsonWriter w(indent);
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, DaemonError>) {
          // Callers report errors through fail(); this keeps the shape anyway.
          w.begin_object().key("error").begin_object();
          w.key("code").value("daemon").key("message").value(r.message);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, Ok>) {
          w.begin_object().key("ok").value(true).end_object();
        } else if constexpr (std::is_same_v<T, StatusInfo>) {
          w.begin_object();
          write_status_fields(w, r);
          w.end_object();
        } else if constexpr (std::is_same_v<T, std::vector<LogEntry>>) {
          write_list(w, "log", r, write_log_entry);
        } else if constexpr (std::is_same_v<T, Reflection>) {
          write_single(w, "reflection", r, write_reflection);
        } else if constexpr (std::is_same_v<T, std::vector<Reflection>>) {
          write_list(w, "reflections", r, write_reflection);
        } else if constexpr (std::is_same_v<T, Boundary>) {
          write_single(w, "boundary", r, write_boundary);
        } else if constexpr (std::is_same_v<T, std::vector<Boundary>>) {
          write_list(w, "boundaries", r, write_boundary);
        } else if constexpr (std::is_same_v<T, CheckIn>) {
          write_single(w, "checkin", r, write_check_in);
        } else if constexpr (std::is_same_v<T, std::vector<CheckIn>>) {
          write_list(w, "checkins", r, write_check_in);
        } else if constexpr (std::is_same_v<T, PauseInfo>) {
          write_single(w, "pause", r, write_pause);
        } else if constexpr (std::is_same_v<T, Update>) {
          write_update(w, r);
        } else if constexpr (std::is_same_v<T, std::vector<PeerInfo>>) {
          write_list(w, "peers", r, [](JsonWriter& jw, const PeerInfo& p) {
            jw.begin_object();
            jw.key("address").value(p.address);
            jw.key("source").value(p.source);
            jw.key("state").value(p.state);
            jw.key("last_error").string_or_null(p.last_error);
            jw.end_object();
          });
        } else if constexpr (std::is_same_v<T, SyncInfo>) {
          write_single(w, "sync", r, write_sync);
        } else if constexpr (std::is_same_v<T, PairedInfo>) {
          w.begin_object().key("paired").begin_object();
          w.key("device_id").value(r.device_id);
          w.key("name").string_or_null(r.name);
          w.key("confirmation").string_or_null(r.confirmation);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, InviteInfo>) {
          w.begin_object().key("invite").begin_object();
          w.key("code").value(r.code);
          w.key("expires_at");
          time_or_null(w, r.expires_at);
          w.key("attempts_left").value(static_cast<int64_t>(r.attempts_left));
          if (!r.notice.empty()) w.key("notice").value(r.notice);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, ConfigEntry>) {
          w.begin_object().key("config").begin_object();
          w.key("key").value(r.key).key("value").value(r.value);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, UnpairInfo>) {
          w.begin_object().key("unpaired").begin_object();
          w.key("former_partner").string_or_null(r.former_partner);
          w.key("erased_shared").value(r.erased_shared);
          w.key("partner_still_holds").string_or_null(r.partner_still_holds);
          w.end_object().end_object();
        }
      },
      reply);
  return w.finish();
}

std::string json_error_document(std::string_view code, std::string_view message) {
  JsonWriter w(0);  // one line, also where documents are streamed one per line
  w.begin_object().key("error").begin_object();
  w.key("code").value(code).key("message").value(message);
  w.end_object().end_object();
  return w.finish();
}

}  // namespace hearth::client
