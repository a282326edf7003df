#include "client/ui/guard.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <charconv>

#include "crypto/sodium.h"

namespace hearth::client::ui {
namespace {

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Constant-time for equal lengths; lengths are not secret.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  sodium_memzero(raw.data(), raw.size());
  hex.resize(bytes * 2);
  return hex;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "0100007F:1F90" -> (address as /proc prints it, port).
bool parse_endpoint(std::string_view s, uint32_t& addr, int& port) {
  const size_t colon = s.find(':');
  if (colon != 8 || s.size() != 13) return false;
  auto a = std::from_chars(s.data(), s.data() + 8, addr, 16);
  unsigned p = 0;
  auto b = std::from_chars(s.data() + 9, s.data() + 13, p, 16);
  if (a.ec != std::errc() || a.ptr != s.data() + 8) return false;
  if (b.ec != std::errc() || b.ptr != s.data() + 13) return false;
  port = static_cast<int>(p);
  return true;
}

}  // namespace

std::string served_host(int port) { return "127.0.0.1:" + std::to_string(port); }
std::string served_origin(int port) { return "http://" + served_host(port); }

bool host_allowed(std::string_view host_header, int port) {
  return equal_fold(trim(host_header), served_host(port));
}

bool origin_allowed(std::string_view origin_header, int port) {
  return equal_fold(trim(origin_header), served_origin(port));
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) == name) return std::string(trim(pair.substr(eq + 1)));
  }
  return std::nullopt;
}

std::string session_cookie(std::string_view token) {
  return std::string(kCookieName) + "=" + std::string(token) +
         "; Path=/; HttpOnly; SameSite=Strict";
}

Sessions::Sessions() {
  crypto::sodium_ready();
  secret_ = random_hex(32);
  token_ = random_hex(32);
}

Sessions::Sessions(std::string launch_secret, std::string token)
    : secret_(std::move(launch_secret)), token_(std::move(token)) {}

std::optional<std::string> Sessions::exchange(std::string_view secret) {
  std::lock_guard lock(mu_);
  if (exchanged_ || !same_secret(secret, secret_)) return std::nullopt;
  exchanged_ = true;
  return token_;
}

bool Sessions::valid_cookie(std::string_view cookie_header) const {
  std::lock_guard lock(mu_);
  if (!exchanged_) return false;
  // Every cookie of that name is tried: a browser sends duplicates when
  // paths differ, and a stale one first must not hide the right one.
  std::string_view rest = cookie_header;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view pair = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != kCookieName) continue;
    if (same_secret(trim(pair.substr(eq + 1)), token_)) return true;
  }
  return false;
}

std::optional<uid_t> peer_uid(std::string_view table, std::string_view peer_ip, int peer_port,
                              int server_port) {
  in_addr peer{};
  const std::string ip(peer_ip);
  if (::inet_pton(AF_INET, ip.c_str(), &peer) != 1) return std::nullopt;
  in_addr loopback{};
  ::inet_pton(AF_INET, "127.0.0.1", &loopback);
  // /proc/net/tcp prints the address as the host-order number of the
  // network-order bytes.
  const uint32_t want_local = peer.s_addr;
  const uint32_t want_remote = loopback.s_addr;
  size_t pos = table.find('\n');  // the header line
  while (pos != std::string_view::npos && pos + 1 < table.size()) {
    const size_t end = table.find('\n', pos + 1);
    std::string_view line = table.substr(pos + 1, end == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : end - pos - 1);
    pos = end;
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
    std::string_view fields[8];
    size_t n = 0;
    std::string_view rest = line;
    while (n < 8) {
      rest = trim(rest);
      if (rest.empty()) break;
      const size_t sp = rest.find_first_of(" \t");
      fields[n++] = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp);
    }
    if (n < 8) continue;
    uint32_t local = 0, remote = 0;
    int lport = 0, rport = 0;
    if (!parse_endpoint(fields[1], local, lport) || !parse_endpoint(fields[2], remote, rport))
      continue;
    if (local != want_local || lport != peer_port || remote != want_remote ||
        rport != server_port)
      continue;
    unsigned uid = 0;
    auto r = std::from_chars(fields[7].data(), fields[7].data() + fields[7].size(), uid);
    if (r.ec != std::errc()) return std::nullopt;
    return static_cast<uid_t>(uid);
  }
  return std::nullopt;
}

}  // namespace hearth::client::ui
