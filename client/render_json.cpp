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

// What a list or a written entry is shown with: the partner's pause and
// what waits until mine ends (docs/DESIGN.md §5.5, §8.3).
void write_context(JsonWriter& w, const Overview* context) {
  if (context == nullptr) return;
  w.key("partner_pause");
  write_pause(w, context->partner_pause);
  w.key("waiting").value(static_cast<uint64_t>(context->waiting));
  w.key("paired").value(context->paired);
}

template <typename T, typename F>
void write_list(JsonWriter& w, std::string_view key, const std::vector<T>& items, F write_one,
                const Overview* context = nullptr) {
  w.begin_object().key(key).begin_array();
  for (const auto& item : items) write_one(w, item);
  w.end_array();
  write_context(w, context);
  w.end_object();
}

template <typename T, typename F>
void write_single(JsonWriter& w, std::string_view key, const T& item, F write_one,
                  const Overview* context = nullptr) {
  w.begin_object().key(key);
  write_one(w, item);
  write_context(w, context);
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
    case Update::Kind::kPrompt:
      w.value("prompt").key("prompt");
      write_prompt(w, u.prompt);
      break;
    case Update::Kind::kPractice:
      w.value("practice").key("practice");
      write_practice(w, u.practice);
      break;
  }
  w.end_object();
}

void write_answer(JsonWriter& w, const AnswerInfo& a, bool mine) {
  if (!a.given) {
    w.null();
    return;
  }
  w.begin_object();
  w.key("at");
  time_or_null(w, a.at);
  w.key("revealed").value(a.revealed);
  // The words only where they can be read: never a partner's before reveal.
  w.key("text");
  if (a.readable && !a.text.empty()) {
    w.value(a.text);
  } else {
    w.null();
  }
  w.key("choice");
  if (a.readable && !a.choice.empty()) {
    w.value(a.choice);
  } else {
    w.null();
  }
  if (mine) w.key("note").string_or_null(a.note);
  w.end_object();
}

void write_round(JsonWriter& w, const RoundInfo& r) {
  w.begin_object();
  w.key("id").value(to_hex(r.id));
  w.key("started_at");
  time_or_null(w, r.started_at);
  w.key("started_by").value(author(r.started_by_me));
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
  w.key("text");
  if (r.words_hidden) {
    w.null();
  } else {
    w.value(r.text);
  }
  w.key("feelings").strings(r.feelings);
  w.key("prompt_id").string_or_null(r.prompt_id);
  w.key("reply_to");
  hex_or_null(w, r.reply_to);
  w.key("content_note").string_or_null(r.content_note);
  w.key("words_hidden").value(r.words_hidden);
  w.key("appreciation").value(r.appreciation);
  w.key("archived").value(r.archived);
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
  w.key("kind").value(b.kind);
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
  if (b.status == "withdrawn" || b.status == "retired") {
    w.value(author(b.withdrawn_by_me));
  } else {
    w.null();
  }
  w.key("withdraw_note").string_or_null(b.withdraw_note);
  if (b.kind == "limit") w.key("acknowledged").value(b.acknowledged);
  w.key("ask_again_after");
  time_or_null(w, b.ask_again_after);
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

void write_prompt(JsonWriter& w, const Prompt& p) {
  w.begin_object();
  w.key("id").value(p.id);
  w.key("round");
  hex_or_null(w, p.round);
  w.key("text").value(p.text);
  if (p.depth > 0) {
    w.key("depth").value(static_cast<int64_t>(p.depth));
  } else {
    w.key("group").string_or_null(p.group);
  }
  w.key("deck").string_or_null(p.deck);
  w.key("asked_by").string_or_null(p.asked_by);
  w.key("status").value(p.status);
  w.key("mine");
  write_answer(w, p.mine, true);
  w.key("partner");
  write_answer(w, p.partner, false);
  w.key("i_passed").value(p.i_passed);
  w.key("partner_passed").value(p.partner_passed);
  w.key("updated_at");
  time_or_null(w, p.updated_at);
  w.end_object();
}

void write_practice(JsonWriter& w, const PracticeInfo& p) {
  if (p.id.empty() && p.practice.empty()) {
    w.null();
    return;
  }
  w.begin_object();
  w.key("id");
  hex_or_null(w, p.id);
  w.key("practice").value(p.practice);
  w.key("minutes").value(static_cast<int64_t>(p.minutes));
  w.key("in_seconds").value(static_cast<int64_t>(p.in_seconds));
  w.key("out_seconds").value(static_cast<int64_t>(p.out_seconds));
  w.key("stage").value(static_cast<int64_t>(p.stage));
  w.key("invited_by").value(author(p.invited_by_me));
  w.key("invited_at");
  time_or_null(w, p.invited_at);
  w.key("joined").value(p.joined);
  w.key("start_at");
  time_or_null(w, p.start_at);
  w.key("start_at_ms").value(p.start_at);
  w.key("stopped").value(p.stopped);
  w.key("stopped_by");
  if (p.stopped) {
    w.value(author(p.stopped_by_me));
  } else {
    w.null();
  }
  w.key("my_check").string_or_null(p.my_check);
  w.key("partner_check").string_or_null(p.partner_check);
  w.key("stage_open").value(p.stage_open);
  w.key("over").value(p.over);
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
  w.key("replies").begin_array();
  for (const auto& r : c.replies) {
    w.begin_object();
    w.key("author").value(author(r.mine));
    w.key("created_at");
    time_or_null(w, r.at);
    w.key("text").value(r.text);
    w.end_object();
  }
  w.end_array();
  w.key("archived").value(c.archived);
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
  w.key("set_by").value(author(p.mine));
  if (p.active) {
    w.key("started_at");
    time_or_null(w, p.started_at);
    w.key("until");
    time_or_null(w, p.until);
    w.key("minutes").value(static_cast<unsigned>(p.minutes));
    w.key("note").string_or_null(p.note);
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
  w.key("my_pause");
  write_pause(w, s.my_pause);
  w.key("partner_pause");
  write_pause(w, s.partner_pause);
  w.key("waiting").value(static_cast<uint64_t>(s.waiting));
  w.key("shared_while_unpaired").value(static_cast<uint64_t>(s.shared_while_unpaired));
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

std::string json_document(const Reply& reply, int indent, const Overview* context) {
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
          write_single(w, "reflection", r, write_reflection, context);
        } else if constexpr (std::is_same_v<T, std::vector<Reflection>>) {
          write_list(w, "reflections", r, write_reflection, context);
        } else if constexpr (std::is_same_v<T, Boundary>) {
          write_single(w, "boundary", r, write_boundary, context);
        } else if constexpr (std::is_same_v<T, std::vector<Boundary>>) {
          write_list(w, "boundaries", r, write_boundary, context);
        } else if constexpr (std::is_same_v<T, CheckIn>) {
          write_single(w, "checkin", r, write_check_in, context);
        } else if constexpr (std::is_same_v<T, std::vector<CheckIn>>) {
          write_list(w, "checkins", r, write_check_in, context);
        } else if constexpr (std::is_same_v<T, Overview>) {
          w.begin_object().key("overview").begin_object();
          w.key("paired").value(r.paired);
          w.key("partner_name").string_or_null(r.partner_name);
          w.key("my_pause");
          write_pause(w, r.my_pause);
          w.key("partner_pause");
          write_pause(w, r.partner_pause);
          w.key("waiting").value(static_cast<uint64_t>(r.waiting));
          w.key("shared_while_unpaired").value(static_cast<uint64_t>(r.shared_while_unpaired));
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, Prompt>) {
          write_single(w, "prompt", r, write_prompt);
        } else if constexpr (std::is_same_v<T, std::vector<Prompt>>) {
          write_list(w, "prompts", r, write_prompt);
        } else if constexpr (std::is_same_v<T, std::vector<DeckInfo>>) {
          write_list(w, "decks", r, [](JsonWriter& jw, const DeckInfo& d) {
            jw.begin_object();
            jw.key("id").value(d.id);
            jw.key("version").value(static_cast<int64_t>(d.version));
            jw.key("title").value(d.title);
            jw.key("about").value(d.about);
            jw.key("prompts").value(static_cast<int64_t>(d.prompts));
            jw.key("depths").begin_array();
            for (uint32_t n : d.depths) jw.value(static_cast<int64_t>(n));
            jw.end_array();
            jw.end_object();
          });
        } else if constexpr (std::is_same_v<T, PracticeInfo>) {
          write_single(w, "practice", r, write_practice);
        } else if constexpr (std::is_same_v<T, CareInfo>) {
          w.begin_object().key("care").begin_object().key("show").value(r.show);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, DraftInfo>) {
          w.begin_object().key("draft").begin_object();
          w.key("name").value(r.name);
          w.key("text").value(r.text);
          w.key("updated_at");
          time_or_null(w, r.updated_at);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, TodayInfo>) {
          w.begin_object().key("today").begin_object();
          w.key("partner_pause");
          write_pause(w, r.overview.partner_pause);
          w.key("my_pause");
          write_pause(w, r.overview.my_pause);
          w.key("waiting").value(static_cast<uint64_t>(r.overview.waiting));
          w.key("since");
          time_or_null(w, r.since);
          w.key("new_reflections").begin_array();
          for (const auto& x : r.new_reflections) write_reflection(w, x);
          w.end_array();
          w.key("revealed").begin_array();
          for (const auto& x : r.revealed) write_prompt(w, x);
          w.end_array();
          w.key("boundaries_waiting").begin_array();
          for (const auto& x : r.boundaries_waiting) write_boundary(w, x);
          w.end_array();
          w.key("partner_checkin");
          if (r.partner_check_in) {
            write_check_in(w, *r.partner_check_in);
          } else {
            w.null();
          }
          w.key("checked_in_today").value(r.checked_in_today);
          w.key("prompt");
          if (r.prompt) {
            write_prompt(w, *r.prompt);
          } else {
            w.null();
          }
          w.key("practice");
          write_practice(w, r.practice);
          w.key("care_line").value(r.care_line);
          w.end_object().end_object();
        } else if constexpr (std::is_same_v<T, YnmInfo>) {
          w.begin_object().key("ynm").begin_object();
          w.key("rounds").begin_array();
          for (const auto& round : r.rounds) write_round(w, round);
          w.end_array();
          w.key("round");
          if (r.round.id.empty()) {
            w.null();
          } else {
            write_round(w, r.round);
          }
          w.key("items").begin_array();
          for (const auto& item : r.items) write_prompt(w, item);
          w.end_array();
          w.end_object().end_object();
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
