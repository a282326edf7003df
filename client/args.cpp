#include "client/args.h"

#include <cctype>

#include "client/text.h"
#include "crypto/identity.h"

namespace hearth::client {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

Status duration_error(std::string_view text) {
  return Status::invalid("cannot read the duration '" + terminal_safe(text, false) +
                         "': write it like 30m, 90m, 2h or 1h30m");
}

Result<uint16_t> parse_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return Status::invalid("the port must be 1..65535");
  unsigned port = 0;
  for (char c : digits) {
    if (!is_digit(c)) return Status::invalid("the port must be 1..65535");
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port == 0 || port > 65535) return Status::invalid("the port must be 1..65535");
  return static_cast<uint16_t>(port);
}

bool valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

}  // namespace

Result<unsigned> parse_pause_duration(std::string_view text) {
  text = trim(text);
  if (text.empty()) return duration_error(text);
  unsigned total = 0;
  bool seen_hours = false;
  bool seen_minutes = false;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    unsigned n = 0;
    size_t digits = 0;
    while (i < text.size() && is_digit(text[i])) {
      if (++digits > 4) return duration_error(text);
      n = n * 10 + static_cast<unsigned>(text[i++] - '0');
    }
    if (digits == 0 || i == text.size()) return duration_error(text);
    const char unit = lower(text[i++]);
    if (unit == 'h' && !seen_hours && !seen_minutes) {
      seen_hours = true;
      total += n * 60;
    } else if (unit == 'm' && !seen_minutes) {
      seen_minutes = true;
      total += n;
    } else {
      return duration_error(text);
    }
  }
  if (total < kMinPauseMinutes || total > kMaxPauseMinutes)
    return Status::invalid("a pause lasts from 20 minutes to 24 hours (for example 30m or 2h)");
  return total;
}

Result<std::string> parse_id_prefix(std::string_view text) {
  text = trim(text);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return Status::invalid("'" + terminal_safe(text, false) +
                             "' is not an entry id: use the hex id shown by the list commands");
    out += lower(c);
  }
  if (out.size() < kMinIdPrefix)
    return Status::invalid("an id needs at least 4 characters, as shown by the list commands");
  if (out.size() > kMaxIdPrefix) return Status::invalid("that id is longer than any entry id");
  return out;
}

Result<std::string> parse_device_id_arg(std::string_view text) {
  Result<Key32> key = crypto::parse_device_id(trim(text));
  if (!key) {
    // The reason (length, a character, or a typo the check characters
    // caught), then what to do about it.
    return Status::invalid(terminal_safe(key.status().message(), false) +
                           ". Copy it exactly as `hearth id` prints it on your partner's "
                           "computer");
  }
  return crypto::format_device_id(*key);
}

Result<std::string> parse_address(std::string_view text) {
  text = trim(text);
  const Status bad = Status::invalid(
      "write the address as HOST:PORT, for example 192.168.1.20:" + std::to_string(kDefaultPort) +
      " or [fe80::1]:" + std::to_string(kDefaultPort));
  if (text.empty()) return bad;
  std::string_view host;
  std::string_view port;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return bad;
    host = text.substr(1, close - 1);
    for (char c : host)
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.' && c != '%')
        return bad;
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad;
      port = rest.substr(1);
      if (port.empty()) return bad;
    }
  } else {
    const size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos)
      return Status::invalid("put an IPv6 address in brackets, for example [fe80::1]:" +
                             std::to_string(kDefaultPort));
    host = text.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      if (port.empty()) return bad;
    }
    if (host.empty()) return bad;
    for (char c : host)
      if (!valid_host_char(c)) return bad;
  }
  uint16_t port_number = kDefaultPort;
  if (!port.empty()) {
    HEARTH_ASSIGN_OR_RETURN(port_number, parse_port(port));
  }
  const bool v6 = text.front() == '[';
  return (v6 ? "[" : "") + std::string(host) + (v6 ? "]:" : ":") + std::to_string(port_number);
}

Result<Capacity> parse_capacity(std::string_view text) {
  std::string t;
  for (char c : trim(text)) t += lower(c);
  if (t == "green") return Capacity::kGreen;
  if (t == "yellow") return Capacity::kYellow;
  if (t == "red") return Capacity::kRed;
  return Status::invalid("capacity is green, yellow or red");
}

Result<std::string> parse_feeling(std::string_view text) {
  text = trim(text);
  if (text.empty()) return Status::invalid("a feeling cannot be empty");
  if (text.find('\n') != std::string_view::npos)
    return Status::invalid("a feeling is a word or a short phrase on one line");
  HEARTH_TRY(model::check_text(text, model::kMaxFeeling, "a feeling", true));
  return std::string(text);
}

}  // namespace hearth::client
