#include "client/commands.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/export.h"
#include "client/export_html.h"
#include "client/text.h"
#include "client_fixtures.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"
#include "crypto/pairing_words.h"
#include "schema/control.capnp.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;
using nlohmann::json;
namespace ctl = hearth::control;

namespace {

std::string str(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

Reflection mine_shared() {
  Reflection r;
  r.id = id_bytes(0xa1);
  r.mine = true;
  r.shared = true;
  r.created_at = kNow;
  r.updated_at = kNow;
  r.text = "I noticed I was calmer today.\nSecond line.";
  r.feelings = {"calm", "hopeful"};
  r.partner_has_it = true;
  return r;
}

Reflection partners() {
  Reflection r;
  r.id = id_bytes(0xb2);
  r.mine = false;
  r.shared = true;
  r.created_at = kNow - 86'400'000;
  r.updated_at = kNow - 86'400'000;
  r.text = "Thank you for listening \x1b[2J";
  r.reply_to = id_bytes(0xa1);
  r.prompt_id = "evening-1";
  return r;
}

Boundary renegotiating() {
  Boundary b;
  b.id = Bytes(32, 0xc3);
  b.status = "renegotiating";
  b.text = "No calls after 21:00.";
  b.in_force_text = "No calls after 22:00.";
  b.category = "evenings";
  b.created_at = kNow - 3 * 86'400'000;
  b.proposed_by_me = true;
  Revision r1;
  r1.number = 1;
  r1.id = Bytes(32, 0x01);
  r1.text = "No calls after 22:00.";
  r1.mine = true;
  r1.at = b.created_at;
  r1.my_response = "agree";
  r1.partner_response = "agree";
  Revision r2;
  r2.number = 2;
  r2.id = Bytes(32, 0x02);
  r2.text = "No calls after 21:00.";
  r2.mine = false;
  r2.at = kNow;
  r2.partner_response = "agree";
  b.revisions = {r1, r2};
  return b;
}

StatusInfo status_paused_by_partner() {
  StatusInfo s;
  s.device_id = "MFRGGZD-FMZTWQ2-LK5DHMG-Q3TEMRX-HA4DSMR-ZGA2TGN-BVGQ3TE-ABCDXYZ";
  s.name = "Alex";
  s.partner_pause.active = true;
  s.partner_pause.mine = false;
  s.partner_pause.started_at = kNow;
  s.partner_pause.until = kNow + 30 * 60'000;
  s.partner_pause.minutes = 30;
  s.partner_pause.note = "need some air";
  s.partner.paired = true;
  s.partner.name = "Sam";
  s.partner.device_id = "NBSWY3D-PEB3XI4-DSNFSGK-4ZLPNRS-WY3DPEB-3XI4DSN-FSGK4ZL-PNRSWY3";
  s.partner.connection = "connected";
  s.reflections = 5;
  s.boundaries = 2;
  s.check_ins = 1;
  s.sync.my_shared_events = 12;
  s.sync.partner_has_mine = 12;
  s.sync.caught_up = true;
  return s;
}

}  // namespace

TEST_CASE("reflect list --json prints every field of each reflection") {
  Harness h(true);
  h.daemon.answer(std::vector<Reflection>{mine_shared(), partners()});
  CHECK(run_reflect_list(h.ctx, ListOptions{20}) == kExitOk);

  auto reader = parse_request(h.daemon.requests.at(0));
  CHECK(reader.root<ctl::Request>().getReflectList().getLimit() == 20);

  json doc = json::parse(h.out.str());
  REQUIRE(doc["reflections"].size() == 2);
  json first = doc["reflections"][0];
  CHECK(first["id"] == to_hex(id_bytes(0xa1)));
  CHECK(first["author"] == "me");
  CHECK(first["created_at"] == "2026-11-24T16:32:00.123Z");
  CHECK(first["shared"] == true);
  CHECK(first["text"] == "I noticed I was calmer today.\nSecond line.");
  CHECK(first["feelings"] == json({"calm", "hopeful"}));
  CHECK(first["partner_has_it"] == true);
  CHECK(first["reply_to"].is_null());
  CHECK(first["prompt_id"].is_null());
  CHECK_FALSE(first.contains("history"));

  json second = doc["reflections"][1];
  CHECK(second["author"] == "partner");
  CHECK_FALSE(second.contains("partner_has_it"));
  CHECK(second["reply_to"] == to_hex(id_bytes(0xa1)));
  CHECK(second["prompt_id"] == "evening-1");
  CHECK(second["text"] == "Thank you for listening \x1b[2J");
  CHECK(h.err.str().empty());
}

TEST_CASE("reflect list for people shows id, author, marker, text and feelings") {
  Harness h;
  h.daemon.answer(std::vector<Reflection>{mine_shared(), partners()});
  CHECK(run_reflect_list(h.ctx, ListOptions{2}) == kExitOk);
  const std::string out = h.out.str();
  CHECK(contains(out, "a1a1a1a1  you · "));
  CHECK(contains(out, "shared · your partner's device has it"));
  CHECK(contains(out, "    I noticed I was calmer today.\n    Second line.\n"));
  CHECK(contains(out, "Feelings: calm, hopeful"));
  CHECK(contains(out, "b2b2b2b2  your partner · "));
  CHECK(contains(out, "In reply to a1a1a1a1 · Prompt: evening-1\n"));
  CHECK_FALSE(contains(out, "\x1b"));  // no escape sequence reaches the terminal
  CHECK(contains(out, "`hearth reflect list --limit 0` shows all"));
  CHECK_FALSE(contains(out, "!"));
}

TEST_CASE("short ids of time-ordered entry ids are their random end") {
  // 16-byte entry ids start with 6 bytes of creation time (crypto/entity_id.h).
  Bytes entry = {0x01, 0x9a, 0x3c, 0x4e, 0x5f, 0x60, 0xa1, 0xb2, 0, 0, 0, 0, 0xc3, 0xd4, 0xe5, 0xf6};
  CHECK(short_id(entry) == "c3d4e5f6");
  CHECK(short_id(Bytes(32, 0xee)) == "eeeeeeee");
  CHECK(short_id(Bytes{0x12, 0x34}) == "1234");
}

TEST_CASE("an empty list is said calmly") {
  Harness h;
  h.daemon.answer(std::vector<CheckIn>{});
  CHECK(run_checkin_list(h.ctx, ListOptions{20}) == kExitOk);
  CHECK(h.out.str() == "No check-ins yet.\n");
}

TEST_CASE("daemon errors become exit codes, and JSON error documents with --json") {
  struct Case {
    DaemonErrorCode code;
    const char* name;
    int exit;
  };
  for (Case c :
       {Case{DaemonErrorCode::kUsage, "usage", 1}, Case{DaemonErrorCode::kLocked, "locked", 2},
        Case{DaemonErrorCode::kRefused, "refused", 3},
        Case{DaemonErrorCode::kNotFound, "not_found", 3},
        Case{DaemonErrorCode::kInternal, "internal", 4}}) {
    CAPTURE(c.name);
    Harness h(true);
    h.daemon.answer(DaemonError{c.code, "a calm sentence"});
    CHECK(run_status(h.ctx) == c.exit);
    json doc = json::parse(h.out.str());
    CHECK(doc["error"]["code"] == c.name);
    CHECK(doc["error"]["message"] == "a calm sentence");
    // People read a sentence; the JSON document keeps the message as it came.
    CHECK(h.err.str() == (c.exit == 4 ? "Something went wrong: a calm sentence.\n"
                                      : "A calm sentence.\n"));
  }
}

TEST_CASE("error lines start with a capital and end with a full stop, program names aside") {
  struct Case {
    const char* message;
    const char* line;
  };
  for (Case c : {Case{"give the code", "Give the code.\n"},
                 Case{"Nothing was saved.", "Nothing was saved.\n"},
                 Case{"is it?", "Is it?\n"},
                 Case{"hearthd is not running", "hearthd is not running.\n"},
                 Case{"`hearth unlock` first", "`hearth unlock` first.\n"}}) {
    CAPTURE(c.message);
    Harness h;
    CHECK(fail(h.ctx, Status::refused(c.message)) == kExitRefused);
    CHECK(h.err.str() == c.line);
  }
}

TEST_CASE("a daemon that is not running exits 2 and says how to start it") {
  Harness h;
  h.daemon.fail_with(Status::unavailable(not_running_message("/home/a/.local/share/hearth")));
  CHECK(run_boundary_list(h.ctx, ListOptions{20}) == kExitUnavailable);
  CHECK(h.out.str().empty());
  CHECK(contains(h.err.str(),
                 "hearthd is not running — start it with `hearthd --home "
                 "/home/a/.local/share/hearth &` or `systemctl --user start "
                 "hearthd`"));
}

TEST_CASE("an answer of the wrong kind is an internal error") {
  Harness h(true);
  h.daemon.answer(Ok{});
  CHECK(run_reflect_list(h.ctx, ListOptions{20}) == kExitInternal);
  CHECK(json::parse(h.out.str())["error"]["code"] == "internal");
}

TEST_CASE("status shows the partner's active pause first, by their name") {
  Harness h;
  h.daemon.answer(status_paused_by_partner());
  CHECK(run_status(h.ctx) == kExitOk);
  const std::string out = h.out.str();
  CHECK(out.rfind("Sam is pausing until ", 0) == 0);
  CHECK(contains(out.substr(0, out.find('\n')), "— 'need some air'"));
  CHECK(contains(out, "Partner   Sam, NBSWY3D"));
  CHECK(contains(out, "connected"));
  CHECK(contains(out, "your partner's device has 12 of your 12 shared entries"));
  CHECK(contains(out, "5 reflections, 2 boundaries, 1 check-in"));
}

TEST_CASE("status --json carries device, both pauses, partner, sync and counts") {
  Harness h(true);
  h.daemon.answer(status_paused_by_partner());
  CHECK(run_status(h.ctx) == kExitOk);
  json doc = json::parse(h.out.str());
  CHECK(doc["device_id"] == status_paused_by_partner().device_id);
  CHECK(doc["name"] == "Alex");
  CHECK(doc["locked"] == false);
  CHECK(doc["partner_pause"]["active"] == true);
  CHECK(doc["partner_pause"]["set_by"] == "partner");
  CHECK(doc["partner_pause"]["note"] == "need some air");
  CHECK(doc["partner_pause"]["minutes"] == 30);
  CHECK(doc["partner_pause"]["until"] == "2026-11-24T17:02:00.123Z");
  CHECK(doc["my_pause"]["active"] == false);
  CHECK(doc["waiting"] == 0);
  CHECK(doc["partner"]["paired"] == true);
  CHECK(doc["partner"]["connection"] == "connected");
  CHECK(doc["sync"]["my_shared_events"] == 12);
  CHECK(doc["sync"]["caught_up"] == true);
  CHECK(doc["counts"]["reflections"] == 5);
  CHECK(doc["counts"]["checkins"] == 1);
}

TEST_CASE("reflect add sends the text, feelings and sharing, and prints the reflection") {
  Harness h(true);
  Reflection written = mine_shared();
  h.daemon.answer(written);
  ReflectAddOptions o;
  o.text = "  I felt calm today  ";
  o.share = true;
  o.feelings = {"calm", " tired "};
  o.reply_to = "B2B2B2B2";
  CHECK(run_reflect_add(h.ctx, o) == kExitOk);

  auto reader = parse_request(h.daemon.requests.at(0));
  auto add = reader.root<ctl::Request>().getReflectAdd();
  CHECK(str(add.getText()) == "I felt calm today");
  CHECK(add.getShare());
  REQUIRE(add.getFeelings().size() == 2);
  CHECK(str(add.getFeelings()[1]) == "tired");
  CHECK(str(add.getReplyToPrefix()) == "b2b2b2b2");

  json doc = json::parse(h.out.str());
  CHECK(doc["reflection"]["id"] == to_hex(written.id));
}

TEST_CASE("reflect add with nothing written saves nothing") {
  Harness h;
  ReflectAddOptions o;
  o.text = "   \n ";
  CHECK(run_reflect_add(h.ctx, o) == kExitUsage);
  CHECK(h.daemon.requests.empty());
  CHECK(contains(h.err.str(), "Nothing was written, so nothing was saved."));
}

TEST_CASE("reflect add without text and without a terminal or editor asks for text") {
  Harness h;
  ScopedEnv visual("VISUAL", nullptr);
  ScopedEnv editor("EDITOR", nullptr);
  CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUsage);
  CHECK(h.daemon.requests.empty());
}

TEST_CASE("forgetting without --yes needs a terminal and contacts nobody") {
  Harness h(true);
  CHECK(run_reflect_forget(h.ctx, ReflectTargetOptions{"a1a1a1a1", false}) == kExitUsage);
  CHECK(h.daemon.requests.empty());
  CHECK(json::parse(h.out.str())["error"]["code"] == "usage");

  Harness yes(true);
  yes.daemon.answer(Ok{});
  CHECK(run_reflect_forget(yes.ctx, ReflectTargetOptions{"a1a1a1a1", true}) == kExitOk);
  auto reader = parse_request(yes.daemon.requests.at(0));
  CHECK(str(reader.root<ctl::Request>().getReflectForget().getIdPrefix()) == "a1a1a1a1");
  CHECK(json::parse(yes.out.str())["ok"] == true);
}

TEST_CASE("unpair without --yes and without a terminal is refused before anything happens") {
  Harness h;
  CHECK(run_unpair(h.ctx, UnpairOptions{true, false}) == kExitUsage);
  CHECK(h.daemon.requests.empty());
}

TEST_CASE("pause lasts 30 minutes unless told otherwise, and refuses 5 minutes") {
  Harness h;
  h.daemon.answer(Ok{});
  CHECK(run_pause(h.ctx, PauseOptions{"", "", "a walk"}) == kExitOk);
  auto reader = parse_request(h.daemon.requests.at(0));
  CHECK(reader.root<ctl::Request>().getPause().getMinutes() == 30);
  CHECK(contains(h.out.str(), "(30 minutes)"));

  Harness bad;
  CHECK(run_pause(bad.ctx, PauseOptions{"5m", "", ""}) == kExitUsage);
  CHECK(bad.daemon.requests.empty());

  Harness longer;
  longer.daemon.answer(Ok{});
  CHECK(run_pause(longer.ctx, PauseOptions{"1h30m", "", ""}) == kExitOk);
  auto r2 = parse_request(longer.daemon.requests.at(0));
  CHECK(r2.root<ctl::Request>().getPause().getMinutes() == 90);
}

TEST_CASE("boundary list shows the status, who proposed, the text in force and revisions") {
  Harness h;
  h.daemon.answer(std::vector<Boundary>{renegotiating()});
  CHECK(run_boundary_list(h.ctx, ListOptions{20}) == kExitOk);
  const std::string out = h.out.str();
  CHECK(contains(out, "c3c3c3c3  agreement · renegotiating · proposed by you"));
  CHECK(contains(out, "In force: No calls after 22:00."));
  CHECK(contains(out, "Proposed change: No calls after 21:00."));
  CHECK(contains(out, "1. you, "));
  CHECK(contains(out, "2. your partner, "));
  CHECK(contains(out, "hearth boundary agree|decline|discuss c3c3c3c3"));

  Harness j(true);
  j.daemon.answer(std::vector<Boundary>{renegotiating()});
  CHECK(run_boundary_list(j.ctx, ListOptions{20}) == kExitOk);
  json b = json::parse(j.out.str())["boundaries"][0];
  CHECK(b["status"] == "renegotiating");
  CHECK(b["author"] == "me");
  CHECK(b["in_force_text"] == "No calls after 22:00.");
  CHECK(b["category"] == "evenings");
  REQUIRE(b["revisions"].size() == 2);
  CHECK(b["revisions"][1]["author"] == "partner");
  CHECK(b["revisions"][1]["my_response"].is_null());
  CHECK(b["revisions"][1]["partner_response"] == "agree");
  CHECK(b["revisions"][0]["id"] == to_hex(Bytes(32, 0x01)));
}

TEST_CASE("boundary withdraw sends a withdrawal with its note") {
  Harness h;
  h.daemon.answer(Ok{});
  CHECK(run_boundary_respond(h.ctx, BoundaryRespondOptions{BoundaryAction::kLeave, "c3c3",
                                                           "let's rethink", ""}) == kExitOk);
  auto reader = parse_request(h.daemon.requests.at(0));
  auto w = reader.root<ctl::Request>().getBoundaryWithdraw();
  CHECK(str(w.getIdPrefix()) == "c3c3");
  CHECK(str(w.getNote()) == "let's rethink");
  CHECK(contains(h.out.str(), "no longer in force"));
}

TEST_CASE("check-in needs a capacity without a terminal") {
  Harness h;
  CHECK(run_checkin(h.ctx, CheckInOptions{}) == kExitUsage);
  CHECK(h.daemon.requests.empty());

  Harness ok(true);
  CheckIn c;
  c.id = id_bytes(0xd4);
  c.mine = true;
  c.at = kNow;
  c.capacity = "red";
  c.need = "space";
  ok.daemon.answer(c);
  CHECK(run_checkin(ok.ctx, CheckInOptions{"red", {"overwhelmed"}, "space", false}) == kExitOk);
  json doc = json::parse(ok.out.str())["checkin"];
  CHECK(doc["capacity"] == "red");
  CHECK(doc["need"] == "space");
  CHECK(doc["author"] == "me");
  CHECK(doc["created_at"] == "2026-11-24T16:32:00.123Z");
}

TEST_CASE("watch prints each update as one JSON line, the pause first") {
  Harness h(true);
  Update pause;
  pause.kind = Update::Kind::kPause;
  pause.pause.active = true;
  pause.pause.until = kNow + 60'000 * 20;
  Update forgotten;
  forgotten.kind = Update::Kind::kForgotten;
  forgotten.forgotten = id_bytes(0xb2);
  h.daemon.answer(pause);
  h.daemon.answer(forgotten);
  h.daemon.answer(DaemonError{DaemonErrorCode::kLocked, "locked again"});
  CHECK(run_watch(h.ctx) == kExitUnavailable);
  std::istringstream lines(h.out.str());
  std::string line;
  std::vector<json> docs;
  while (std::getline(lines, line)) docs.push_back(json::parse(line));
  REQUIRE(docs.size() == 3);
  CHECK(docs[0]["update"] == "pause");
  CHECK(docs[0]["pause"]["active"] == true);
  CHECK(docs[1]["update"] == "forgotten");
  CHECK(docs[1]["forgotten"]["id"] == to_hex(id_bytes(0xb2)));
  CHECK(docs[2]["error"]["code"] == "locked");
}

TEST_CASE("pair invite prints the code alone on its first line, then waits for the pairing") {
  Harness h;
  h.daemon.fail_with(Status::unavailable("no status"));  // the port lookup may fail quietly
  h.daemon.answer(InviteInfo{"maple-otter-river", kNow + 600'000});
  h.daemon.answer(PairedInfo{"NBSWY3D-PEB3XI4", "Sam", "quiet harbour lantern"});
  CHECK(run_pair_invite(h.ctx, PairInviteOptions{}) == kExitOk);
  const std::string out = h.out.str();
  CHECK(out.substr(0, out.find('\n')) == "maple-otter-river");
  // The instructions keep the code off the partner's command line.
  CHECK(contains(out, "  hearth pair join\nand type the code when it asks."));
  // Without the same network, the address is the way.
  CHECK(contains(out, "add --address HOST:PORT"));
  CHECK(contains(out, "Paired with Sam (NBSWY3D-PEB3XI4)."));
  CHECK(contains(out, "Confirmation: quiet harbour lantern"));
}

TEST_CASE("pair invite says when a wrong code was tried, and fails when the invite ends") {
  Harness h;
  h.daemon.fail_with(Status::unavailable("no status"));
  h.daemon.answer(InviteInfo{"maple-otter-river", kNow + 600'000, 3});
  h.daemon.answer(InviteInfo{"maple-otter-river", kNow + 600'000, 2});
  h.daemon.answer(DaemonError{DaemonErrorCode::kRefused, "the code was tried 3 times"});
  CHECK(run_pair_invite(h.ctx, PairInviteOptions{}) == kExitRefused);
  const std::string out = h.out.str();
  CHECK(out.substr(0, out.find('\n')) == "maple-otter-river");
  CHECK(contains(out, "Someone tried a code that does not match. 2 attempts left."));
  CHECK(contains(h.err.str(), "The code was tried 3 times."));
}

TEST_CASE("pair invite shows each attempt and each joiner turned away at once") {
  Harness h;
  h.daemon.fail_with(Status::unavailable("no status"));
  h.daemon.answer(InviteInfo{"maple-otter-river", kNow + 600'000, 3});
  h.daemon.answer(InviteInfo{"maple-otter-river", kNow + 600'000, 3,
                             "a device at 192.0.2.7 is trying the code (attempt 1 of 3)"});
  h.daemon.answer(InviteInfo{"maple-otter-river", kNow + 600'000, 3,
                             "turned away a device at 192.0.2.8 without using an attempt: "
                             "another device's attempt was under way"});
  h.daemon.answer(PairedInfo{"NBSWY3D-PEB3XI4", "Sam", "quiet harbour lantern"});
  CHECK(run_pair_invite(h.ctx, PairInviteOptions{}) == kExitOk);
  const std::string out = h.out.str();
  CHECK(contains(out, "\nA device at 192.0.2.7 is trying the code (attempt 1 of 3).\n"));
  CHECK(contains(out,
                 "\nTurned away a device at 192.0.2.8 without using an attempt: another "
                 "device's attempt was under way.\n"));
  CHECK_FALSE(contains(out, "Someone tried a code that does not match"));
}

TEST_CASE("pair add refuses a mistyped device ID before asking the daemon") {
  Harness h;
  CHECK(run_pair_add(h.ctx, PairAddOptions{"MFRGGZD-FMZTWQ2", "", {}}) == kExitUsage);
  CHECK(h.daemon.requests.empty());
}

TEST_CASE("id prints the device ID from the key file, without a daemon") {
  Harness h;
  auto keys = crypto::KeyMaterial::generate();
  REQUIRE(crypto::write_key_file(h.ctx.paths.keys(), keys, nullptr).is_ok());
  CHECK(run_id(h.ctx) == kExitOk);
  CHECK(h.out.str() == keys.identity.device_id() + "\n");
  CHECK(h.daemon.requests.empty());

  Harness j(true);
  REQUIRE(crypto::write_key_file(j.ctx.paths.keys(), keys, nullptr).is_ok());
  CHECK(run_id(j.ctx) == kExitOk);
  CHECK(json::parse(j.out.str())["device_id"] == keys.identity.device_id());

  Harness none;
  CHECK(run_id(none.ctx) == kExitRefused);
  CHECK(contains(none.err.str(), "hearth init"));
}

TEST_CASE("init refuses a home that already has keys, and needs a passphrase choice") {
  Harness h;
  REQUIRE(
      crypto::write_key_file(h.ctx.paths.keys(), crypto::KeyMaterial::generate(), nullptr).is_ok());
  CHECK(run_init(h.ctx, InitOptions{"Alex", true, ""}) == kExitRefused);

  Harness fresh;
  CHECK(run_init(fresh.ctx, InitOptions{"Alex", false, ""}) == kExitUsage);
  CHECK(contains(fresh.err.str(), "--passphrase-file"));

  Harness empty_file;
  const std::string pw = empty_file.home.path() + "/pw";
  std::ofstream(pw) << "\n";
  CHECK(run_init(empty_file.ctx, InitOptions{"", false, pw}) == kExitUsage);
}

TEST_CASE("export writes a private file, warns that it is plaintext, and never overwrites") {
  Harness h;
  auto queue = [](FakeDaemon& d) {
    d.answer(status_paused_by_partner());
    Reflection r = mine_shared();
    r.history = {Version{kNow - 1000, "draft", {}, false}, Version{kNow, r.text, {}, true}};
    // Check-ins, then the archived ones, then boundaries; then the
    // reflections, a page at a time (a short page is the last).
    d.answer(std::vector<CheckIn>{});
    d.answer(std::vector<CheckIn>{});
    d.answer(std::vector<Boundary>{renegotiating()});
    d.answer(std::vector<Reflection>{r, partners()});
  };
  queue(h.daemon);
  const std::string path = h.home.path() + "/export.md";
  CHECK(run_export(h.ctx, ExportOptions{"markdown", path, false, "", false}) == kExitOk);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(contains(text.str(), "I noticed I was calmer today."));
  CHECK(contains(text.str(), "No calls after 21:00."));
  CHECK(contains(h.err.str(), "plaintext"));

  auto reader = parse_request(h.daemon.requests.at(4));
  CHECK(reader.root<ctl::Request>().getReflectList().getLimit() == 0);
  CHECK(reader.root<ctl::Request>().getReflectList().getWithHistory());
  CHECK(reader.root<ctl::Request>().getReflectList().hasPage());

  Harness again;
  CHECK(run_export(again.ctx, ExportOptions{"markdown", path, false, "", false}) == kExitRefused);
  CHECK(again.daemon.requests.empty());

  Harness forced;
  queue(forced.daemon);
  CHECK(run_export(forced.ctx, ExportOptions{"json", path, true, "", false}) == kExitOk);
  std::ifstream in2(path);
  json doc = json::parse(in2);
  CHECK(doc["hearth_export"] == 1);
  REQUIRE(doc["reflections"].size() == 2);
  // Oldest first: the partner's reflection is a day older.
  CHECK(doc["reflections"][0]["author"] == "partner");
  CHECK(doc["reflections"][1]["history"].size() == 2);
  CHECK(doc["boundaries"][0]["status"] == "renegotiating");
  CHECK(doc["checkins"].empty());
}

TEST_CASE("sync --wait polls until caught up") {
  Harness h(true);
  SyncInfo behind;
  behind.my_shared_events = 3;
  behind.partner_has_mine = 1;
  SyncInfo done = behind;
  done.partner_has_mine = 3;
  done.caught_up = true;
  h.daemon.answer(behind);
  h.daemon.answer(done);
  CHECK(run_sync(h.ctx, SyncOptions{true}) == kExitOk);
  CHECK(h.daemon.requests.size() == 2);
  json doc = json::parse(h.out.str());
  CHECK(doc["sync"]["caught_up"] == true);
  CHECK(doc["sync"]["partner_has_mine"] == 3);
}

TEST_CASE("sync asks the daemon to dial first, and its progress line says what it waits for") {
  Harness h;
  h.ctx.term.stdout_tty = true;  // the progress line shows on a terminal only
  SyncInfo offline;
  offline.my_shared_events = 3;
  offline.partner_has_mine = 1;
  offline.connection = "offline";
  SyncInfo connected = offline;
  connected.connection = "connected";
  connected.partner_has_mine = 2;
  SyncInfo done = connected;
  done.partner_has_mine = 3;
  done.caught_up = true;
  h.daemon.answer(offline);
  h.daemon.answer(connected);
  h.daemon.answer(done);
  CHECK(run_sync(h.ctx, SyncOptions{true}) == kExitOk);
  REQUIRE(h.daemon.requests.size() == 3);
  CHECK(parse_request(h.daemon.requests[0]).root<ctl::Request>().which() ==
        ctl::Request::SYNC_NOW);
  CHECK(parse_request(h.daemon.requests[1]).root<ctl::Request>().which() ==
        ctl::Request::SYNC_PROGRESS);
  const std::string out = h.out.str();
  CHECK(contains(out, "\rWaiting for your partner's device: 1 of 3 sent"));
  CHECK(contains(out, "\rSyncing: 2 of 3 sent"));
  CHECK(contains(out, "Everything is up to date."));
}

TEST_CASE("pair join checks the code and the address before asking the daemon") {
  Harness h;
  CHECK(run_pair_join(h.ctx, PairJoinOptions{"12345", "10.0.0.2:7420", {}}) == kExitUsage);
  CHECK(run_pair_join(h.ctx, PairJoinOptions{crypto::make_pairing_code(), "::1", {}}) == kExitUsage);
  CHECK(h.daemon.requests.empty());

  Harness ok(true);
  const std::string code = crypto::make_pairing_code();
  std::string typed = code;
  for (auto& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::toupper(c));
  ok.daemon.answer(PairedInfo{"NBSWY3D", "Sam", "four calm words here"});
  CHECK(run_pair_join(ok.ctx, PairJoinOptions{typed, "10.0.0.2", {}}) == kExitOk);
  auto reader = parse_request(ok.daemon.requests.at(0));
  auto join = reader.root<ctl::Request>().getPairJoin();
  CHECK(str(join.getCode()) == code);
  CHECK(str(join.getAddress()) == "10.0.0.2:7420");
  CHECK(json::parse(ok.out.str())["paired"]["confirmation"] == "four calm words here");
}

namespace {

// Stdin reads `input` for a scope (then EOF).
class ScopedStdin {
 public:
  explicit ScopedStdin(const std::string& input) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(fds[1]);
    saved_ = ::dup(STDIN_FILENO);
    ::dup2(fds[0], STDIN_FILENO);
    ::close(fds[0]);
  }
  ~ScopedStdin() {
    ::dup2(saved_, STDIN_FILENO);
    ::close(saved_);
  }
  ScopedStdin(const ScopedStdin&) = delete;
  ScopedStdin& operator=(const ScopedStdin&) = delete;

 private:
  int saved_ = -1;
};

// std::cerr, where terminal prompts go, captured for a scope.
class CapturedCerr {
 public:
  CapturedCerr() : old_(std::cerr.rdbuf(text_.rdbuf())) {}
  ~CapturedCerr() { std::cerr.rdbuf(old_); }
  CapturedCerr(const CapturedCerr&) = delete;
  CapturedCerr& operator=(const CapturedCerr&) = delete;
  std::string str() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::streambuf* old_;
};

}  // namespace

TEST_CASE("pair join without a code reads it as a line, off the command line") {
  const std::string code = crypto::make_pairing_code();
  SUBCASE("from a terminal, asking for it") {
    Harness h;
    h.ctx.term.stdin_tty = true;
    ScopedStdin in(code + "\n");
    CapturedCerr prompt;
    h.daemon.answer(PairedInfo{"NBSWY3D", "Sam", "four calm words here"});
    CHECK(run_pair_join(h.ctx, PairJoinOptions{"", "10.0.0.2", {}}) == kExitOk);
    CHECK(prompt.str() == "The code your partner's screen shows: ");
    auto reader = parse_request(h.daemon.requests.at(0));
    CHECK(str(reader.root<ctl::Request>().getPairJoin().getCode()) == code);
  }
  SUBCASE("from a pipe, silently") {
    Harness h;
    ScopedStdin in(code + "\n");
    CapturedCerr prompt;
    h.daemon.answer(PairedInfo{"NBSWY3D", "Sam", "four calm words here"});
    CHECK(run_pair_join(h.ctx, PairJoinOptions{"", "10.0.0.2", {}}) == kExitOk);
    CHECK(prompt.str().empty());
    auto reader = parse_request(h.daemon.requests.at(0));
    CHECK(str(reader.root<ctl::Request>().getPairJoin().getCode()) == code);
  }
  SUBCASE("nothing given") {
    Harness h;
    ScopedStdin in("");
    CHECK(run_pair_join(h.ctx, PairJoinOptions{"", "10.0.0.2", {}}) == kExitUsage);
    CHECK(contains(h.err.str(), "Give the code your partner's screen shows."));
    CHECK(h.daemon.requests.empty());
  }
}

TEST_CASE("unpair's question says what stays on the partner's device and on this one") {
  for (bool erase : {false, true}) {
    CAPTURE(erase);
    Harness h;
    h.ctx.term.stdin_tty = true;
    ScopedStdin in("n\n");
    CapturedCerr question;
    CHECK(run_unpair(h.ctx, UnpairOptions{erase, false}) == kExitOk);
    const std::string asked = question.str();
    CHECK(contains(asked, "Their device keeps everything you shared with it until now"));
    if (erase) {
      CHECK(contains(asked,
                     "Every shared entry on this device, yours and theirs, is erased too; "
                     "your private entries stay."));
      CHECK(contains(asked, "Unpair and erase? [y/N] "));
    } else {
      CHECK(contains(asked, "your partner's shared entries too.\nUnpair? [y/N] "));
    }
    CHECK(contains(h.err.str(), "Nothing was changed."));
    CHECK(h.daemon.requests.empty());
  }
}

TEST_CASE("status while the daemon is locked shows the whole status and exits 2") {
  StatusInfo locked;
  locked.device_id = "MFRGGZD-FMZTWQ2-LK5DHMG-Q3TEMRX-HA4DSMR-ZGA2TGN-BVGQ3TE-ABCDXYZ";
  locked.locked = true;

  Harness h;
  h.daemon.answer(locked);
  CHECK(run_status(h.ctx) == kExitUnavailable);
  CHECK(contains(h.out.str(), "Device    MFRGGZD"));
  CHECK(contains(h.out.str(), "locked — run `hearth unlock`"));
  CHECK(h.err.str().empty());

  Harness j(true);
  j.daemon.answer(locked);
  CHECK(run_status(j.ctx) == kExitUnavailable);
  json doc = json::parse(j.out.str());  // the status document, not an error
  CHECK(doc["locked"] == true);
  CHECK(doc["device_id"] == locked.device_id);
  CHECK_FALSE(doc.contains("error"));

  Harness open;
  open.daemon.answer(status_paused_by_partner());
  CHECK(run_status(open.ctx) == kExitOk);
}

TEST_CASE("rebuild asks the daemon to rebuild its views and says nothing was lost") {
  Harness h;
  h.daemon.answer(Ok{});
  CHECK(run_rebuild(h.ctx) == kExitOk);
  REQUIRE(h.daemon.requests.size() == 1);
  auto reader = parse_request(h.daemon.requests.at(0));
  CHECK(reader.root<ctl::Request>().isRebuildViews());
  CHECK(contains(h.out.str(), "Rebuilt the derived tables from the event log. Nothing was lost"));

  Harness j(true);
  j.daemon.answer(Ok{});
  CHECK(run_rebuild(j.ctx) == kExitOk);
  CHECK(json::parse(j.out.str())["ok"] == true);

  Harness locked(true);
  locked.daemon.answer(DaemonError{DaemonErrorCode::kLocked, "hearthd is locked"});
  CHECK(run_rebuild(locked.ctx) == kExitUnavailable);
  CHECK(json::parse(locked.out.str())["error"]["code"] == "locked");
}

TEST_CASE("boundary revise says an agreed version stays in force only when there is one") {
  Harness renegotiated;
  renegotiated.daemon.answer(renegotiating());
  CHECK(run_boundary_revise(renegotiated.ctx, BoundaryReviseOptions{"c3c3", "New words."}) ==
        kExitOk);
  CHECK(contains(renegotiated.out.str(), "the version you both agreed on stays in force"));

  // Declined before, never agreed: the revision is simply proposed.
  Boundary never_agreed = renegotiating();
  never_agreed.status = "proposed";
  never_agreed.in_force_text.clear();
  never_agreed.revisions[0].partner_response = "decline";
  Harness h;
  h.daemon.answer(never_agreed);
  CHECK(run_boundary_revise(h.ctx, BoundaryReviseOptions{"c3c3", "New words."}) == kExitOk);
  CHECK_FALSE(contains(h.out.str(), "agreed on"));
  CHECK(contains(h.out.str(), "It is in force once your partner agrees to it."));
}

TEST_CASE("the markdown export carries the notes left on each revision") {
  ExportData data;
  Boundary b = renegotiating();
  b.revisions[0].partner_note = "works for me";
  b.revisions[1].my_response = "discuss";
  b.revisions[1].my_note = "let's talk first";
  data.boundaries = {b};
  const std::string md = export_markdown(data, kNow);
  CHECK(contains(md, "1. you, "));
  CHECK(contains(md, "your partner: agreed ('works for me')"));
  CHECK(contains(md, "you: asked to talk it over ('let's talk first')"));
  nlohmann::json doc = json::parse(export_json(data, kNow));
  CHECK(doc["boundaries"][0]["revisions"][0]["partner_note"] == "works for me");
  CHECK(doc["boundaries"][0]["revisions"][1]["my_note"] == "let's talk first");
}

TEST_CASE("an export written a page at a time is the document written at once") {
  ExportData data;
  data.status = status_paused_by_partner();
  Reflection older = partners();
  Reflection newer = mine_shared();
  newer.history = {Version{kNow - 1000, "draft", {}, false}, Version{kNow, newer.text, {}, true}};
  data.reflections = {older, newer};
  data.boundaries = {renegotiating()};
  for (const std::string format : {"markdown", "json", "html"}) {
    CAPTURE(format);
    const std::string whole = format == "json"   ? export_json(data, kNow)
                              : format == "html" ? export_html(data, kNow)
                                                 : export_markdown(data, kNow);
    ExportData rest = data;
    rest.reflections.clear();
    size_t next = 0, pieces = 0;
    ReflectionPages pages = [&](std::vector<Reflection>& page) -> Result<bool> {
      page.clear();
      if (next == data.reflections.size()) return false;
      page.push_back(data.reflections[next++]);
      return true;
    };
    std::string doc;
    ExportSink sink = [&](std::string piece, size_t) {
      doc += piece;
      ++pieces;
      return Status::ok();
    };
    auto written = format == "json"   ? write_export_json(rest, kNow, pages, sink)
                   : format == "html" ? write_export_html(rest, kNow, pages, sink)
                                      : write_export_markdown(rest, kNow, pages, sink);
    REQUIRE(written.is_ok());
    CHECK(*written == 2);
    CHECK(pieces == 3);  // a piece per page, and the rest
    CHECK(doc == whole);
    CHECK(contains(doc, "Thank you for listening"));
  }
}
