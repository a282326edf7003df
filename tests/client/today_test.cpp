// `hearth today`: golden output, text and --json, against the fake daemon,
// in UTC, with a fixed "now" (Tue 24 Nov 2026 16:32).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "client/commands.h"
#include "client/timefmt.h"
#include "client_fixtures.h"
#include "schema/control.capnp.h"
#include "scoped_zone.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;
namespace ctl = hearth::control;

namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// A full day: Alex is pausing, shared a reflection, both answered a prompt,
// suggested an agreement, checked in red three days ago with a need, and
// invited me to breathe; I have not checked in today; the care line is due.
TodayInfo full_day() {
  TodayInfo t;
  t.overview.paired = true;
  t.overview.partner_name = "Alex";
  t.overview.partner_pause = PauseInfo{true, false, kNow - 10 * kMinute, kNow + 50 * kMinute, 60,
                                       "a walk by the river"};
  t.since = kNow - kDay;
  Reflection r;
  r.id = id_bytes(0x21);
  r.shared = true;
  r.created_at = r.updated_at = kNow - 2 * kHour;
  r.text = "I slept better. Thank you for the quiet evening.";
  t.new_reflections.push_back(r);
  Prompt p;
  p.id = "again-004";
  p.round = id_bytes(0x31, 8);
  p.text = "What is one small thing that helped you this week?";
  p.depth = 1;
  p.deck = "again";
  p.status = "both_answered";
  p.mine = AnswerInfo{true, kNow - 5 * kHour, true, true, "The walk home in the rain.", "", ""};
  p.partner = AnswerInfo{true, kNow - 3 * kHour, true, true, "Your laugh at breakfast.", "", ""};
  t.revealed.push_back(p);
  Boundary b;
  b.id = id_bytes(0x41);
  b.kind = "agreement";
  b.status = "proposed";
  b.text = "No phones at dinner";
  b.in_force_text = "";
  b.created_at = b.updated_at = kNow - 6 * kHour;
  Revision rev;
  rev.number = 1;
  rev.id = id_bytes(0x42);
  rev.text = b.text;
  rev.at = b.created_at;
  b.revisions.push_back(rev);
  t.boundaries_waiting.push_back(b);
  CheckIn c;
  c.id = id_bytes(0x51);
  c.shared = true;
  c.at = kNow - 3 * kDay;
  c.capacity = "red";
  c.need = "quiet, and a hand to hold";
  t.partner_check_in = c;
  t.checked_in_today = false;
  Prompt today;
  today.id = "again-007";
  today.round = id_bytes(0x32, 8);
  today.text = "When did you feel close to me lately?";
  today.depth = 1;
  today.deck = "again";
  today.status = "open";
  t.prompt = today;
  t.practice.id = id_bytes(0x61);
  t.practice.practice = "breathe";
  t.practice.minutes = 5;
  t.practice.in_seconds = 5;
  t.practice.out_seconds = 5;
  t.practice.invited_at = kNow - kMinute;
  t.care_line = true;
  return t;
}

const char* const kFullDay =
    "Alex is pausing until 17:22 \u2014 'a walk by the river'.\n"
    "\n"
    "Alex invites you to breathe together, for 5 minutes. `hearth practice join` joins; saying "
    "nothing is fine too.\n"
    "\n"
    "Since you last looked:\n"
    "\n"
    "21212121  Alex \u00b7 today 14:32 \u00b7 shared with you\n"
    "    I slept better. Thank you for the quiet evening.\n"
    "\n"
    "again-004 \u00b7 depth 1\n"
    "    What is one small thing that helped you this week?\n"
    "    You, today 11:32:\n"
    "        The walk home in the rain.\n"
    "    Alex, today 13:32:\n"
    "        Your laugh at breakfast.\n"
    "\n"
    "41414141  agreement \u00b7 proposed \u00b7 proposed by Alex \u00b7 today 10:32\n"
    "    No phones at dinner\n"
    "    Your answer: `hearth boundary agree|decline|discuss 41414141`.\n"
    "\n"
    "Alex's latest check-in, 3 days ago: red \u2014 needs 'quiet, and a hand to hold'.\n"
    "    `hearth checkin reply 51515151` answers it, if you can.\n"
    "\n"
    "How much can you carry today? `hearth checkin` notes it, just for you unless you share "
    "it.\n"
    "\n"
    "Today's prompt:\n"
    "again-007 \u00b7 depth 1\n"
    "    When did you feel close to me lately?\n"
    "    `hearth prompt answer again-007` answers it; only when you have both answered do you "
    "see each other's words.\n"
    "\n"
    "Things have been heavy lately. If it would help to talk to someone, `hearth help crisis` "
    "lists people you can reach.\n"
    "\n"
    "Skip any of this; nothing here is counted.\n";

}  // namespace

TEST_CASE("today shows the partner's pause first, then what is new, then a check-in, then the prompt") {
  ScopedZone utc;
  Harness h;
  h.daemon.overview = full_day().overview;
  h.daemon.answer(full_day());
  CHECK(run_today(h.ctx) == kExitOk);
  CHECK(h.out.str() == kFullDay);
  CHECK(h.err.str().empty());
  // One request: today's date, on this device's clock, and "mark as seen".
  REQUIRE(h.daemon.requests.size() == 1);
  auto reader = parse_request(h.daemon.requests[0]);
  REQUIRE(reader.root<ctl::Request>().which() == ctl::Request::TODAY);
  CHECK(std::string(reader.root<ctl::Request>().getToday().getDate().cStr()) == "2026-11-24");
  CHECK(reader.root<ctl::Request>().getToday().getMark());
}

TEST_CASE("today --json gives every part, for scripts") {
  ScopedZone utc;
  Harness h(true);
  TodayInfo t;
  t.overview.paired = true;
  t.overview.partner_name = "Alex";
  t.overview.my_pause.mine = true;
  t.since = kNow - kDay;
  CheckIn c;
  c.id = id_bytes(0x51);
  c.shared = true;
  c.at = kNow - 3 * kDay;
  c.capacity = "yellow";
  t.partner_check_in = c;
  t.checked_in_today = true;
  h.daemon.answer(t);
  CHECK(run_today(h.ctx) == kExitOk);
  CHECK(h.out.str() ==
        "{\n"
        "  \"today\": {\n"
        "    \"partner_pause\": {\n"
        "      \"active\": false,\n"
        "      \"set_by\": \"partner\"\n"
        "    },\n"
        "    \"my_pause\": {\n"
        "      \"active\": false,\n"
        "      \"set_by\": \"me\"\n"
        "    },\n"
        "    \"waiting\": 0,\n"
        "    \"since\": \"2026-11-23T16:32:00.123Z\",\n"
        "    \"new_reflections\": [],\n"
        "    \"revealed\": [],\n"
        "    \"boundaries_waiting\": [],\n"
        "    \"partner_checkin\": {\n"
        "      \"id\": \"51515151515151515151515151515151\",\n"
        "      \"author\": \"partner\",\n"
        "      \"created_at\": \"2026-11-21T16:32:00.123Z\",\n"
        "      \"capacity\": \"yellow\",\n"
        "      \"feelings\": [],\n"
        "      \"need\": null,\n"
        "      \"shared\": true,\n"
        "      \"replies\": [],\n"
        "      \"archived\": false\n"
        "    },\n"
        "    \"checked_in_today\": true,\n"
        "    \"prompt\": null,\n"
        "    \"practice\": null,\n"
        "    \"care_line\": false\n"
        "  }\n"
        "}\n");
}

TEST_CASE("today with nothing new is short, and still says skipping is fine") {
  ScopedZone utc;
  Harness h;
  TodayInfo t;
  t.overview.paired = true;
  t.overview.partner_name = "Alex";
  t.checked_in_today = true;
  h.daemon.answer(t);
  CHECK(run_today(h.ctx) == kExitOk);
  CHECK(h.out.str() == "Skip any of this; nothing here is counted.\n");
}

TEST_CASE("a check-in's age is counted in local days") {
  ScopedZone utc;
  CHECK(human_age(kNow - kHour, kNow) == "today");
  CHECK(human_age(kNow - 17 * kHour, kNow) == "yesterday");  // 23:32 the day before
  CHECK(human_age(kNow - 3 * kDay, kNow) == "3 days ago");
  CHECK(human_age(kNow - 13 * kDay, kNow) == "13 days ago");
  CHECK(human_age(kNow - 14 * kDay, kNow) == "on Tue 10 Nov");
  CHECK(human_age(kNow + 2 * kDay, kNow) == "on Thu 26 Nov");  // a clock ahead
}
