// `hearth export --format html` and what --since and --mine keep, in every
// format, against the fake daemon in UTC with a fixed "now" (Tue 24 Nov 2026).
#include "client/export_html.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "client/commands.h"
#include "client/export.h"
#include "client_fixtures.h"
#include "scoped_zone.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;

namespace {

constexpr int64_t kDay = 86'400'000;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What the page must never hold: anything that loads, links or runs.
void check_self_contained(const std::string& page) {
  const std::string l = lower(page);
  for (const char* bad : {"<script", "http", "src=", "href=", "url(", "@import", "<link", "<img",
                          "<iframe", "<object", "<embed", " on"}) {
    if (std::string(bad) == " on") {
      // No event handler attribute (onload=, onclick= ...).
      for (size_t at = l.find(" on"); at != std::string::npos; at = l.find(" on", at + 1)) {
        size_t end = at + 3;
        while (end < l.size() && std::isalpha(static_cast<unsigned char>(l[end]))) ++end;
        CHECK_MESSAGE(!(end < l.size() && l[end] == '=' && end > at + 3),
                      "an event handler at " << at);
      }
      continue;
    }
    CHECK_MESSAGE(!contains(l, bad), "the page holds " << bad);
  }
}

Reflection reflection(uint8_t id, bool mine, int64_t at, std::string text) {
  Reflection r;
  r.id = id_bytes(id);
  r.mine = mine;
  r.shared = true;
  r.created_at = at;
  r.updated_at = at;
  r.text = std::move(text);
  return r;
}

CheckIn check_in(uint8_t id, bool mine, int64_t at, std::string capacity, std::string need = "") {
  CheckIn c;
  c.id = id_bytes(id);
  c.mine = mine;
  c.shared = true;
  c.at = at;
  c.capacity = std::move(capacity);
  c.need = std::move(need);
  return c;
}

Boundary limit(uint8_t id, bool mine, int64_t at, std::string text) {
  Boundary b;
  b.id = Bytes(32, id);
  b.kind = "limit";
  b.status = "in_force";
  b.text = std::move(text);
  b.created_at = at;
  b.updated_at = at;
  b.proposed_by_me = mine;
  return b;
}

Boundary agreement(uint8_t id, bool mine, int64_t at, std::string text, std::string status) {
  Boundary b = limit(id, mine, at, std::move(text));
  b.kind = "agreement";
  b.status = std::move(status);
  Revision r;
  r.number = 1;
  r.id = Bytes(32, id);
  r.text = b.text;
  r.mine = mine;
  r.at = at;
  r.my_response = "agree";
  r.partner_response = "agree";
  r.partner_note = "works for me";
  b.revisions = {r};
  return b;
}

StatusInfo sam_with_alex() {
  StatusInfo s;
  s.device_id = "MFRGGZD-FMZTWQ2-LK5DHMG-Q3TEMRX-HA4DSMR-ZGA2TGN-BVGQ3TE-ABCDXYZ";
  s.name = "Sam";
  s.partner.paired = true;
  s.partner.name = "Alex";
  s.partner.device_id = "NBSWY3D-PEB3XI4-DSNFSGK-4ZLPNRS-WY3DPEB-3XI4DSN-FSGK4ZL-PNRSWY3";
  return s;
}

// Sam's and Alex's entries over three weeks: old ones (10 Nov) and recent
// ones (from 20 Nov); Alex's red check-in of yesterday is the only red.
ExportData three_weeks() {
  ExportData d;
  d.status = sam_with_alex();
  Reflection edited = reflection(0xa1, true, kNow - 2 * kDay, "The walk helped.");
  edited.updated_at = kNow - kDay;
  edited.feelings = {"calm"};
  edited.history = {Version{kNow - 2 * kDay, "A first wording.", {}, false},
                    Version{kNow - kDay, "The walk helped.", {}, true}};
  d.reflections = {
      reflection(0xa2, true, kNow - 14 * kDay, "An old reflection of Sam's."),
      edited,
      reflection(0xa3, true, kNow - 3 * kDay, "<script>alert('x')</script> & \"more\"\x1b[2J"),
      reflection(0xb1, false, kNow - 4 * kDay, "Alex's own words."),
  };
  CheckIn needs = check_in(0x03, true, kNow - 3 * kDay, "yellow", "a quiet evening");
  needs.feelings = {"tired"};
  needs.replies = {NeedReplyInfo{false, kNow - 3 * kDay + 3'600'000, "I can do that tonight."}};
  d.check_ins = {
      check_in(0x01, true, kNow - 14 * kDay, "green"),
      needs,
      check_in(0x04, true, kNow - 3'600'000, "green"),
      check_in(0x11, false, kNow - kDay, "red", "some space"),
  };
  d.boundaries = {
      limit(0xc1, true, kNow - 14 * kDay, "Say my name before you touch me."),
      limit(0xc2, false, kNow - 2 * kDay, "No surprises at night."),
      agreement(0xd1, true, kNow - 3 * kDay, "No phones at dinner.", "agreed"),
      agreement(0xd2, false, kNow - 2 * kDay, "Walks on Sundays.", "proposed"),
  };
  return d;
}

// The daemon's answers to an export: status, check-ins, the archived ones,
// boundaries, then the reflections a page at a time.
void queue_export(FakeDaemon& daemon, const ExportData& d) {
  daemon.answer(d.status);
  daemon.answer(d.check_ins);
  daemon.answer(std::vector<CheckIn>{});
  daemon.answer(d.boundaries);
  daemon.answer(d.reflections);  // one page: shorter than a full one, so the last
}

}  // namespace

TEST_CASE("the HTML export is one page that loads and runs nothing, with every word escaped") {
  ScopedZone utc;
  ExportData d = three_weeks();
  d.status.name = "Sam <b>";
  const std::string page = export_html(d, kNow);
  CHECK(page.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(contains(page, "<html lang=\"en\">"));
  CHECK(contains(page, "<meta charset=\"utf-8\">"));
  CHECK(contains(page, "</html>\n"));
  check_self_contained(page);
  // The reflection's words are text, not markup; the control sequence is gone.
  CHECK(
      contains(page,
               "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;\xef\xbf\xbd"
               "[2J"));
  CHECK_FALSE(contains(page, "\x1b"));
  CHECK(contains(page, "Sam &lt;b&gt;"));
  CHECK_FALSE(contains(page, "Sam <b>"));
  // A title, and a plain sentence of what it is and that it is private.
  CHECK(contains(page, "<title>Hearth journal of Sam &lt;b&gt;</title>"));
  CHECK(contains(page, "<h1>Hearth journal</h1>"));
  CHECK(contains(page, "It is private"));
  CHECK(contains(page, "plaintext"));
}

TEST_CASE(
    "the HTML export draws the calendar as an accessible SVG, with the same days as a table") {
  ScopedZone utc;
  const std::string page = export_html(three_weeks(), kNow);
  const size_t svg = page.find("<svg");
  REQUIRE(svg != std::string::npos);
  const size_t svg_end = page.find("</svg>", svg);
  REQUIRE(svg_end != std::string::npos);
  const std::string chart = page.substr(svg, svg_end - svg);
  CHECK(contains(chart, "role=\"img\""));
  CHECK(contains(chart, "aria-labelledby=\"calendar-title calendar-desc\""));
  CHECK(contains(chart, "<title id=\"calendar-title\">"));
  CHECK(contains(chart, "<desc id=\"calendar-desc\">"));
  // Green, yellow and red days in their fills, with their letters.
  CHECK(contains(chart, "fill=\"#2e7d4f\""));
  CHECK(contains(chart, "fill=\"#f2c14e\""));
  CHECK(contains(chart, "fill=\"#b3403a\""));
  CHECK(contains(chart, ">G</text>"));
  CHECK(contains(chart, ">R</text>"));
  // From the week of the first check-in (Mon 9 Nov) to today, today marked.
  CHECK(contains(chart, ">9 Nov</text>"));
  CHECK(contains(chart, ">23 Nov</text>"));
  CHECK(contains(chart, ">today</text>"));
  CHECK(contains(chart, ">Alex</text>"));

  // The table beside it: one row per day with a check-in, in words.
  const size_t table = page.find("<table", svg_end);
  REQUIRE(table != std::string::npos);
  const std::string rows = page.substr(table, page.find("</table>", table) - table);
  CHECK(contains(rows, "<th scope=\"col\">Sam</th><th scope=\"col\">Alex</th>"));
  CHECK(contains(rows, "<th scope=\"row\">Mon 23 Nov 2026</th><td>no check-in</td><td>red</td>"));
  CHECK(
      contains(rows, "<th scope=\"row\">Sat 21 Nov 2026</th><td>yellow</td><td>no check-in</td>"));
  CHECK(contains(rows, "<th scope=\"row\">Tue 24 Nov 2026</th><td>green</td><td>no check-in</td>"));
  CHECK_FALSE(contains(rows, "Wed 18 Nov"));  // no check-in that day
  // Nothing counts or grades.
  for (const char* word : {"score", "streak", "red days", "in a row"})
    CHECK_FALSE(contains(lower(page), word));
}

TEST_CASE("the HTML export holds the entries: versions, needs and replies, limits and agreements") {
  ScopedZone utc;
  const std::string page = export_html(three_weeks(), kNow);
  CHECK(contains(page, "The walk helped."));
  CHECK(contains(page, "Earlier versions"));
  CHECK(contains(page, "A first wording."));
  CHECK(contains(page, "a quiet evening"));
  CHECK(contains(page, "I can do that tonight."));
  CHECK(contains(page, "tired"));
  CHECK(contains(page, "<h3>Limits</h3>"));
  CHECK(contains(page, "<h3>Agreements</h3>"));
  CHECK(contains(page, "Say my name before you touch me."));
  CHECK(contains(page, "Walks on Sundays."));
  CHECK(contains(page, "waiting for an answer"));
  CHECK(contains(page, "works for me"));
  // Printable, calm, readable.
  CHECK(contains(page, "@media print"));
  CHECK(contains(page, "print-color-adjust: exact"));
}

TEST_CASE("an export with no check-ins says so instead of drawing an empty calendar") {
  ScopedZone utc;
  ExportData d = three_weeks();
  d.check_ins.clear();
  const std::string page = export_html(d, kNow);
  CHECK_FALSE(contains(page, "<svg"));
  CHECK(contains(page, "No check-ins in this export"));
  check_self_contained(page);
}

TEST_CASE("export --format html --since keeps what was written from that local day on") {
  ScopedZone utc;
  Harness h;
  queue_export(h.daemon, three_weeks());
  const std::string path = h.home.path() + "/journal.html";
  ExportOptions o{"html", path, false, "2026-11-20", false};
  CHECK(run_export(h.ctx, o) == kExitOk);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(contains(h.err.str(), "plaintext"));
  const std::string page = read(path);
  check_self_contained(page);
  CHECK_FALSE(contains(page, "An old reflection of Sam&#39;s."));
  CHECK_FALSE(contains(page, "Say my name before you touch me."));
  CHECK(contains(page, "The walk helped."));
  CHECK(contains(page, "Walks on Sundays."));
  CHECK(contains(page, "written on or after Fri 20 Nov 2026"));
  // The calendar starts with the week of the day asked for.
  CHECK(contains(page, ">16 Nov</text>"));
  CHECK_FALSE(contains(page, ">9 Nov</text>"));
}

TEST_CASE("export --mine keeps only my own entries and leaves out the partner's calendar row") {
  ScopedZone utc;
  Harness h;
  queue_export(h.daemon, three_weeks());
  const std::string path = h.home.path() + "/mine.html";
  ExportOptions o{"html", path, false, "", true};
  CHECK(run_export(h.ctx, o) == kExitOk);
  const std::string page = read(path);
  check_self_contained(page);
  CHECK(contains(page, "The walk helped."));
  CHECK_FALSE(contains(page, "Alex&#39;s own words."));
  CHECK_FALSE(contains(page, "some space"));
  CHECK_FALSE(contains(page, "No surprises at night."));
  CHECK_FALSE(contains(page, "Walks on Sundays."));
  // Alex's reply to Sam's need is Alex's words.
  CHECK_FALSE(contains(page, "I can do that tonight."));
  CHECK_FALSE(contains(page, "works for me"));  // Alex's note on Sam's agreement
  CHECK(contains(page, "a quiet evening"));
  CHECK(contains(page, "No phones at dinner."));
  CHECK_FALSE(contains(page, "fill=\"#b3403a\""));  // the only red was Alex's
  CHECK_FALSE(contains(page, ">Alex</text>"));
  CHECK_FALSE(contains(page, "<th scope=\"col\">Alex</th>"));
  CHECK(contains(page, "Only Sam&#39;s own entries"));
}

TEST_CASE("--since and --mine apply to the markdown and JSON exports too") {
  ScopedZone utc;
  Harness md;
  queue_export(md.daemon, three_weeks());
  ExportOptions o{"markdown", "", false, "2026-11-20", true};
  CHECK(run_export(md.ctx, o) == kExitOk);
  const std::string text = md.out.str();
  CHECK(contains(text, "The walk helped."));
  CHECK_FALSE(contains(text, "An old reflection of Sam's."));
  CHECK_FALSE(contains(text, "Alex's own words."));
  CHECK_FALSE(contains(text, "some space"));
  CHECK(contains(text, "Only entries written on or after Fri 20 Nov 2026."));
  CHECK(contains(text, "Only your own entries."));

  Harness js(true);
  queue_export(js.daemon, three_weeks());
  ExportOptions oj{"json", "", false, "2026-11-20", true};
  CHECK(run_export(js.ctx, oj) == kExitOk);
  nlohmann::json doc = nlohmann::json::parse(js.out.str());
  CHECK(doc["since"] == "2026-11-20");
  CHECK(doc["only_mine"] == true);
  for (const char* kind : {"reflections", "checkins", "boundaries"}) {
    for (const auto& item : doc[kind]) {
      if (item.contains("author")) CHECK(item["author"] == "me");
    }
  }
  REQUIRE(doc["reflections"].size() == 2);
  REQUIRE(doc["checkins"].size() == 2);
  CHECK(doc["checkins"][0]["replies"].empty());
  REQUIRE(doc["boundaries"].size() == 1);
  CHECK(doc["boundaries"][0]["text"] == "No phones at dinner.");
  CHECK(doc["boundaries"][0]["revisions"][0]["partner_response"] == "agree");
  CHECK(doc["boundaries"][0]["revisions"][0]["partner_note"].is_null());
}

TEST_CASE("export refuses a --since that is not a day, and html on stdout with --json") {
  for (const char* bad : {"2026-13-01", "20-11-2026", "yesterday", "2026-02-30"}) {
    Harness h;
    ExportOptions o{"html", h.home.path() + "/x.html", false, bad, false};
    CHECK(run_export(h.ctx, o) == kExitUsage);
    CHECK(h.daemon.requests.empty());
    CHECK(contains(h.err.str(), "YYYY-MM-DD"));
  }
  Harness js(true);
  CHECK(run_export(js.ctx, ExportOptions{"html", "", false, "", false}) == kExitUsage);
  CHECK(js.daemon.requests.empty());
  Harness pdf;
  CHECK(run_export(pdf.ctx, ExportOptions{"pdf", "", false, "", false}) == kExitUsage);
  CHECK(contains(pdf.err.str(), "markdown, json or html"));
}
