// Human output of `hearth`: calm, readable, no exclamation marks, no scores.
//
// Every function returns finished text (ending in a newline unless empty).
// Text that came from the daemon is passed through terminal_safe(). `now` is
// the current time in ms, used to write "today 16:32".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/reply.h"

namespace hearth::client {

// "you" / "your partner".
const char* who(bool mine);
// The text with its first letter in upper case ("alex" stays as typed after it).
std::string capitalized(std::string_view text);
// A boundary response in words: "agreed", "declined", "asked to talk it
// over", or "no answer yet" for "".
std::string response_words(std::string_view response);

// partner_name: how the partner is named ("" : "your partner").
std::string text_reflection(const Reflection& r, int64_t now, std::string_view partner_name = {});
// `limit`: the limit asked for (0: all), to say when older entries exist.
std::string text_reflections(const std::vector<Reflection>& list, uint32_t limit, int64_t now,
                             std::string_view partner_name = {});
std::string text_boundary(const Boundary& b, int64_t now, std::string_view partner_name = {});
std::string text_boundaries(const std::vector<Boundary>& list, uint32_t limit, int64_t now,
                            std::string_view partner_name = {});
std::string text_check_in(const CheckIn& c, int64_t now, std::string_view partner_name = {});
std::string text_check_ins(const std::vector<CheckIn>& list, uint32_t limit, int64_t now,
                           std::string_view partner_name = {});
std::string text_log(const std::vector<LogEntry>& list, uint32_t limit);
// A prompt with where it stands; both answers side by side once both are known.
std::string text_prompt(const Prompt& p, int64_t now, std::string_view partner_name = {});
std::string text_prompts(const std::vector<Prompt>& list, uint32_t limit, int64_t now,
                         std::string_view partner_name = {});
std::string text_decks(const std::vector<DeckInfo>& decks);
// A practice session's state in a line or two.
std::string text_practice(const PracticeInfo& p, int64_t now, std::string_view partner_name = {});
// The line shown, to its author alone, after several red days (docs/DESIGN.md §5.9).
inline constexpr const char* kCareLine =
    "Things have been heavy lately. If it would help to talk to someone, `hearth help crisis` "
    "lists people you can reach.\n";

// The day's page: the partner's pause first, what is new, an invitation to
// check in, today's prompt; each skippable, nothing counted.
std::string text_today(const TodayInfo& t, int64_t now);
// A yes / no / maybe round without pressure: what both said yes to first,
// then maybes, then "not now for one of you" (never who said no).
std::string text_ynm(const YnmInfo& y, int64_t now, std::string_view partner_name = {});
std::string text_peers(const std::vector<PeerInfo>& list);

// One line about an active pause ("Alex is pausing until 21:40 — 'need some
// air'."); empty when no pause is active.
std::string text_pause(const PauseInfo& p, int64_t now, std::string_view partner_name = {});
// "2 new entries wait until your pause ends."; empty for 0.
std::string text_waiting(uint32_t waiting);
// What comes before a list: the partner's active pause and what waits.
std::string text_overview(const Overview& o, int64_t now);
std::string text_status(const StatusInfo& s, int64_t now);
// "Your partner's device has 12 of your 12 shared entries." and more.
std::string text_sync(const SyncInfo& s);
// One line for a progress display, without a line end.
std::string text_sync_progress(const SyncInfo& s);
// One watched change; empty when there is nothing to say (no active pause).
std::string text_update(const Update& u, int64_t now, std::string_view partner_name = {});

}  // namespace hearth::client
