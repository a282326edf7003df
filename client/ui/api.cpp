#include "client/ui/api.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <future>
#include <span>
#include <vector>

#include "client/args.h"
#include "client/commands.h"
#include "client/control_codec.h"
#include "client/json.h"
#include "client/practices.h"
#include "client/render_json.h"
#include "client/ui/guard.h"
#include "util/secret.h"

namespace hearth::client::ui {
namespace {

// At most this many fields in one request (a check-in with its feelings is
// the largest form: a few dozen).
constexpr size_t kMaxFields = 64;

int http_status_for(std::string_view code) {
  if (code == "usage") return 400;
  if (code == "not_found") return 404;
  if (code == "refused") return 409;
  if (code == "locked") return 423;
  if (code == "not_running") return 503;
  if (code == "wrong_passphrase") return 403;
  return 500;
}

ApiResponse error_of(const Status& status) {
  const char* code = error_code_name(status.code());
  return error_response(http_status_for(code), code, status.message());
}

ApiResponse error_of(const DaemonError& e) {
  if (e.code == DaemonErrorCode::kWrongPassphrase)
    return error_response(403, "wrong_passphrase", e.message);
  return error_of(status_of(e));
}

ApiResponse document(const Reply& reply) {
  if (const auto* e = std::get_if<DaemonError>(&reply)) return error_of(*e);
  return {200, json_document(reply, 0)};
}

ApiResponse usage(std::string_view message) { return error_response(400, "usage", message); }

// The fields of one request, read with their limits.
class Fields {
 public:
  explicit Fields(const Params& p) : p_(p) {}

  // The field's value, "" when absent.
  std::string text(const char* name) const {
    auto it = p_.find(name);
    return it == p_.end() ? std::string() : it->second;
  }
  bool has(const char* name) const { return p_.count(name) > 0; }
  bool flag(const char* name) const {
    const std::string v = text(name);
    return v == "1" || v == "true" || v == "on" || v == "yes";
  }
  std::vector<std::string> all(const char* name) const {
    std::vector<std::string> out;
    auto [lo, hi] = p_.equal_range(name);
    for (auto it = lo; it != hi; ++it)
      if (!it->second.empty()) out.push_back(it->second);
    return out;
  }

 private:
  const Params& p_;
};

// A whole number in [lo, hi], or nullopt.
std::optional<long> number(const std::string& s, long lo, long hi) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

class Call {
 public:
  explicit Call(Daemon& d) : d_(d) {}
  ApiResponse operator()(const Bytes& request, Wait wait = Wait::kNormal) const {
    Result<Reply> reply = d_.call(request, wait);
    if (!reply) return error_of(reply.status());
    return document(*reply);
  }
  Result<Reply> raw(ByteView request, Wait wait = Wait::kNormal) const {
    return d_.call(request, wait);
  }

 private:
  Daemon& d_;
};

using Handler = ApiResponse (*)(Call&, const Fields&);

// An id as the lists show it.
#define HEARTH_UI_ID(var, field)                                         \
  Result<std::string> var = parse_id_prefix(f.text(field));             \
  if (!var) return usage("That entry could not be found; reload the page and try again.")

ApiResponse get_state(Call& call, const Fields&) { return call(request::status()); }
ApiResponse get_overview(Call& call, const Fields&) { return call(request::overview()); }

ApiResponse get_today(Call& call, const Fields& f) {
  const std::string date = f.text("date");
  if (!valid_date(date)) return usage("The day is missing.");
  return call(request::today(date, f.flag("mark")));
}

ApiResponse get_reflections(Call& call, const Fields& f) {
  return call(request::reflect_list(0, false, f.flag("archived")));
}

ApiResponse get_reflection(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::reflect_show(*id));
}

ApiResponse get_boundaries(Call& call, const Fields& f) {
  return call(request::boundary_list(0, f.flag("all")));
}

ApiResponse get_checkins(Call& call, const Fields& f) {
  return call(request::check_in_list(0, f.flag("archived")));
}

ApiResponse get_prompt_today(Call& call, const Fields& f) {
  const std::string date = f.text("date");
  if (!valid_date(date)) return usage("The day is missing.");
  auto depth = f.has("depth") ? number(f.text("depth"), 0, 3) : std::optional<long>(0);
  if (!depth) return usage("The depth is 1, 2 or 3.");
  return call(request::prompt_today(date, static_cast<uint8_t>(*depth)));
}

ApiResponse get_prompts(Call& call, const Fields&) { return call(request::prompt_list(0)); }

Result<Bytes> round_of(const Fields& f) {
  Bytes round;
  const std::string hex = f.text("round");
  if (hex.size() > 64 || !from_hex(hex, round)) return Status::invalid("bad round");
  return round;
}

ApiResponse get_prompt(Call& call, const Fields& f) {
  const std::string id = f.text("id");
  if (id.empty() || id.size() > 64) return usage("Which prompt?");
  auto round = round_of(f);
  if (!round) return usage("That round could not be found.");
  return call(request::prompt_show(id, *round));
}

ApiResponse get_decks(Call& call, const Fields&) { return call(request::prompt_decks()); }

ApiResponse get_ynm(Call& call, const Fields& f) {
  const std::string round = f.text("round");
  if (round.size() > 64) return usage("That round could not be found.");
  return call(request::ynm_show(round));
}

ApiResponse get_practice(Call& call, const Fields&) { return call(request::practice_current()); }

ApiResponse get_practices(Call&, const Fields&) {
  JsonWriter w(0);
  w.begin_object().key("practices").begin_array();
  for (const PracticeText& p : practices()) {
    w.begin_object();
    w.key("name").value(p.name);
    w.key("title").value(p.title);
    w.key("purpose").value(p.purpose);
    w.key("minutes").value(p.minutes);
    w.key("paced").value(p.paced);
    w.key("together").value(p.together);
    w.key("staged").value(!p.stages.empty());
    w.key("steps").begin_array();
    for (std::string_view s : p.steps) w.value(s);
    w.end_array();
    w.end_object();
  }
  w.end_array().end_object();
  return {200, w.finish()};
}

ApiResponse get_log(Call& call, const Fields&) { return call(request::log(200)); }

ApiResponse get_config(Call& call, const Fields& f) {
  const std::string key = f.text("key");
  if (key.empty() || key.size() > 64) return usage("Which setting?");
  return call(request::config_get(key));
}

ApiResponse get_draft(Call& call, const Fields& f) {
  return call(request::draft_get(f.text("name")));
}

ApiResponse get_peers(Call& call, const Fields&) { return call(request::peer_list()); }
ApiResponse get_sync(Call& call, const Fields&) { return call(request::sync_progress()); }

// ---------------------------------------------------------------- writes

ApiResponse post_unlock(Call& call, const Fields& f) {
  Secret pass = Secret::copy_of(f.text("passphrase"));
  Secret frame = request::unlock(pass);
  return call(Bytes(frame.view().begin(), frame.view().end()), Wait::kLong);
}

ApiResponse post_lock(Call& call, const Fields&) { return call(request::lock(), Wait::kLong); }

ApiResponse post_passphrase(Call& call, const Fields& f) {
  const std::string action = f.text("action");
  PassphraseChange change;
  if (action == "set") change = PassphraseChange::kSet;
  else if (action == "change") change = PassphraseChange::kChange;
  else if (action == "remove") change = PassphraseChange::kRemove;
  else return usage("Choose to set, change or remove the passphrase.");
  Secret current = Secret::copy_of(f.text("current"));
  Secret replacement = Secret::copy_of(f.text("new"));
  if (change != PassphraseChange::kRemove && replacement.empty())
    return usage("The new passphrase is empty. Type it twice, the same both times.");
  Secret frame = request::change_passphrase(
      change, change == PassphraseChange::kSet ? nullptr : &current,
      change == PassphraseChange::kRemove ? nullptr : &replacement);
  return call(Bytes(frame.view().begin(), frame.view().end()), Wait::kLong);
}

std::optional<ApiResponse> bad_feelings(const std::vector<std::string>& feelings) {
  if (feelings.size() > 16) return usage("Up to 16 feelings fit in one entry.");
  for (const auto& x : feelings)
    if (!parse_feeling(x)) return usage("A feeling is a word or a few, on one line.");
  return std::nullopt;
}

ApiResponse post_reflect_add(Call& call, const Fields& f) {
  ReflectAddRequest r;
  r.text = f.text("text");
  if (r.text.find_first_not_of(" \t\r\n") == std::string::npos)
    return usage("There are no words to save yet.");
  r.share = f.flag("share");
  r.feelings = f.all("feeling");
  if (auto bad = bad_feelings(r.feelings)) return *bad;
  r.content_note = f.text("content_note");
  r.prompt_id = f.text("prompt_id");
  const std::string reply_to = f.text("reply_to");
  if (!reply_to.empty()) {
    auto id = parse_id_prefix(reply_to);
    if (!id) return usage("The reflection this answers could not be found.");
    r.reply_to_prefix = *id;
  }
  ApiResponse out = call(request::reflect_add(r));
  // Saved: the draft it came from is no longer needed.
  const std::string draft = f.text("draft");
  if (out.status == 200 && !draft.empty()) (void)call.raw(request::draft_discard(draft));
  return out;
}

ApiResponse post_reflect_edit(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  ReflectEditRequest r;
  r.id_prefix = *id;
  r.text = f.text("text");
  if (r.text.find_first_not_of(" \t\r\n") == std::string::npos)
    return usage("There are no words to save yet.");
  return call(request::reflect_edit(r));
}

ApiResponse post_reflect_share(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::reflect_share(*id));
}

ApiResponse post_reflect_forget(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::reflect_forget(*id));
}

ApiResponse post_archive(Call& call, const Fields& f) {
  const std::string kind = f.text("kind");
  if (kind != "reflection" && kind != "checkin") return usage("Only reflections and check-ins can be archived.");
  HEARTH_UI_ID(id, "id");
  return call(request::archive(kind, *id, !f.has("archived") || f.flag("archived")));
}

ApiResponse post_appreciate(Call& call, const Fields& f) {
  const std::string text = f.text("text");
  if (text.empty()) return usage("There are no words to send yet.");
  return call(request::appreciate(text));
}

ApiResponse post_boundary_set(Call& call, const Fields& f) {
  const std::string text = f.text("text");
  if (text.empty()) return usage("Write the limit in a few words first.");
  return call(request::boundary_set(text, f.text("category")));
}

ApiResponse post_boundary_propose(Call& call, const Fields& f) {
  const std::string text = f.text("text");
  if (text.empty()) return usage("Write the agreement in a few words first.");
  return call(request::boundary_propose(text, f.text("category")));
}

ApiResponse post_boundary_revise(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  const std::string text = f.text("text");
  if (text.empty()) return usage("Write the new wording first.");
  return call(request::boundary_revise(*id, text));
}

ApiResponse post_boundary_respond(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  const std::string a = f.text("answer");
  Answer answer;
  if (a == "agree") answer = Answer::kAgree;
  else if (a == "decline") answer = Answer::kDecline;
  else if (a == "discuss") answer = Answer::kDiscuss;
  else if (a == "acknowledge") answer = Answer::kAcknowledge;
  else return usage("Choose agree, decline, talk about it, or I've read it.");
  int64_t after = 0;
  const std::string date = f.text("ask_again_after");
  if (!date.empty()) {
    if (!valid_date(date)) return usage("The date is written as YYYY-MM-DD.");
    // The start of that day on this computer's clock, as the CLI reads it.
    std::tm tm{};
    tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(date.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(date.substr(8, 2));
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t <= 0) return usage("The date is written as YYYY-MM-DD.");
    after = static_cast<int64_t>(t) * 1000;
  }
  return call(request::boundary_respond(*id, answer, f.text("note"), after));
}

ApiResponse post_boundary_withdraw(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::boundary_withdraw(*id, f.text("note")));
}

ApiResponse post_boundary_drop(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::boundary_drop(*id));
}

ApiResponse post_checkin(Call& call, const Fields& f) {
  CheckInRequest r;
  auto capacity = parse_capacity(f.text("capacity"));
  if (!capacity) return usage("Choose green, yellow or red.");
  r.capacity = *capacity;
  r.feelings = f.all("feeling");
  if (auto bad = bad_feelings(r.feelings)) return *bad;
  r.need = f.text("need");
  r.share = f.flag("share");
  return call(request::check_in(r));
}

ApiResponse post_checkin_share(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::check_in_share(*id));
}

ApiResponse post_checkin_forget(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  return call(request::check_in_forget(*id));
}

ApiResponse post_checkin_reply(Call& call, const Fields& f) {
  HEARTH_UI_ID(id, "id");
  const std::string text = f.text("text");
  if (text.empty()) return usage("Write a few words first.");
  return call(request::need_reply(*id, text));
}

ApiResponse post_pause(Call& call, const Fields& f) {
  auto minutes = number(f.text("minutes"), 20, 1440);
  if (!minutes) return usage("A pause lasts from 20 minutes to 24 hours.");
  return call(request::pause(static_cast<uint16_t>(*minutes), f.text("note")));
}

ApiResponse post_resume(Call& call, const Fields&) { return call(request::resume()); }

ApiResponse post_prompt_answer(Call& call, const Fields& f) {
  PromptAnswerRequest r;
  r.prompt_id = f.text("id");
  if (r.prompt_id.empty() || r.prompt_id.size() > 64) return usage("Which prompt?");
  auto round = round_of(f);
  if (!round) return usage("That round could not be found.");
  r.round = *round;
  r.text = f.text("text");
  const std::string choice = f.text("choice");
  if (choice == "yes") r.choice = Choice::kYes;
  else if (choice == "no") r.choice = Choice::kNo;
  else if (choice == "maybe") r.choice = Choice::kMaybe;
  else if (!choice.empty()) return usage("Choose yes, no or maybe.");
  if (r.choice == Choice::kNone && r.text.find_first_not_of(" \t\r\n") == std::string::npos)
    return usage("There are no words to seal yet. Passing is fine too.");
  r.note = f.text("note");
  return call(request::prompt_answer(r));
}

ApiResponse post_prompt_pass(Call& call, const Fields& f) {
  const std::string id = f.text("id");
  if (id.empty() || id.size() > 64) return usage("Which prompt?");
  auto round = round_of(f);
  if (!round) return usage("That round could not be found.");
  return call(request::prompt_pass(id, *round));
}

ApiResponse post_prompt_reveal(Call& call, const Fields& f) {
  const std::string id = f.text("id");
  if (id.empty() || id.size() > 64) return usage("Which prompt?");
  auto round = round_of(f);
  if (!round) return usage("That round could not be found.");
  return call(request::prompt_reveal(id, *round));
}

ApiResponse post_prompt_ask(Call& call, const Fields& f) {
  const std::string text = f.text("text");
  if (text.empty()) return usage("Write the question first.");
  auto depth = number(f.text("depth").empty() ? "1" : f.text("depth"), 1, 3);
  if (!depth) return usage("The depth is 1, 2 or 3.");
  return call(request::prompt_ask(text, static_cast<uint8_t>(*depth)));
}

ApiResponse post_ynm_start(Call& call, const Fields&) { return call(request::ynm_start()); }

ApiResponse post_practice_invite(Call& call, const Fields& f) {
  PracticeInviteRequest r;
  r.practice = f.text("practice");
  const PracticeText* p = find_practice(r.practice);
  if (!p) return usage("That practice is not one Hearth knows.");
  auto minutes = f.text("minutes").empty() ? std::optional<long>(p->minutes)
                                           : number(f.text("minutes"), 1, 60);
  if (!minutes) return usage("A practice lasts from 1 to 60 minutes.");
  r.minutes = static_cast<uint16_t>(*minutes);
  if (!f.text("capacity").empty()) {
    auto c = parse_capacity(f.text("capacity"));
    if (!c) return usage("Choose green, yellow or red.");
    r.check = *c;
  }
  return call(request::practice_invite(r));
}

ApiResponse post_practice_join(Call& call, const Fields& f) {
  std::optional<Capacity> check;
  if (!f.text("capacity").empty()) {
    auto c = parse_capacity(f.text("capacity"));
    if (!c) return usage("Choose green, yellow or red.");
    check = *c;
  }
  return call(request::practice_join(check));
}

ApiResponse post_practice_stop(Call& call, const Fields&) { return call(request::practice_stop()); }

ApiResponse post_pair_join(Call& call, const Fields& f) {
  const std::string code = f.text("code");
  if (code.empty() || code.size() > 200) return usage("Type the code your partner sees.");
  auto address = parse_address(f.text("address"));
  if (!address) return usage(address.status().message());
  return call(request::pair_join(code, *address, f.flag("send_earlier")), Wait::kLong);
}

ApiResponse post_pair_add(Call& call, const Fields& f) {
  auto id = parse_device_id_arg(f.text("device_id"));
  if (!id) return usage(id.status().message());
  std::string address;
  if (!f.text("address").empty()) {
    auto a = parse_address(f.text("address"));
    if (!a) return usage(a.status().message());
    address = *a;
  }
  return call(request::pair_add(*id, address, f.flag("send_earlier")), Wait::kLong);
}

ApiResponse post_unpair(Call& call, const Fields& f) {
  if (!f.flag("confirm")) return usage("Unpairing needs a yes first.");
  return call(request::unpair(f.flag("erase_shared")));
}

ApiResponse post_config_set(Call& call, const Fields& f) {
  const std::string key = f.text("key");
  // The settings a person changes here; others stay with `hearth config`.
  static constexpr std::string_view kKeys[] = {"discovery", "auto-lock", "quiet-hours",
                                               "notify-entries", "prompt-depth"};
  if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
    return usage("That setting cannot be changed here.");
  const std::string value = f.text("value");
  if (value.empty() || value.size() > 64) return usage("Choose a value first.");
  return call(request::config_set(key, value));
}

ApiResponse post_draft_put(Call& call, const Fields& f) {
  return call(request::draft_put(f.text("name"), f.text("text")));
}

ApiResponse post_draft_discard(Call& call, const Fields& f) {
  return call(request::draft_discard(f.text("name")));
}

ApiResponse post_sync_now(Call& call, const Fields&) { return call(request::sync_now()); }

struct Route {
  std::string_view method;
  std::string_view path;
  Handler handler;
};

constexpr Route kRoutes[] = {
    {"GET", "/api/state", get_state},
    {"GET", "/api/overview", get_overview},
    {"GET", "/api/today", get_today},
    {"GET", "/api/reflections", get_reflections},
    {"GET", "/api/reflection", get_reflection},
    {"GET", "/api/boundaries", get_boundaries},
    {"GET", "/api/checkins", get_checkins},
    {"GET", "/api/prompt/today", get_prompt_today},
    {"GET", "/api/prompts", get_prompts},
    {"GET", "/api/prompt", get_prompt},
    {"GET", "/api/decks", get_decks},
    {"GET", "/api/ynm", get_ynm},
    {"GET", "/api/practice", get_practice},
    {"GET", "/api/practices", get_practices},
    {"GET", "/api/log", get_log},
    {"GET", "/api/config", get_config},
    {"GET", "/api/draft", get_draft},
    {"GET", "/api/peers", get_peers},
    {"GET", "/api/sync", get_sync},
    {"POST", "/api/unlock", post_unlock},
    {"POST", "/api/lock", post_lock},
    {"POST", "/api/passphrase", post_passphrase},
    {"POST", "/api/reflect/add", post_reflect_add},
    {"POST", "/api/reflect/edit", post_reflect_edit},
    {"POST", "/api/reflect/share", post_reflect_share},
    {"POST", "/api/reflect/forget", post_reflect_forget},
    {"POST", "/api/archive", post_archive},
    {"POST", "/api/appreciate", post_appreciate},
    {"POST", "/api/boundary/set", post_boundary_set},
    {"POST", "/api/boundary/propose", post_boundary_propose},
    {"POST", "/api/boundary/revise", post_boundary_revise},
    {"POST", "/api/boundary/respond", post_boundary_respond},
    {"POST", "/api/boundary/withdraw", post_boundary_withdraw},
    {"POST", "/api/boundary/drop", post_boundary_drop},
    {"POST", "/api/checkin", post_checkin},
    {"POST", "/api/checkin/share", post_checkin_share},
    {"POST", "/api/checkin/forget", post_checkin_forget},
    {"POST", "/api/checkin/reply", post_checkin_reply},
    {"POST", "/api/pause", post_pause},
    {"POST", "/api/resume", post_resume},
    {"POST", "/api/prompt/answer", post_prompt_answer},
    {"POST", "/api/prompt/pass", post_prompt_pass},
    {"POST", "/api/prompt/reveal", post_prompt_reveal},
    {"POST", "/api/prompt/ask", post_prompt_ask},
    {"POST", "/api/ynm/start", post_ynm_start},
    {"POST", "/api/practice/invite", post_practice_invite},
    {"POST", "/api/practice/join", post_practice_join},
    {"POST", "/api/practice/stop", post_practice_stop},
    {"POST", "/api/pair/join", post_pair_join},
    {"POST", "/api/pair/add", post_pair_add},
    {"POST", "/api/unpair", post_unpair},
    {"POST", "/api/config/set", post_config_set},
    {"POST", "/api/draft/put", post_draft_put},
    {"POST", "/api/draft/discard", post_draft_discard},
    {"POST", "/api/sync/now", post_sync_now},
};

const Route* find_route(std::string_view method, std::string_view path) {
  for (const Route& r : kRoutes)
    if (r.method == method && r.path == path) return &r;
  return nullptr;
}

}  // namespace

ApiResponse error_response(int http_status, std::string_view code, std::string_view message) {
  JsonWriter w(0);
  w.begin_object().key("error").begin_object();
  w.key("code").value(code).key("message").value(message);
  w.end_object().end_object();
  return {http_status, w.finish()};
}

Api::Api(Daemon& daemon, Publish publish) : daemon_(daemon), publish_(std::move(publish)) {}

Api::~Api() { cancel_invite(); }

bool Api::has_route(std::string_view method, std::string_view path) {
  if (method == "POST" && (path == "/api/pair/invite" || path == "/api/pair/cancel")) return true;
  return find_route(method, path) != nullptr;
}

ApiResponse Api::handle(const ApiRequest& request) {
  if (request.params.size() > kMaxFields) return usage("That request has too many fields.");
  for (const auto& [k, v] : request.params) {
    if (k.size() > 64) return usage("That request has a field Hearth does not know.");
    if (v.size() > kMaxFieldBytes)
      return error_response(413, "usage",
                            "That is longer than Hearth keeps in one piece (64 KiB). "
                            "Nothing was saved; your words are still on the page.");
  }
  if (request.method == "POST" && request.path == "/api/pair/invite") return pair_invite(request);
  if (request.method == "POST" && request.path == "/api/pair/cancel") {
    cancel_invite();
    return {200, "{\"ok\":true}\n"};
  }
  const Route* route = find_route(request.method, request.path);
  if (!route) return error_response(404, "not_found", "There is nothing here.");
  Call call(daemon_);
  return route->handler(call, Fields(request.params));
}

void Api::cancel_invite() {
  std::thread old;
  {
    std::lock_guard lock(invite_mu_);
    if (invite_cancel_) invite_cancel_->store(true);
    old = std::move(invite_thread_);
  }
  if (old.joinable()) old.join();
}

// The invite runs as long as the person waits for their partner: its control
// stream stays open on a thread of its own, and what it answers after the
// code (another try, paired, ended) reaches open pages as "pairing" events.
ApiResponse Api::pair_invite(const ApiRequest& request) {
  cancel_invite();
  const bool send_earlier = Fields(request.params).flag("send_earlier");
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto first = std::make_shared<std::promise<ApiResponse>>();
  std::future<ApiResponse> answer = first->get_future();
  std::unique_lock lock(invite_mu_);
  invite_cancel_ = cancel;
  invite_thread_ = std::thread([this, cancel, first, send_earlier] {
    bool answered = false;
    auto reply_first = [&](ApiResponse r) {
      if (!answered) first->set_value(std::move(r));
      answered = true;
    };
    Status st = daemon_.stream_with_idle(
        request::pair_invite(send_earlier), 250,
        [&](Reply&& reply) {
          if (const auto* e = std::get_if<DaemonError>(&reply)) {
            if (answered) publish_("pairing", error_of(*e).body);
            reply_first(error_of(*e));
            return false;
          }
          const std::string doc = json_document(reply, 0);
          if (!answered) {
            reply_first({200, doc});
          } else {
            publish_("pairing", doc);
          }
          return !std::holds_alternative<PairedInfo>(reply);
        },
        [&] { return !cancel->load(); });
    if (!st.is_ok()) {
      if (answered) publish_("pairing", error_of(st).body);
      reply_first(error_of(st));
    }
    reply_first(error_response(409, "refused", "The invite ended."));
  });
  lock.unlock();
  return answer.get();
}

}  // namespace hearth::client::ui
