#include "net/address.h"

#include <asio/ip/address.hpp>

namespace hearth::net {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '-' ||
         c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status bad_address() {
  return Status::invalid(
      "write the address as HOST:PORT, for example 192.168.1.20:" + std::to_string(kDefaultPort) +
      " or [fe80::1]:" + std::to_string(kDefaultPort));
}

Result<uint16_t> parse_port(std::string_view digits) {
  const Status bad = Status::invalid("the port must be 1..65535");
  if (digits.empty() || digits.size() > 5) return bad;
  unsigned port = 0;
  for (char c : digits) {
    if (!is_digit(c)) return bad;
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port == 0 || port > 65535) return bad;
  return static_cast<uint16_t>(port);
}

}  // namespace

std::string Address::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Address> parse_address(std::string_view text) {
  text = trim(text);
  if (text.empty()) return bad_address();
  Address out;
  std::string_view port;
  bool has_port = false;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return bad_address();
    out.host = std::string(text.substr(1, close - 1));
    asio::error_code ec;
    asio::ip::make_address_v6(out.host, ec);
    if (ec) return bad_address();
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad_address();
      port = rest.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      return Status::invalid("put an IPv6 address in brackets, for example [fe80::1]:" +
                             std::to_string(kDefaultPort));
    }
    out.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      has_port = true;
    }
    if (out.host.empty() || out.host.size() > 253) return bad_address();
    for (char c : out.host)
      if (!is_name_char(c)) return bad_address();
  }
  if (has_port) {
    HEARTH_ASSIGN_OR_RETURN(out.port, parse_port(port));
  }
  return out;
}

}  // namespace hearth::net
