#include "prompts/deck.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "model/payload.h"

namespace hearth::prompts {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

Status at_line(std::string_view name, size_t line, const std::string& what) {
  return Status::invalid(std::string(name) + ".deck line " + std::to_string(line) + ": " + what);
}

bool is_group(std::string_view g) {
  return std::find(kYnmGroups.begin(), kYnmGroups.end(), g) != kYnmGroups.end();
}

// "<deck>-NNN" with exactly three digits.
bool is_id_of(std::string_view id, std::string_view deck) {
  if (id.size() != deck.size() + 4 || id.substr(0, deck.size()) != deck || id[deck.size()] != '-')
    return false;
  return std::all_of(id.end() - 3, id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<Deck> parse_deck(std::string_view name, std::string_view text) {
  if (text.size() > kMaxDeckBytes) return Status::invalid(std::string(name) + ".deck is too large");
  if (!model::is_valid_utf8(text)) return Status::invalid(std::string(name) + ".deck is not UTF-8");
  Deck deck;
  bool body = false;
  std::set<std::string> seen;
  size_t line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    ++line_no;
    start = end + 1;
    if (line.empty() || line.front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    const size_t bar = line.find(" | ");
    if (bar == std::string_view::npos) {
      if (body) return at_line(name, line_no, "a header line after the first prompt");
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) return at_line(name, line_no, "neither `key: value` nor a prompt");
      std::string_view key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
      if (key == "deck") {
        if (value != name) return at_line(name, line_no, "`deck:` must be the file's name");
        deck.id = value;
      } else if (key == "version") {
        auto r = std::from_chars(value.data(), value.data() + value.size(), deck.version);
        if (r.ec != std::errc() || r.ptr != value.data() + value.size() || deck.version < 1)
          return at_line(name, line_no, "`version:` is a whole number from 1");
      } else if (key == "title") {
        deck.title = value;
      } else if (key == "about") {
        deck.about = value;
      } else {
        return at_line(name, line_no, "unknown header `" + std::string(key) + "`");
      }
      if (end == text.size()) break;
      continue;
    }
    body = true;
    if (deck.id.empty() || deck.version == 0 || deck.title.empty() || deck.about.empty())
      return at_line(name, line_no, "the header needs deck, version, title and about first");
    const size_t bar2 = line.find(" | ", bar + 3);
    if (bar2 == std::string_view::npos) return at_line(name, line_no, "a prompt is `id | depth | text`");
    Prompt p;
    p.id = trim(line.substr(0, bar));
    std::string_view second = trim(line.substr(bar + 3, bar2 - bar - 3));
    p.text = trim(line.substr(bar2 + 3));
    if (!is_id_of(p.id, deck.id)) return at_line(name, line_no, "the id must be " + deck.id + "-NNN");
    if (!deck.prompts.empty() && p.id <= deck.prompts.back().id)
      return at_line(name, line_no, "ids must increase");
    if (!seen.insert(p.id).second) return at_line(name, line_no, "the id " + p.id + " repeats");
    if (p.text.find(" | ") != std::string::npos) return at_line(name, line_no, "a text holds ` | `");
    if (deck.is_ynm()) {
      if (!is_group(second)) return at_line(name, line_no, "the group must be touch, closeness, words or time");
      p.group = second;
      if (p.text.size() < kMinItemText || p.text.size() > kMaxItemText)
        return at_line(name, line_no, "an item is 5 to 120 bytes");
    } else {
      if (second.size() != 1 || second[0] < '1' || second[0] > '3')
        return at_line(name, line_no, "the depth is 1, 2 or 3");
      p.depth = static_cast<uint8_t>(second[0] - '0');
      if (p.text.size() < kMinPromptText || p.text.size() > kMaxPromptText)
        return at_line(name, line_no, "a prompt is 10 to 200 bytes");
    }
    deck.prompts.push_back(std::move(p));
    if (end == text.size()) break;
  }
  if (deck.id.empty() || deck.prompts.empty())
    return Status::invalid(std::string(name) + ".deck has no header or no prompts");
  return deck;
}

}  // namespace hearth::prompts
