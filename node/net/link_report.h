// What the activity log (`hearth log`) says when a session with the partner
// ends. Messages are Hearth's own words: reasons and counts, never anything a
// person wrote.
#pragma once

#include <optional>
#include <string>

#include "net/peer_link.h"

namespace hearth::net {

struct LinkReport {
  const char* level;  // "info" | "warn"
  std::string message;
};

// nullopt for ends not worth a line (a duplicate connection closed).
std::optional<LinkReport> describe_end(const LinkEnd& end);

}  // namespace hearth::net
