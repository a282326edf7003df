// Build step: checks every prompts/decks/*.deck with parse_deck() and the
// rules across decks (one id per prompt everywhere, one yes / no / maybe
// deck), then writes a C++ file holding their text. Any error fails the
// build, naming the file and line.
//
//   hearth_embed_decks OUT.cpp DECK...
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "prompts/deck.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: hearth_embed_decks OUT.cpp DECK...\n";
    return 2;
  }
  std::string body;
  std::set<std::string> ids;
  int ynm = 0;
  for (int i = 2; i < argc; ++i) {
    const std::string path = argv[i];
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << path << ": cannot be read\n";
      return 1;
    }
    std::string name = path.substr(path.find_last_of('/') + 1);
    name = name.substr(0, name.rfind(".deck"));
    auto deck = hearth::prompts::parse_deck(name, text.str());
    if (!deck.is_ok()) {
      std::cerr << path << ": " << deck.status().message() << "\n";
      return 1;
    }
    if (deck->is_ynm()) ++ynm;
    for (const auto& p : deck->prompts) {
      if (!ids.insert(p.id).second) {
        std::cerr << path << ": the id " << p.id << " is used twice\n";
        return 1;
      }
    }
    if (text.str().find(")hearthdeck\"") != std::string::npos) {
      std::cerr << path << ": holds the embedding's delimiter\n";
      return 1;
    }
    body += "    {\"" + name + "\", R\"hearthdeck(" + text.str() + ")hearthdeck\"},\n";
  }
  if (ynm != 1) {
    std::cerr << "there must be exactly one ynm.deck (the yes / no / maybe list)\n";
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out << "// Generated from prompts/decks by prompts/embed_decks.cpp. Do not edit.\n"
      << "#include \"prompts/embedded_decks.h\"\n\n"
      << "namespace hearth::prompts {\n\n"
      << "std::span<const EmbeddedDeck> embedded_decks() {\n"
      << "  static const EmbeddedDeck kDecks[] = {\n"
      << body << "  };\n  return kDecks;\n}\n\n}  // namespace hearth::prompts\n";
  return out ? 0 : 1;
}
