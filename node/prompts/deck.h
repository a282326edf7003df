// Prompt decks (docs/PROMPTS.md): questions written for Hearth, and the
// yes / no / maybe list, as data files in prompts/decks/*.deck.
//
// The files are checked when Hearth is built (prompts/embed_decks.cpp runs
// parse_deck() on each and fails the build on any error) and compiled into
// the daemon; builtin_decks() parses the embedded text once.
//
// Format (UTF-8, LF): `#` comment lines and blank lines are ignored; first
// header lines `key: value` (deck, version, title, about), then one prompt
// per line: `id | depth | text` (ids `<deck>-NNN`, increasing; depth 1..3),
// or for the yes / no / maybe deck `id | group | text` (group one of
// kYnmGroups).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace hearth::prompts {

inline constexpr std::string_view kYnmDeck = "ynm";
inline constexpr std::array<std::string_view, 4> kYnmGroups = {"touch", "closeness", "words",
                                                               "time"};
// Text limits: a prompt reads as one or two sentences, an item as a phrase.
inline constexpr size_t kMinPromptText = 10, kMaxPromptText = 200;
inline constexpr size_t kMinItemText = 5, kMaxItemText = 120;
inline constexpr size_t kMaxDeckBytes = 64 * 1024;

struct Prompt {
  std::string id;     // "again-001"
  uint8_t depth = 0;  // 1 light .. 3 deeper; 0 for a yes / no / maybe item
  std::string group;  // yes / no / maybe items only
  std::string text;
};

struct Deck {
  std::string id;  // the file's base name
  int version = 0;
  std::string title;
  std::string about;
  std::vector<Prompt> prompts;  // in file order
  bool is_ynm() const { return id == kYnmDeck; }
};

// Parses one deck file named `name` (its base name). kInvalidArgument names
// the line and what is wrong with it.
Result<Deck> parse_deck(std::string_view name, std::string_view text);

// Every built-in deck, in a fixed order (the question decks, then yes / no /
// maybe). Parsed once; never fails (the build checked them).
std::span<const Deck> builtin_decks();
// A built-in prompt or item by id; nullptr when there is none.
const Prompt* find_builtin(std::string_view id);
// The deck a built-in id belongs to ("again-001" -> "again"); nullptr if none.
const Deck* deck_of(std::string_view id);

}  // namespace hearth::prompts
