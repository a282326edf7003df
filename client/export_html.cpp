#include "client/export_html.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <utility>

#include "client/calendar.h"
#include "client/export_scope.h"
#include "client/render_text.h"
#include "client/text.h"
#include "util/assert.h"

namespace hearth::client {
namespace {

// Calm, readable, printable: text #1f2328 and #595959 on #fdfcf9 (15.4:1 and
// 6.8:1). Colours print as they show. Nothing here loads anything.
constexpr std::string_view kStyle = R"(
:root { color-scheme: light; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #fdfcf9; color: #1f2328;
  font: 1rem/1.6 system-ui, "Segoe UI", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 66rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; font-weight: 600; margin: 0 0 1rem; }
h2 { font-size: 1.4rem; font-weight: 600; margin: 2.75rem 0 0.75rem; padding-bottom: 0.3rem;
  border-bottom: 1px solid #d8d4cc; }
h3 { font-size: 1.15rem; font-weight: 600; margin: 1.75rem 0 0.5rem; }
h4 { font-size: 1rem; font-weight: 600; margin: 0.75rem 0 0.25rem; }
p, li, .text { max-width: 42rem; }
p { margin: 0 0 0.6rem; }
.lede { font-size: 1.1rem; }
.private { background: #f3efe6; border-left: 4px solid #8a6d00; padding: 0.75rem 1rem; }
.meta { color: #595959; font-size: 0.92rem; margin: 0 0 0.3rem; }
.entry { border-top: 1px solid #e4e0d8; padding: 0.9rem 0 0.5rem; break-inside: avoid;
  page-break-inside: avoid; }
h2 + .entry, h3 + .entry { border-top: none; padding-top: 0.25rem; }
.entry p { margin: 0 0 0.2rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2rem 0 0.6rem; }
.note { font-style: italic; }
.history { border-left: 3px solid #d8d4cc; padding-left: 1rem; margin: 0.5rem 0; }
.history ol, .replies { margin: 0.25rem 0 0.5rem; padding-left: 1.25rem; }
.calendar { display: flex; flex-wrap: wrap; gap: 1.5rem 2.5rem; align-items: flex-start;
  margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
.calendar svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; }
table { border-collapse: collapse; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { text-align: left; padding: 0.2rem 1rem 0.2rem 0; border-bottom: 1px solid #e4e0d8; }
thead th { border-bottom: 2px solid #d8d4cc; }
tbody th { font-weight: normal; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
footer { margin-top: 3rem; color: #595959; font-size: 0.9rem; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
)";

// Text and letters on each fill: white on green (5.1:1) and red (5.7:1),
// dark on yellow (9.4:1); yellow's border keeps its edge at 4.8:1 against the
// page; the dot of a day without a check-in is at 4.4:1.
constexpr std::string_view kInk = "#1f2328";
constexpr std::string_view kMuted = "#595959";
constexpr std::string_view kYellowEdge = "#8a6d00";
constexpr std::string_view kDotFill = "#767676";

// The calendar's geometry, in CSS pixels.
constexpr int kLabelWidth = 110;
constexpr int kCell = 20;
constexpr int kPitch = 24;  // from one day to the next
constexpr int kWeekGap = 12;
constexpr int kWeekWidth = 7 * kPitch + kWeekGap;
constexpr int kHeader = 38;  // week labels and day letters above the rows
constexpr int kRowHeight = 28;
constexpr int kTodayLabel = 22;
constexpr int kBandGap = 14;
constexpr int kRightMargin = 20;  // room for today's outline and label
constexpr int kWeeksPerBand = 4;
constexpr size_t kMaxLabel = 14;  // code points of a row's name

constexpr std::string_view kDayLetters[7] = {"M", "T", "W", "T", "F", "S", "S"};

std::string e(std::string_view s) { return html_escape(s); }

std::string num(int64_t n) { return std::to_string(n); }

// "Tue 24 Nov 2026, 16:32", local time.
std::string when(int64_t ms) {
  int64_t seconds = ms / 1000;
  if (ms % 1000 < 0) --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char clock[8];
  const size_t n = std::strftime(clock, sizeof(clock), "%H:%M", &tm);
  return long_date(local_day_number(ms)) + ", " + std::string(clock, n);
}

// The first `max` code points of (valid) UTF-8.
std::string first_code_points(std::string_view s, size_t max) {
  size_t i = 0;
  for (size_t n = 0; i < s.size() && n < max; ++n) {
    const size_t len = utf8_sequence_length(s, i);
    i += len ? len : 1;
  }
  return std::string(s.substr(0, i));
}

// How the two people are named on the page (raw; escaped where written).
struct Names {
  bool me_named = false;
  bool partner_named = false;
  std::string me;       // "Sam", else "Me"
  std::string partner;  // "Alex", else "My partner"

  std::string my() const { return me_named ? me + "'s" : "my"; }
  std::string partners() const { return partner_named ? partner + "'s" : "my partner's"; }
  std::string partner_in_text() const { return partner_named ? partner : "my partner"; }
  std::string who(bool mine) const { return mine ? me : partner; }
};

Names names_of(const StatusInfo& s) {
  Names n;
  n.me_named = !trim(s.name).empty();
  n.partner_named = !trim(s.partner.name).empty();
  n.me = n.me_named ? std::string(trim(s.name)) : "Me";
  n.partner = n.partner_named ? std::string(trim(s.partner.name)) : "My partner";
  return n;
}

template <typename T, typename Key>
std::vector<T> oldest_first(std::vector<T> items, Key key) {
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return key(a) < key(b); });
  return items;
}

std::string fill_of(DayCapacity c) {
  switch (c) {
    case DayCapacity::kGreen:
      return std::string(kGreenFill);
    case DayCapacity::kYellow:
      return std::string(kYellowFill);
    case DayCapacity::kRed:
      return std::string(kRedFill);
    case DayCapacity::kNone:
      break;
  }
  return std::string(kDotFill);
}

// ---------------------------------------------------------------- calendar

// One day's mark at (x, y): a square in its fill with its letter, or a dot.
void svg_day(std::string& out, DayCapacity c, int x, int y) {
  if (c == DayCapacity::kNone) {
    out += "<circle cx=\"" + num(x + kCell / 2) + "\" cy=\"" + num(y + kCell / 2) +
           "\" r=\"2.5\" fill=\"" + std::string(kDotFill) + "\"/>";
    return;
  }
  out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(kCell) + "\" height=\"" +
         num(kCell) + "\" rx=\"4\" fill=\"" + fill_of(c) + "\"";
  if (c == DayCapacity::kYellow) out += " stroke=\"" + std::string(kYellowEdge) + "\"";
  out += "/>";
  out += "<text x=\"" + num(x + kCell / 2) + "\" y=\"" + num(y + 14) +
         "\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"700\" fill=\"" +
         (c == DayCapacity::kYellow ? std::string(kInk) : std::string("#ffffff")) + "\">" +
         capacity_letter(c) + "</text>";
}

std::string calendar_svg(const Calendar& c, const Names& names) {
  const int people = c.with_partner ? 2 : 1;
  const int bands = (c.weeks + kWeeksPerBand - 1) / kWeeksPerBand;
  const int band_height = kHeader + people * kRowHeight + kTodayLabel;
  const int width =
      kLabelWidth + std::min(c.weeks, kWeeksPerBand) * kWeekWidth - kWeekGap + kRightMargin;
  const int height = bands * band_height + (bands - 1) * kBandGap;
  const std::string range = long_date(c.first) + " to " + long_date(c.today);

  std::string out = "<svg role=\"img\" aria-labelledby=\"calendar-title calendar-desc\" width=\"" +
                    num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) +
                    " " + num(height) + "\">\n";
  out += "<title id=\"calendar-title\">" + e("Capacity by day, " + range) + "</title>\n";
  std::string desc = "One row for " + names.me;
  if (c.with_partner) desc += " and one for " + names.partner;
  desc +=
      ", one square per day, weeks from left to right: green (G), yellow (Y) or red (R) for the "
      "lowest capacity of the day, a dot for a day without a check-in. Today is outlined. The "
      "table beside it lists the same days in words.";
  out += "<desc id=\"calendar-desc\">" + e(desc) + "</desc>\n";

  const std::vector<std::string> labels = {
      e(first_code_points(terminal_safe(names.me, false), kMaxLabel)),
      e(first_code_points(terminal_safe(names.partner, false), kMaxLabel))};
  for (int band = 0; band < bands; ++band) {
    const int top = band * (band_height + kBandGap);
    const int from = band * kWeeksPerBand;
    const int to = std::min(c.weeks, from + kWeeksPerBand);
    for (int week = from; week < to; ++week) {
      const int x = kLabelWidth + (week - from) * kWeekWidth;
      out += "<text x=\"" + num(x) + "\" y=\"" + num(top + 13) + "\" font-size=\"12\" fill=\"" +
             std::string(kMuted) + "\">" + e(day_and_month(c.first + 7 * week)) + "</text>";
      for (int d = 0; d < 7; ++d) {
        out += "<text x=\"" + num(x + d * kPitch + kCell / 2) + "\" y=\"" + num(top + 31) +
               "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" + std::string(kMuted) + "\">" +
               std::string(kDayLetters[d]) + "</text>";
      }
      out += "\n";
    }
    for (int person = 0; person < people; ++person) {
      const std::vector<DayCapacity>& days = person == 0 ? c.mine : c.partner;
      const int y = top + kHeader + person * kRowHeight;
      out += "<text x=\"0\" y=\"" + num(y + 15) + "\" font-size=\"13\" fill=\"" +
             std::string(kInk) + "\">" + labels[static_cast<size_t>(person)] + "</text>";
      for (int week = from; week < to; ++week) {
        for (int d = 0; d < 7; ++d) {
          const DayNumber day = c.first + 7 * week + d;
          if (day > c.today) break;
          svg_day(out, days[static_cast<size_t>(day - c.first)],
                  kLabelWidth + (week - from) * kWeekWidth + d * kPitch, y);
        }
      }
      out += "\n";
    }
    const int64_t today_week = (c.today - c.first) / 7;
    if (today_week >= from && today_week < to) {
      const int x = kLabelWidth + static_cast<int>(today_week - from) * kWeekWidth +
                    weekday(c.today) * kPitch;
      const int y = top + kHeader;
      out += "<rect x=\"" + num(x - 3) + "\" y=\"" + num(y - 3) + "\" width=\"" + num(kCell + 6) +
             "\" height=\"" + num((people - 1) * kRowHeight + kCell + 6) +
             "\" rx=\"6\" fill=\"none\" stroke=\"" + std::string(kInk) + "\" stroke-width=\"2\"/>";
      out += "<text x=\"" + num(x + kCell / 2) + "\" y=\"" +
             num(y + (people - 1) * kRowHeight + kCell + 17) +
             "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" + std::string(kInk) +
             "\">today</text>\n";
    }
  }
  out += "</svg>\n";
  return out;
}

// The same days in words: the days with a check-in, oldest first.
std::string calendar_table(const Calendar& c, const Names& names) {
  std::string out = "<table>\n<caption>Days with a check-in</caption>\n";
  out += "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">" + e(names.me) + "</th>";
  if (c.with_partner) out += "<th scope=\"col\">" + e(names.partner) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  auto word = [](DayCapacity d) {
    return d == DayCapacity::kNone ? std::string("no check-in") : std::string(capacity_name(d));
  };
  for (size_t i = 0; i < c.mine.size(); ++i) {
    const DayCapacity mine = c.mine[i];
    const DayCapacity partner = c.with_partner ? c.partner[i] : DayCapacity::kNone;
    if (mine == DayCapacity::kNone && partner == DayCapacity::kNone) continue;
    out += "<tr><th scope=\"row\">" + e(long_date(c.first + static_cast<DayNumber>(i))) +
           "</th><td>" + word(mine) + "</td>";
    if (c.with_partner) out += "<td>" + word(partner) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

void calendar_section(std::string& out, const ExportData& data, const Names& names, int64_t now) {
  out += "<section aria-labelledby=\"capacity\">\n<h2 id=\"capacity\">Capacity by day</h2>\n";
  const DayNumber today = local_day_number(now);
  DayNumber start = today + 1;
  for (const CheckIn& c : data.check_ins) start = std::min(start, local_day_number(c.at));
  if (data.scope.since != 0 && !data.check_ins.empty()) start = local_day_number(data.scope.since);
  const int spanned = weeks_spanned(start, today);
  if (data.check_ins.empty() || spanned == 0) {
    out += "<p>No check-ins in this export, so there is no calendar.</p>\n</section>\n";
    return;
  }
  const int weeks = std::min(spanned, kMaxCalendarWeeks);
  const bool with_partner =
      !data.scope.only_mine &&
      (data.status.partner.paired || std::any_of(data.check_ins.begin(), data.check_ins.end(),
                                                 [](const CheckIn& c) { return !c.mine; }));
  const Calendar calendar = build_calendar(data.check_ins, now, weeks, with_partner);

  std::string intro =
      "A check-in answers \"how much can I carry today?\" with green, yellow or red. Each day "
      "shows the lowest capacity noted that day; a dot means no check-in.";
  if (with_partner) {
    intro += " " + capitalized(names.partners()) + " row holds only the check-ins " +
             names.partner_in_text() + " shared.";
  }
  if (spanned > weeks) {
    intro += " The calendar shows the last " + std::to_string(kMaxCalendarWeeks) +
             " weeks; every check-in is listed below.";
  }
  out += "<p>" + e(intro) + "</p>\n";
  out += "<div class=\"calendar\">\n" + calendar_svg(calendar, names) +
         calendar_table(calendar, names) + "</div>\n</section>\n";
}

// ---------------------------------------------------------------- entries

std::string feelings_of(const std::vector<std::string>& feelings) {
  std::vector<std::string> items;
  for (const auto& f : feelings) items.push_back(std::string(trim(f)));
  return join(items, ", ");
}

std::string paragraph(std::string_view cls, const std::string& raw) {
  return "<p class=\"" + std::string(cls) + "\">" + e(raw) + "</p>\n";
}

void check_in_entry(std::string& out, const CheckIn& c, const Names& names) {
  out += "<article class=\"entry\">\n";
  std::string meta =
      when(c.at) + " · " + names.who(c.mine) + " · " + (c.shared ? "shared" : "private");
  if (c.archived) meta += " · archived";
  out += paragraph("meta", meta);
  out += "<p>Capacity: <strong>" + e(c.capacity) + "</strong></p>\n";
  if (!c.feelings.empty()) out += "<p>" + e("Feelings: " + feelings_of(c.feelings)) + "</p>\n";
  if (!c.need.empty()) out += "<p>" + e("Need: " + std::string(trim(c.need))) + "</p>\n";
  if (!c.replies.empty()) {
    out += "<ul class=\"replies\">\n";
    for (const auto& r : c.replies) {
      out += "<li>" +
             e(names.who(r.mine) + " replied, " + when(r.at) + ": " + std::string(trim(r.text))) +
             "</li>\n";
    }
    out += "</ul>\n";
  }
  out += "</article>\n";
}

void reflection_entry(std::string& out, const Reflection& r, const Names& names) {
  out += "<article class=\"entry\">\n";
  std::string meta =
      when(r.created_at) + " · " + names.who(r.mine) + " · " + (r.shared ? "shared" : "private");
  if (r.appreciation) meta += " · an appreciation";
  if (r.archived) meta += " · archived";
  out += paragraph("meta", meta);
  if (!r.content_note.empty())
    out += paragraph("note", "Content note: " + std::string(trim(r.content_note)));
  if (r.words_hidden) {
    out += "<p class=\"note\">The words wait behind the content note; <code>hearth reflect show " +
           e(short_id(r.id)) + "</code> opens them.</p>\n";
  } else {
    out += "<div class=\"text\">" + e(trim(r.text)) + "</div>\n";
  }
  if (!r.feelings.empty()) out += "<p>" + e("Feelings: " + feelings_of(r.feelings)) + "</p>\n";
  std::vector<std::string> notes;
  if (r.updated_at != 0 && r.updated_at != r.created_at)
    notes.push_back("Edited " + when(r.updated_at));
  if (!r.reply_to.empty()) notes.push_back("In reply to " + short_id(r.reply_to));
  if (!r.prompt_id.empty()) notes.push_back("Prompt: " + std::string(trim(r.prompt_id)));
  if (!notes.empty()) out += paragraph("meta", join(notes, " · "));
  if (r.history.size() > 1) {
    out += "<div class=\"history\">\n<h4>Earlier versions</h4>\n<ol>\n";
    for (size_t i = 0; i + 1 < r.history.size(); ++i) {
      const Version& v = r.history[i];
      out += "<li>" + paragraph("meta", when(v.at) + (v.shared ? " · shared" : " · private")) +
             "<div class=\"text\">" + e(trim(v.text)) + "</div></li>\n";
    }
    out += "</ol>\n</div>\n";
  }
  out += "</article>\n";
}

std::string agreement_status(std::string_view status) {
  if (status == "proposed") return "proposed, waiting for an answer";
  if (status == "agreed") return "agreed";
  if (status == "renegotiating") return "agreed; a new wording waits for an answer";
  if (status == "declined") return "declined";
  if (status == "discussing") return "to talk over";
  if (status == "withdrawn") return "left";
  return std::string(status);
}

std::string answer(const Names& names, bool mine, std::string_view response,
                   std::string_view note) {
  std::string out = names.who(mine) + ": " + response_words(response);
  if (!note.empty()) out += " ('" + std::string(trim(note)) + "')";
  return out;
}

void boundary_entry(std::string& out, const Boundary& b, const Names& names) {
  const bool limit = b.kind == "limit";
  out += "<article class=\"entry\">\n";
  std::string meta;
  if (limit) {
    meta = (b.proposed_by_me ? names.my() : names.partners()) + " limit · " +
           (b.status == "retired" ? "retired" : "in force") + " · set " + when(b.created_at);
    meta[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(meta[0])));
  } else {
    meta = "Agreement · " + agreement_status(b.status) + " · proposed by " +
           names.who(b.proposed_by_me) + " · " + when(b.created_at);
  }
  out += paragraph("meta", meta);
  if (b.status == "renegotiating" && !b.in_force_text.empty()) {
    out += "<p>" + e("In force: " + std::string(trim(b.in_force_text))) + "</p>\n";
    out += "<p>" + e("Proposed change: " + std::string(trim(b.text))) + "</p>\n";
  } else {
    out += "<div class=\"text\">" + e(trim(b.text)) + "</div>\n";
  }
  if (!b.category.empty()) out += paragraph("meta", "Category: " + std::string(trim(b.category)));
  if (b.status == "withdrawn" || b.status == "retired") {
    std::string left =
        std::string(limit ? "Retired by " : "Left by ") + names.who(b.withdrawn_by_me);
    if (!b.withdraw_note.empty()) left += " ('" + std::string(trim(b.withdraw_note)) + "')";
    out += "<p>" + e(left + "; it is no longer in force.") + "</p>\n";
  }
  if (limit && b.status == "in_force" && b.proposed_by_me && b.acknowledged)
    out += "<p>" + e(names.partner + " has read it.") + "</p>\n";
  if (b.status == "declined" && b.ask_again_after != 0) {
    out +=
        "<p>" +
        e("Asked to be asked again after " + long_date(local_day_number(b.ask_again_after)) + ".") +
        "</p>\n";
  }
  if (!limit && b.revisions.size() == 1) {
    const Revision& r = b.revisions.front();
    out += paragraph("meta", "Answers: " + answer(names, true, r.my_response, r.my_note) + "; " +
                                 answer(names, false, r.partner_response, r.partner_note));
  } else if (b.revisions.size() > 1) {
    out += "<div class=\"history\">\n<h4>" + std::string(limit ? "Wordings" : "Revisions") +
           ", oldest first</h4>\n<ol>\n";
    for (const auto& r : b.revisions) {
      std::string line = names.who(r.mine) + ", " + when(r.at) + ": " + std::string(trim(r.text));
      if (!limit) {
        line += " — " + answer(names, true, r.my_response, r.my_note) + "; " +
                answer(names, false, r.partner_response, r.partner_note);
      }
      out += "<li>" + e(line) + "</li>\n";
    }
    out += "</ol>\n</div>\n";
  }
  out += "</article>\n";
}

void check_ins_section(std::string& out, const ExportData& data, const Names& names) {
  out += "<section aria-labelledby=\"checkins\">\n<h2 id=\"checkins\">Check-ins</h2>\n";
  if (data.check_ins.empty()) out += "<p>None.</p>\n";
  for (const auto& c : oldest_first(data.check_ins, [](const CheckIn& c) { return c.at; }))
    check_in_entry(out, c, names);
  out += "</section>\n";
}

void boundaries_section(std::string& out, const ExportData& data, const Names& names) {
  out +=
      "<section aria-labelledby=\"boundaries\">\n<h2 id=\"boundaries\">Limits and "
      "agreements</h2>\n";
  const auto boundaries =
      oldest_first(data.boundaries, [](const Boundary& b) { return b.created_at; });
  for (bool limits : {true, false}) {
    out += limits ? "<h3>Limits</h3>\n" : "<h3>Agreements</h3>\n";
    bool any = false;
    for (const auto& b : boundaries) {
      if ((b.kind == "limit") != limits) continue;
      boundary_entry(out, b, names);
      any = true;
    }
    if (!any) out += "<p>None.</p>\n";
  }
  out += "</section>\n";
}

}  // namespace

std::string html_escape(std::string_view s) {
  const std::string safe = terminal_safe(s, true);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<size_t> write_export_html(const ExportData& data, int64_t now, const ReflectionPages& pages,
                                 const ExportSink& sink) {
  const Names names = names_of(data.status);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + e(names.me_named ? "Hearth journal of " + names.me : "Hearth journal") +
         "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>Hearth journal</h1>\n";

  std::string journal = "the private journal";
  if (names.me_named) journal += " that " + names.me + " keeps";
  if (names.partner_named) {
    journal += (names.me_named ? " with " : " kept with ") + names.partner;
  }
  const std::string computer = names.me_named ? names.me + "'s computer" : "this computer";
  out += paragraph("lede", "Entries from Hearth, " + journal + ", taken from " + computer + " on " +
                               when(now) +
                               ": check-ins, reflections, limits and agreements, oldest first.");
  out += paragraph("private",
                   "It is private. It is plaintext, not encrypted: anyone who can open this file "
                   "can read every entry in it. Keep it somewhere safe, and delete it when it is "
                   "no longer needed.");
  if (data.scope.since != 0) {
    out += paragraph("meta", "Only entries written on or after " +
                                 long_date(local_day_number(data.scope.since)) + ".");
  }
  if (data.scope.only_mine) {
    out += paragraph("meta", "Only " + names.my() + " own entries: " + names.partners() +
                                 " entries, replies and notes are left out.");
  }
  calendar_section(out, data, names, now);
  check_ins_section(out, data, names);

  out += "<section aria-labelledby=\"reflections\">\n<h2 id=\"reflections\">Reflections</h2>\n";
  HEARTH_ASSIGN_OR_RETURN(
      const size_t written,
      each_in_scope(
          data.scope, pages, [&](const Reflection& r) { reflection_entry(out, r, names); },
          [&](size_t count) { return sink(std::exchange(out, std::string()), count); }));
  if (written == 0) out += "<p>None.</p>\n";
  out += "</section>\n";

  boundaries_section(out, data, names);
  out += "<footer>\n<p>Written by <code>hearth export --format html</code> from the device " +
         e(data.status.device_id) + ".</p>\n</footer>\n</main>\n</body>\n</html>\n";
  HEARTH_TRY(sink(std::move(out), written));
  return written;
}

std::string export_html(const ExportData& data, int64_t now) {
  std::string doc;
  auto written = write_export_html(data, now, pages_of(data), [&doc](std::string piece, size_t) {
    doc += piece;
    return Status::ok();
  });
  HEARTH_ASSERT(written.is_ok(), "an export in memory cannot fail");
  return doc;
}

}  // namespace hearth::client
