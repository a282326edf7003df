#include "prompts/deck.h"
#include "prompts/embedded_decks.h"
#include "util/assert.h"

namespace hearth::prompts {

std::span<const Deck> builtin_decks() {
  static const std::vector<Deck> decks = [] {
    std::vector<Deck> out;
    for (const EmbeddedDeck& e : embedded_decks()) {
      auto deck = parse_deck(e.name, e.text);
      HEARTH_ASSERT(deck.is_ok(), "a built-in deck was checked when Hearth was built");
      out.push_back(std::move(deck).value());
    }
    return out;
  }();
  return decks;
}

const Prompt* find_builtin(std::string_view id) {
  const Deck* deck = deck_of(id);
  if (deck == nullptr) return nullptr;
  for (const Prompt& p : deck->prompts)
    if (p.id == id) return &p;
  return nullptr;
}

const Deck* deck_of(std::string_view id) {
  const size_t dash = id.rfind('-');
  if (dash == std::string_view::npos) return nullptr;
  for (const Deck& d : builtin_decks())
    if (d.id == id.substr(0, dash)) return &d;
  return nullptr;
}

}  // namespace hearth::prompts
