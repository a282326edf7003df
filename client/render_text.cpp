#include "client/render_text.h"

#include <algorithm>
#include <cctype>

#include "client/text.h"
#include "client/timefmt.h"

namespace hearth::client {
namespace {

constexpr std::string_view kIndent = "    ";

std::string safe(std::string_view s) { return terminal_safe(s, false); }

std::string quoted(std::string_view note) { return "'" + safe(note) + "'"; }

std::string feelings_line(const std::vector<std::string>& feelings) {
  std::vector<std::string> safe_items;
  for (const auto& f : feelings) safe_items.push_back(safe(f));
  return std::string(kIndent) + "Feelings: " + join(safe_items, ", ") + "\n";
}

// "Showing the newest 20. ..." when a list was cut at its limit.
std::string more_hint(size_t shown, uint32_t limit, std::string_view command) {
  if (limit == 0 || shown < limit) return {};
  return "Showing the newest " + std::to_string(limit) + ". `hearth " + std::string(command) +
         " --limit 0` shows all.\n";
}

template <typename T, typename F>
std::string blocks(const std::vector<T>& list, F one) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += '\n';
    out += one(list[i]);
  }
  return out;
}

std::string revision_answers(const Revision& r, std::string_view partner) {
  std::string mine = "you: " + response_words(r.my_response);
  if (!r.my_note.empty()) mine += " (" + quoted(r.my_note) + ")";
  std::string theirs = std::string(partner) + ": " + response_words(r.partner_response);
  if (!r.partner_note.empty()) theirs += " (" + quoted(r.partner_note) + ")";
  return r.mine ? mine + " · " + theirs : theirs + " · " + mine;
}

// What a boundary waits for, in a sentence; empty when nothing.
std::string boundary_next_step(const Boundary& b, const std::string& partner) {
  const std::string id = short_id(b.id);
  if (b.kind == "limit") {
    if (b.status != "in_force") return {};
    if (b.proposed_by_me) {
      return b.acknowledged ? capitalized(partner) + " has read it." : std::string();
    }
    if (!b.revisions.empty() && b.revisions.back().my_response == "acknowledge")
      return "You have let " + partner + " know you read it.";
    return "If you like, `hearth boundary ack " + id + "` lets " + partner +
           " know you have read it.";
  }
  if (b.revisions.empty() || b.status == "withdrawn" || b.status == "agreed") return {};
  const Revision& last = b.revisions.back();
  if (last.my_response.empty())
    return "Your answer: `hearth boundary agree|decline|discuss " + id + "`.";
  if (last.partner_response.empty()) {
    std::string out = "Waiting for " + partner + "'s answer.";
    if (last.mine && b.revisions.size() > 1)
      out += " `hearth boundary drop " + id + "` takes this wording back.";
    return out;
  }
  return {};
}

// "your partner's device has 12 of your 12 shared entries": about the user's
// own entries only (docs/DESIGN.md §1.3). No capital, no period.
std::string mine_synced(const SyncInfo& s) {
  if (s.my_shared_events == 0) return "nothing of yours is shared yet";
  return "your partner's device has " + std::to_string(s.partner_has_mine) + " of your " +
         count_of(s.my_shared_events, "shared entry", "shared entries");
}

std::string partner_or_default(std::string_view name) {
  return name.empty() ? std::string("your partner") : safe(name);
}

}  // namespace

const char* who(bool mine) { return mine ? "you" : "your partner"; }

std::string capitalized(std::string_view text) {
  std::string out(text);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string response_words(std::string_view response) {
  if (response == "agree") return "agreed";
  if (response == "decline") return "declined";
  if (response == "discuss") return "asked to talk it over";
  if (response == "acknowledge") return "has read it";
  if (response.empty()) return "no answer yet";
  return safe(response);
}

std::string text_reflection(const Reflection& r, int64_t now, std::string_view partner_name) {
  const std::string partner = partner_or_default(partner_name);
  std::string out = short_id(r.id) + "  " + (r.mine ? std::string("you") : partner) + " · " +
                    human_time(r.created_at, now);
  if (!r.mine) {
    out += " · shared with you";
  } else if (!r.shared) {
    out += " · private";
  } else if (r.partner_has_it) {
    out += " · shared · " + partner + "'s device has it";
  } else {
    out += " · shared · not on " + partner + "'s device yet";
  }
  if (r.appreciation) out += " · an appreciation";
  if (r.archived) out += " · archived";
  out += '\n';
  if (!r.content_note.empty())
    out += std::string(kIndent) + "Content note: " + safe(r.content_note) + "\n";
  if (r.words_hidden) {
    out += std::string(kIndent) + "`hearth reflect show " + short_id(r.id) +
           "` opens it, when you are ready.\n";
  } else {
    out += indent_lines(r.text, kIndent);
  }
  if (!r.feelings.empty()) out += feelings_line(r.feelings);
  std::vector<std::string> notes;
  if (!r.reply_to.empty()) notes.push_back("In reply to " + short_id(r.reply_to));
  if (!r.prompt_id.empty()) notes.push_back("Prompt: " + safe(r.prompt_id));
  if (r.updated_at != 0 && r.updated_at != r.created_at)
    notes.push_back("Edited " + human_time(r.updated_at, now));
  if (!notes.empty()) out += std::string(kIndent) + join(notes, " · ") + "\n";
  if (r.history.size() > 1) {
    out += std::string(kIndent) + "Versions, oldest first:\n";
    for (const auto& v : r.history) {
      out += std::string(kIndent) + "  " + human_time(v.at, now) +
             (v.shared ? " · shared" : " · private") + "\n";
      out += indent_lines(v.text, std::string(kIndent) + "    ");
    }
  }
  return out;
}

std::string text_reflections(const std::vector<Reflection>& list, uint32_t limit, int64_t now,
                             std::string_view partner_name) {
  if (list.empty()) return "No reflections yet.\n";
  std::string out = blocks(
      list, [&](const Reflection& r) { return text_reflection(r, now, partner_name); });
  std::string hint = more_hint(list.size(), limit, "reflect list");
  if (!hint.empty()) out += "\n" + hint;
  return out;
}

std::string text_boundary(const Boundary& b, int64_t now, std::string_view partner_name) {
  const std::string partner = partner_or_default(partner_name);
  const bool limit = b.kind == "limit";
  std::string out = short_id(b.id) + "  ";
  if (limit) {
    out += b.proposed_by_me ? "your limit" : partner + "'s limit";
    out += b.status == "retired" ? " · retired" : " · in force";
  } else {
    out += "agreement · " + std::string(b.status == "withdrawn" ? "left" : safe(b.status)) +
           " · proposed by " + (b.proposed_by_me ? std::string("you") : partner);
  }
  out += " · " + human_time(b.created_at, now) + "\n";
  if (b.status == "renegotiating") {
    out += std::string(kIndent) + "In force: " + safe(b.in_force_text) + "\n";
    out += std::string(kIndent) + "Proposed change: " + safe(b.text) + "\n";
  } else {
    out += indent_lines(b.text, kIndent);
  }
  if (!b.category.empty()) out += std::string(kIndent) + "Category: " + safe(b.category) + "\n";
  if (b.status == "withdrawn" || b.status == "retired") {
    out += std::string(kIndent) + (limit ? "Retired by " : "Left by ") +
           (b.withdrawn_by_me ? std::string("you") : partner);
    if (!b.withdraw_note.empty()) out += " — " + quoted(b.withdraw_note);
    out += "; it is no longer in force.\n";
  }
  if (b.status == "declined" && b.ask_again_after != 0) {
    out += std::string(kIndent) + "Asked to be asked again after " +
           human_day(b.ask_again_after, now) + ".\n";
  }
  if (b.revisions.size() > 1) {
    out += std::string(kIndent) + (limit ? "Earlier wordings:\n" : "Revisions:\n");
    for (const auto& r : b.revisions) {
      out += std::string(kIndent) + "  " + std::to_string(r.number) + ". " +
             (r.mine ? std::string("you") : partner) + ", " + human_time(r.at, now) + ": " +
             safe(r.text) + "\n";
      if (!limit) out += std::string(kIndent) + "     " + revision_answers(r, partner) + "\n";
    }
  } else if (!b.revisions.empty() && !limit) {
    // The proposer's own agreement goes without saying; answers matter when
    // someone declined, asked to talk, or left a note.
    const Revision& only = b.revisions.back();
    if (b.status == "declined" || b.status == "discussing" || !only.my_note.empty() ||
        !only.partner_note.empty())
      out += std::string(kIndent) + revision_answers(only, partner) + "\n";
  }
  std::string next = boundary_next_step(b, partner);
  if (!next.empty()) out += std::string(kIndent) + next + "\n";
  return out;
}

std::string text_boundaries(const std::vector<Boundary>& list, uint32_t limit, int64_t now,
                            std::string_view partner_name) {
  if (list.empty()) return "No boundaries yet.\n";
  std::string out =
      blocks(list, [&](const Boundary& b) { return text_boundary(b, now, partner_name); });
  std::string hint = more_hint(list.size(), limit, "boundary list");
  if (!hint.empty()) out += "\n" + hint;
  return out;
}

namespace {

std::string answer_block(const AnswerInfo& a, const std::string& who, int64_t now) {
  std::string out = std::string(kIndent) + who + ", " + human_time(a.at, now) + ":\n";
  if (!a.choice.empty()) out += std::string(kIndent) + "    " + safe(a.choice) + "\n";
  if (!a.text.empty()) out += indent_lines(a.text, std::string(kIndent) + "    ");
  if (!a.note.empty()) out += std::string(kIndent) + "    (your note: " + safe(a.note) + ")\n";
  return out;
}

}  // namespace

std::string text_prompt(const Prompt& p, int64_t now, std::string_view partner_name) {
  const std::string partner = partner_or_default(partner_name);
  std::string head = safe(p.id);
  if (p.depth > 0) head += " · depth " + std::to_string(p.depth);
  if (p.asked_by == "me") head += " · asked by you";
  if (p.asked_by == "partner") head += " · asked by " + partner;
  std::string out = head + "\n" + indent_lines(p.text, kIndent);
  if (p.status == "both_answered") {
    out += answer_block(p.mine, "You", now);
    if (p.partner.readable) {
      out += answer_block(p.partner, capitalized(partner), now);
    } else {
      out += std::string(kIndent) + capitalized(partner) + " answered; " + partner +
             "'s words show here once " + partner + "'s device sends its key.\n";
    }
  } else if (p.status == "waiting_for_partner") {
    out += answer_block(p.mine, "You", now);
    out += std::string(kIndent) + "Your answer waits, sealed, until " + partner +
           " answers too; then you both see both. `hearth prompt reveal " + safe(p.id) +
           "` shows yours now, if you want to.\n";
  } else if (p.status == "waiting_for_you") {
    out += std::string(kIndent) + capitalized(partner) +
           " has answered. You will see it once you answer too; there is no hurry, and `hearth "
           "prompt pass " + safe(p.id) + "` sets it aside.\n";
  } else if (p.i_passed) {
    out += std::string(kIndent) + "You set this one aside.\n";
  } else if (p.partner_passed) {
    out += std::string(kIndent) + "Set aside for now.\n";
  }
  if (p.status == "open" && !p.i_passed)
    out += std::string(kIndent) + "`hearth prompt answer " + safe(p.id) +
           "` answers it; only when you have both answered do you see each other's words.\n";
  return out;
}

std::string text_prompts(const std::vector<Prompt>& list, uint32_t limit, int64_t now,
                         std::string_view partner_name) {
  if (list.empty())
    return "No prompts answered or asked yet. `hearth prompt` shows today's.\n";
  std::string out =
      blocks(list, [&](const Prompt& p) { return text_prompt(p, now, partner_name); });
  std::string hint = more_hint(list.size(), limit, "prompt list");
  if (!hint.empty()) out += "\n" + hint;
  return out;
}

std::string text_decks(const std::vector<DeckInfo>& decks) {
  std::string out;
  for (const auto& d : decks) {
    out += safe(d.title) + " (" + safe(d.id) + ")\n";
    out += indent_lines(d.about, kIndent);
  }
  out += "Depth 1 is light, 2 thoughtful, 3 deeper. `hearth config set prompt-depth 1` keeps "
         "today's prompt light.\n";
  return out;
}

std::string text_ynm(const YnmInfo& y, int64_t now, std::string_view partner_name) {
  if (y.round.id.empty())
    return "No yes / no / maybe round yet. `hearth ynm start` begins one; you both answer each "
           "item privately, and only what you both answered shows.\n";
  const std::string partner = partner_or_default(partner_name);
  std::string out = "Round of " + human_time(y.round.started_at, now) + " (" +
                    short_id(y.round.id) + ")\n";
  std::vector<std::string> both_yes, maybe, not_now, waiting;
  for (const auto& item : y.items) {
    const std::string line = std::string(kIndent) + safe(item.text) + "  (" + safe(item.id) + ")\n";
    if (item.status != "both_answered" || !item.partner.readable) {
      if (!item.mine.given) waiting.push_back(line);
      continue;
    }
    const std::string a = item.mine.choice, b = item.partner.choice;
    if (a == "no" || b == "no") {
      not_now.push_back(line);
    } else if (a == "yes" && b == "yes") {
      both_yes.push_back(line);
    } else {
      maybe.push_back(line);
    }
  }
  auto section = [&](const char* title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    out += "\n" + std::string(title) + "\n";
    for (const auto& l : lines) out += l;
  };
  section("You both said yes:", both_yes);
  section("A maybe, for one or both of you:", maybe);
  section("Not now for one of you:", not_now);
  section("Waiting for your answer (yes, no or maybe; only you see it until you have both "
          "answered):",
          waiting);
  if (both_yes.empty() && maybe.empty() && not_now.empty())
    out += "\nNothing to show yet: an item shows once you and " + partner + " have both answered it.\n";
  return out;
}

std::string text_practice(const PracticeInfo& p, int64_t now, std::string_view partner_name) {
  const std::string partner = capitalized(partner_or_default(partner_name));
  if (p.id.empty()) return "No practice is waiting or in progress.\n";
  const std::string what = safe(p.practice) + (p.stage > 0 ? " (stage " + std::to_string(p.stage) + ")" : "");
  if (p.stopped)
    return "The practice has ended" + std::string(p.stopped_by_me ? "." : ", by " + partner + ".") +
           " Thank you for being there.\n";
  if (!p.joined) {
    if (p.invited_by_me)
      return "You invited " + partner + " to " + what + " together, for " +
             std::to_string(p.minutes) + " minutes. Waiting for them to join.\n";
    return partner + " invites you to " + what + " together, for " + std::to_string(p.minutes) +
           " minutes. `hearth practice join` joins; saying nothing is fine too.\n";
  }
  std::string out = "You are both in: " + what + " begins at " + human_clock(p.start_at, now) + ".\n";
  return out;
}

std::string text_today(const TodayInfo& t, int64_t now) {
  const Overview& o = t.overview;
  const std::string partner = partner_or_default(o.partner_name);
  std::string out = text_pause(o.partner_pause, now, o.partner_name) +
                    text_pause(o.my_pause, now, o.partner_name) + text_waiting(o.waiting);
  if (!out.empty()) out += '\n';
  if (!t.practice.id.empty() && !t.practice.invited_by_me && !t.practice.joined)
    out += text_practice(t.practice, now, o.partner_name) + "\n";
  std::string fresh;
  for (const auto& r : t.new_reflections) fresh += text_reflection(r, now, o.partner_name) + "\n";
  for (const auto& p : t.revealed) fresh += text_prompt(p, now, o.partner_name) + "\n";
  for (const auto& b : t.boundaries_waiting) fresh += text_boundary(b, now, o.partner_name) + "\n";
  if (!fresh.empty()) {
    out += (t.since ? "Since you last looked:\n\n" : "From " + partner + ":\n\n") + fresh;
  }
  if (t.partner_check_in) {
    const CheckIn& c = *t.partner_check_in;
    out += capitalized(partner) + "'s latest check-in, " + human_age(c.at, now) + ": " +
           safe(c.capacity);
    if (!c.need.empty()) out += " — needs " + quoted(c.need);
    out += ".\n";
    if (!c.need.empty() && c.replies.empty())
      out += std::string(kIndent) + "`hearth checkin reply " + short_id(c.id) +
             "` answers it, if you can.\n";
    out += "\n";
  }
  if (!t.checked_in_today)
    out += "How much can you carry today? `hearth checkin` notes it, just for you unless you "
           "share it.\n\n";
  if (t.prompt) out += "Today's prompt:\n" + text_prompt(*t.prompt, now, o.partner_name) + "\n";
  if (t.care_line)
    out += std::string(kCareLine) + "\n";
  out += "Skip any of this; nothing here is counted.\n";
  return out;
}

std::string text_check_in(const CheckIn& c, int64_t now, std::string_view partner_name) {
  std::string out = short_id(c.id) + "  " +
                    (c.mine ? std::string("you") : partner_or_default(partner_name)) + " · " +
                    human_time(c.at, now);
  if (!c.mine) {
    out += " · shared with you";
  } else {
    out += c.shared ? " · shared" : " · private";
  }
  out += '\n';
  out += std::string(kIndent) + "Capacity: " + safe(c.capacity) + "\n";
  if (!c.feelings.empty()) out += feelings_line(c.feelings);
  if (!c.need.empty()) out += std::string(kIndent) + "Need: " + safe(c.need) + "\n";
  for (const auto& r : c.replies) {
    out += std::string(kIndent) + "  " +
           (r.mine ? std::string("You") : capitalized(partner_or_default(partner_name))) +
           " replied, " + human_time(r.at, now) + ": " + safe(r.text) + "\n";
  }
  if (!c.mine && !c.need.empty() && c.shared && c.replies.empty())
    out += std::string(kIndent) + "`hearth checkin reply " + short_id(c.id) +
           "` answers the need, if you can.\n";
  return out;
}

std::string text_check_ins(const std::vector<CheckIn>& list, uint32_t limit, int64_t now,
                           std::string_view partner_name) {
  if (list.empty()) return "No check-ins yet.\n";
  std::string out =
      blocks(list, [&](const CheckIn& c) { return text_check_in(c, now, partner_name); });
  std::string hint = more_hint(list.size(), limit, "checkin list");
  if (!hint.empty()) out += "\n" + hint;
  return out;
}

std::string text_log(const std::vector<LogEntry>& list, uint32_t limit) {
  if (list.empty()) return "The activity log is empty.\n";
  std::string out;
  for (const auto& e : list) {
    std::string level = safe(e.level);
    level.resize(std::max<size_t>(level.size(), 5), ' ');
    out += local_timestamp(e.at) + "  " + level + "  " + safe(e.message) + "\n";
  }
  out += more_hint(list.size(), limit, "log");
  return out;
}

std::string text_peers(const std::vector<PeerInfo>& list) {
  if (list.empty())
    return "No addresses yet. Add your partner's with `hearth peer add HOST:PORT`.\n";
  size_t width = 0;
  for (const auto& p : list) width = std::max(width, safe(p.address).size());
  std::string out;
  for (const auto& p : list) {
    std::string address = safe(p.address);
    address.resize(width, ' ');
    out += address + "  " + safe(p.state) + " · " + safe(p.source);
    if (!p.last_error.empty()) out += " · last error: " + safe(p.last_error);
    out += '\n';
  }
  return out;
}

std::string text_pause(const PauseInfo& p, int64_t now, std::string_view partner_name) {
  if (!p.active) return {};
  std::string out = p.mine ? std::string("You are pausing until ")
                           : capitalized(partner_or_default(partner_name)) + " is pausing until ";
  out += human_clock(p.until, now);
  if (!p.note.empty()) out += " — " + quoted(p.note);
  out += p.mine ? ". `hearth resume` ends it whenever you are ready." : ".";
  return out + "\n";
}

std::string text_waiting(uint32_t waiting) {
  if (waiting == 0) return {};
  return (waiting == 1 ? std::string("1 new entry waits")
                       : std::to_string(waiting) + " new entries wait") +
         " until your pause ends.\n";
}

std::string text_overview(const Overview& o, int64_t now) {
  return text_pause(o.partner_pause, now, o.partner_name) + text_waiting(o.waiting);
}

std::string text_sync(const SyncInfo& s) {
  std::string out = mine_synced(s) + ".\n";
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  if (s.partner_events_offered > s.partner_events_known) {
    out += "This device has " + std::to_string(s.partner_events_known) + " of your partner's " +
           std::to_string(s.partner_events_offered) + " so far.\n";
  }
  if (s.connection == "offline") {
    out += "Your partner's device is not connected; this device is trying to reach it.\n";
  } else if (s.connection == "connecting") {
    out += "Connecting to your partner's device…\n";
  }
  out += s.caught_up ? "Everything is up to date.\n" : "Sync is still in progress.\n";
  return out;
}

std::string text_sync_progress(const SyncInfo& s) {
  std::string out = s.connection == "connected"    ? "Syncing: "
                    : s.connection == "connecting" ? "Connecting to your partner's device: "
                                                   : "Waiting for your partner's device: ";
  out += std::to_string(s.partner_has_mine) + " of " + std::to_string(s.my_shared_events) +
         " sent";
  if (s.partner_events_offered > 0) {
    out += ", " + std::to_string(s.partner_events_known) + " of " +
           std::to_string(s.partner_events_offered) + " received";
  }
  return out;
}

std::string text_status(const StatusInfo& s, int64_t now) {
  // The partner's pause first: it is what most needs seeing.
  std::string out = text_pause(s.partner_pause, now, s.partner.name) +
                    text_pause(s.my_pause, now, s.partner.name) + text_waiting(s.waiting);
  if (!out.empty()) out += '\n';
  auto row = [&](std::string_view label, const std::string& value) {
    std::string l(label);
    l.resize(10, ' ');
    out += l + value + "\n";
  };
  std::string device = safe(s.device_id);
  if (!s.name.empty()) device += " (" + safe(s.name) + ")";
  row("Device", device);
  row("Keys", s.locked ? "locked — run `hearth unlock` to open them" : "unlocked");
  if (s.locked) return out;
  if (!s.partner.paired) {
    row("Partner", "no partner: this device is not paired. `hearth pair invite` or "
                   "`hearth pair add ID` pairs it");
    if (s.shared_while_unpaired > 0) {
      row("Waiting", count_of(s.shared_while_unpaired, "entry", "entries") +
                         " you shared while not paired; when you pair, Hearth asks whether to "
                         "send them");
    }
  } else {
    std::string partner = s.partner.name.empty() ? std::string() : safe(s.partner.name) + ", ";
    partner += safe(s.partner.device_id);
    if (!s.partner.connection.empty()) partner += " — " + safe(s.partner.connection);
    row("Partner", partner);
    row("Sync", mine_synced(s.sync));
    if (s.sync.partner_events_offered > s.sync.partner_events_known) {
      row("", "receiving from your partner: " + std::to_string(s.sync.partner_events_known) +
                  " of " + std::to_string(s.sync.partner_events_offered));
    }
  }
  row("Entries", count_of(s.reflections, "reflection", "reflections") + ", " +
                     count_of(s.boundaries, "boundary", "boundaries") + ", " +
                     count_of(s.check_ins, "check-in", "check-ins"));
  if (!s.listening.empty()) row("Listening", safe(s.listening));
  return out;
}

std::string text_update(const Update& u, int64_t now, std::string_view partner_name) {
  switch (u.kind) {
    case Update::Kind::kPause:
      return text_pause(u.pause, now, partner_name);
    case Update::Kind::kResume:
      if (u.pause.mine)
        return "Your pause has ended. What arrived meanwhile follows. Reconnect with " +
               partner_or_default(partner_name) + " whenever you are ready.\n";
      return capitalized(partner_or_default(partner_name)) +
             "'s pause has ended. Reconnect when you are both ready; there is no hurry.\n";
    case Update::Kind::kReflection:
      return (u.reflection.mine ? std::string("Your reflection:\n")
                                : "From " + partner_or_default(partner_name) + ":\n") +
             text_reflection(u.reflection, now, partner_name);
    case Update::Kind::kBoundary:
      return "Boundary:\n" + text_boundary(u.boundary, now, partner_name);
    case Update::Kind::kCheckIn:
      return (u.check_in.mine ? std::string("Your check-in:\n")
                              : "Check-in from " + partner_or_default(partner_name) + ":\n") +
             text_check_in(u.check_in, now, partner_name);
    case Update::Kind::kForgotten:
      return "Your partner forgot a reflection (" + short_id(u.forgotten) +
             "); its text is gone from this device.\n";
    case Update::Kind::kPrompt:
      return text_prompt(u.prompt, now, partner_name);
    case Update::Kind::kPractice:
      return text_practice(u.practice, now, partner_name);
    case Update::Kind::kConnection:
      if (u.connection == "connected") return "Connected to your partner's device.\n";
      if (u.connection == "disconnected") return "Disconnected from your partner's device.\n";
      return "Connection: " + safe(u.connection) + "\n";
  }
  return {};
}

}  // namespace hearth::client
