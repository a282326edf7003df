// `hearth export --format html`: one self-contained page for a person to
// bring to a therapist (docs/DESIGN.md §5.3, §8.2).
//
// The page loads, links and runs nothing: no scripts, no external assets, no
// links, only inline CSS and an inline SVG. Every text that came from the
// daemon is escaped (html_escape). It says what it is and that it is
// private, then shows the capacity calendar (the same rule as `hearth checkin
// calendar`: a day's lowest capacity) as an SVG with a title and
// description, beside a table of the same days in words; then the entries,
// oldest first. It is printable and meets WCAG AA contrast.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "client/export.h"

namespace hearth::client {

// The fills of the calendar's days (and nothing else on the page), and the
// colour of the letter on each.
inline constexpr std::string_view kGreenFill = "#2e7d4f";
inline constexpr std::string_view kYellowFill = "#f2c14e";
inline constexpr std::string_view kRedFill = "#b3403a";

// `s` as HTML text or attribute value: & < > " ' as entities; control
// characters other than newline and tab, and invalid UTF-8, as U+FFFD.
std::string html_escape(std::string_view s);

// The page (UTF-8), written piece by piece as write_export_json is
// (export.h): the check-ins and limits come from `data`, the reflections
// from `pages`, one page at a time. The calendar spans the weeks from the first check-in in
// `data` (or from data.scope's day, when set) to the week of `now`, at most
// kMaxCalendarWeeks of them (the latest); the partner's row is left out
// with data.scope.only_mine.
Result<size_t> write_export_html(const ExportData& data, int64_t now, const ReflectionPages& pages,
                                 const ExportSink& sink);
// The same page in memory, its reflections from data.reflections.
std::string export_html(const ExportData& data, int64_t now);

}  // namespace hearth::client
