// Peer addresses as users write them: HOST:PORT, [IPv6]:PORT, or HOST alone
// (port 7420). HOST is an IPv4 literal, an IPv6 literal in brackets, or a
// name (letters, digits, '.', '-', '_').
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace hearth::net {

inline constexpr uint16_t kDefaultPort = 7420;

struct Address {
  std::string host;  // without brackets
  uint16_t port = kDefaultPort;

  // The normalized form: "host:port", or "[v6]:port" for an IPv6 literal.
  // Two spellings of one address (e.g. a missing default port) give one text.
  std::string text() const;
  bool operator==(const Address&) const = default;
};

// Refuses (kInvalidArgument, with a message saying how to write it) an empty
// host, a port outside 1..65535, characters no host name has, and an IPv6
// literal without brackets.
Result<Address> parse_address(std::string_view text);

}  // namespace hearth::net
