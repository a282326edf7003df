// `hearth checkin calendar`: golden output against the fake daemon, in UTC,
// with a fixed "now" (Tue 24 Nov 2026 16:32).
#include "client/calendar.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "client/commands.h"
#include "client_fixtures.h"
#include "schema/control.capnp.h"
#include "scoped_zone.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;
namespace ctl = hearth::control;

namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kHour = 3'600'000;

using Utc = ScopedZone;
using Zone = ScopedZone;

CheckIn check_in(uint8_t id, bool mine, int64_t at, std::string capacity) {
  CheckIn c;
  c.id = id_bytes(id);
  c.mine = mine;
  c.shared = !mine;
  c.at = at;
  c.capacity = std::move(capacity);
  return c;
}

// Mine: green on Wed 11 Nov; yellow, red and green on Mon 16 Nov; green
// today; red on 25 Oct, before the four weeks. Alex's (shared): green on Mon
// 9 Nov, yellow on Mon 23 Nov, and red two days ahead (a clock ahead).
std::vector<CheckIn> weeks_of_check_ins() {
  return {
      check_in(0x01, true, kNow - 30 * kDay, "red"),
      check_in(0x02, true, kNow - 13 * kDay, "green"),
      check_in(0x03, true, kNow - 8 * kDay - 6 * kHour, "yellow"),
      check_in(0x04, true, kNow - 8 * kDay + 5 * kHour, "red"),
      check_in(0x05, true, kNow - 8 * kDay + 7 * kHour, "green"),
      check_in(0x06, true, kNow - 8 * kHour, "green"),
      check_in(0x11, false, kNow - 15 * kDay, "green"),
      check_in(0x12, false, kNow - 1 * kDay, "yellow"),
      check_in(0x13, false, kNow + 2 * kDay, "red"),
  };
}

Overview paired_with_alex() {
  Overview o;
  o.paired = true;
  o.partner_name = "Alex";
  return o;
}

const char* const kPlainCalendar =
    "Capacity by day, from Mon 2 Nov to today.\n"
    "\n"
    "      2 Nov          9 Nov          16 Nov         23 Nov\n"
    "      M T W T F S S  M T W T F S S  M T W T F S S  M T W T F S S\n"
    "You   · · · · · · ·  · · G · · · ·  R · · · · · ·  · G\n"
    "Alex  · · · · · · ·  G · · · · · ·  · · · · · · ·  Y ·\n"
    "                                                     ^ today\n"
    "\n"
    "G green, Y yellow, R red, · no check-in.\n"
    "A day with more than one check-in shows the lowest of them.\n"
    "Alex's row shows only the check-ins Alex shared.\n";

}  // namespace

TEST_CASE("checkin calendar without a terminal writes letters, lowest of each day, today marked") {
  Utc utc;
  ScopedEnv no_color("NO_COLOR", nullptr);
  Harness h;
  h.daemon.overview = paired_with_alex();
  h.daemon.answer(weeks_of_check_ins());
  CHECK(run_checkin_calendar(h.ctx, CalendarOptions{}) == kExitOk);
  CHECK(h.out.str() == kPlainCalendar);
  CHECK(h.err.str().empty());
  // Every check-in of this device's lists, in one request.
  REQUIRE(h.daemon.requests.size() == 1);
  auto reader = parse_request(h.daemon.requests[0]);
  REQUIRE(reader.root<ctl::Request>().which() == ctl::Request::CHECK_IN_LIST);
  CHECK(reader.root<ctl::Request>().getCheckInList().getLimit() == 0);
  CHECK_FALSE(reader.root<ctl::Request>().getCheckInList().getArchived());
}

TEST_CASE("checkin calendar on a terminal colours the same letters, unless NO_COLOR is set") {
  Utc utc;
  const std::string g = "\x1b[30;42mG\x1b[0m", y = "\x1b[30;43mY\x1b[0m", r = "\x1b[97;41mR\x1b[0m",
                    o = "\x1b[2m·\x1b[0m";
  const std::string week = o + " " + o + " " + o + " " + o + " " + o + " " + o + " " + o;
  const std::string expected =
      "Capacity by day, from Mon 2 Nov to today.\n"
      "\n"
      "      2 Nov          9 Nov          16 Nov         23 Nov\n"
      "      M T W T F S S  M T W T F S S  M T W T F S S  M T W T F S S\n"
      "You   " +
      week + "  " + o + " " + o + " " + g + " " + o + " " + o + " " + o + " " + o + "  " + r + " " +
      o + " " + o + " " + o + " " + o + " " + o + " " + o + "  " + o + " " + g +
      "\n"
      "Alex  " +
      week + "  " + g + " " + o + " " + o + " " + o + " " + o + " " + o + " " + o + "  " + week +
      "  " + y + " " + o +
      "\n"
      "                                                     ^ today\n"
      "\n" +
      g + " green, " + y + " yellow, " + r + " red, " + o + " no check-in.\n" +
      "A day with more than one check-in shows the lowest of them.\n"
      "Alex's row shows only the check-ins Alex shared.\n";
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    Harness h;
    h.ctx.term.stdout_tty = true;
    h.daemon.overview = paired_with_alex();
    h.daemon.answer(weeks_of_check_ins());
    CHECK(run_checkin_calendar(h.ctx, CalendarOptions{}) == kExitOk);
    CHECK(h.out.str() == expected);
  }
  {
    ScopedEnv no_color("NO_COLOR", "1");
    Harness h;
    h.ctx.term.stdout_tty = true;
    h.daemon.overview = paired_with_alex();
    h.daemon.answer(weeks_of_check_ins());
    CHECK(run_checkin_calendar(h.ctx, CalendarOptions{}) == kExitOk);
    CHECK(h.out.str() == kPlainCalendar);
  }
}

TEST_CASE("checkin calendar --json gives each day from the first Monday to today") {
  Utc utc;
  Harness h(true);
  h.daemon.overview = paired_with_alex();
  h.daemon.answer(weeks_of_check_ins());
  CHECK(run_checkin_calendar(h.ctx, CalendarOptions{1}) == kExitOk);
  CHECK(h.out.str() ==
        "{\n"
        "  \"calendar\": {\n"
        "    \"from\": \"2026-11-23\",\n"
        "    \"today\": \"2026-11-24\",\n"
        "    \"weeks\": 1,\n"
        "    \"with_partner\": true,\n"
        "    \"partner_name\": \"Alex\",\n"
        "    \"days\": [\n"
        "      {\n"
        "        \"date\": \"2026-11-23\",\n"
        "        \"weekday\": \"Mon\",\n"
        "        \"me\": null,\n"
        "        \"partner\": \"yellow\"\n"
        "      },\n"
        "      {\n"
        "        \"date\": \"2026-11-24\",\n"
        "        \"weekday\": \"Tue\",\n"
        "        \"me\": \"green\",\n"
        "        \"partner\": null\n"
        "      }\n"
        "    ]\n"
        "  },\n"
        "  \"partner_pause\": {\n"
        "    \"active\": false,\n"
        "    \"set_by\": \"partner\"\n"
        "  },\n"
        "  \"waiting\": 0,\n"
        "  \"paired\": true\n"
        "}\n");

  Harness four(true);
  four.daemon.overview = paired_with_alex();
  four.daemon.answer(weeks_of_check_ins());
  CHECK(run_checkin_calendar(four.ctx, CalendarOptions{}) == kExitOk);
  nlohmann::json doc = nlohmann::json::parse(four.out.str());
  const auto& days = doc["calendar"]["days"];
  REQUIRE(days.size() == 23);  // Mon 2 Nov to Tue 24 Nov
  CHECK(days[0]["date"] == "2026-11-02");
  CHECK(days[14]["date"] == "2026-11-16");
  CHECK(days[14]["me"] == "red");
  CHECK(days[9]["me"] == "green");
  CHECK(days[7]["partner"] == "green");
  // Nothing in the document counts or grades.
  for (const char* word : {"count", "score", "streak", "total"})
    CHECK(four.out.str().find(word) == std::string::npos);
}

TEST_CASE("checkin calendar without a partner shows one row, and says so calmly when empty") {
  Utc utc;
  ScopedEnv no_color("NO_COLOR", nullptr);
  Harness h;
  h.daemon.answer(std::vector<CheckIn>{});
  CHECK(run_checkin_calendar(h.ctx, CalendarOptions{1}) == kExitOk);
  CHECK(h.out.str() ==
        "Capacity by day, from Mon 23 Nov to today.\n"
        "\n"
        "     23 Nov\n"
        "     M T W T F S S\n"
        "You  · ·\n"
        "       ^ today\n"
        "\n"
        "G green, Y yellow, R red, · no check-in.\n"
        "A day with more than one check-in shows the lowest of them.\n"
        "No check-ins in these weeks.\n");
}

TEST_CASE("checkin calendar wraps long spans four weeks to a band, oldest first") {
  Utc utc;
  ScopedEnv no_color("NO_COLOR", nullptr);
  Harness h;
  h.daemon.overview = paired_with_alex();
  h.daemon.answer(weeks_of_check_ins());
  CHECK(run_checkin_calendar(h.ctx, CalendarOptions{6}) == kExitOk);
  const std::string out = h.out.str();
  CHECK(out.find("Capacity by day, from Mon 19 Oct to today.\n") == 0);
  // The first band: 19 Oct to 15 Nov; the red of 25 Oct now shows.
  CHECK(out.find("      19 Oct         26 Oct         2 Nov          9 Nov\n") !=
        std::string::npos);
  CHECK(out.find("You   · · · · · · R  · · · · · · ·  · · · · · · ·  · · G · · · ·\n") !=
        std::string::npos);
  // The second band ends with today, marked once.
  CHECK(out.find("      16 Nov         23 Nov\n") != std::string::npos);
  CHECK(out.find("You   R · · · · · ·  · G\n") != std::string::npos);
  CHECK(out.find("^ today") == out.rfind("^ today"));
}

TEST_CASE("checkin calendar takes 1 to 52 weeks and asks nothing otherwise") {
  for (int weeks : {0, 53, -1}) {
    Harness h;
    CHECK(run_checkin_calendar(h.ctx, CalendarOptions{weeks}) == kExitUsage);
    CHECK(h.daemon.requests.empty());
    CHECK(h.err.str().find("1 to 52") != std::string::npos);
  }
}

TEST_CASE("the calendar keeps a day's lowest capacity and ignores what it cannot read") {
  Utc utc;
  std::vector<CheckIn> list = {check_in(1, true, kNow, "green"), check_in(2, true, kNow, "unknown"),
                               check_in(3, true, kNow - kHour, "yellow"),
                               check_in(4, false, kNow, "red")};
  const Calendar c = build_calendar(list, kNow, 1, false);
  REQUIRE(c.mine.size() == 2);
  CHECK(c.mine[1] == DayCapacity::kYellow);
  CHECK(c.mine[0] == DayCapacity::kNone);
  CHECK_FALSE(c.with_partner);
  CHECK(iso_date(c.first) == "2026-11-23");
  CHECK(iso_date(c.today) == "2026-11-24");
  CHECK(weekday(c.first) == 0);
}

TEST_CASE("local days follow the time zone") {
  {
    Zone auckland("Pacific/Auckland");  // UTC+13 in November
    // 16:32 UTC on Tue 24 Nov is 05:32 on Wed 25 Nov in Auckland.
    CHECK(iso_date(local_day_number(kNow)) == "2026-11-25");
  }
  {
    Zone los_angeles("America/Los_Angeles");  // UTC-8
    CHECK(iso_date(local_day_number(kNow - 17 * kHour)) == "2026-11-23");
    CHECK(iso_date(local_day_number(kNow)) == "2026-11-24");
  }
}
