// Who may talk to `hearth ui` (docs/DESIGN.md §10): the pure checks behind
// every request, kept apart from the HTTP library so they can be tested alone.
//
// The server binds 127.0.0.1 only. On top of that, a request is served only
//   - when its Host header names exactly the address and port served
//     (a page on another site that rebinds its DNS name to 127.0.0.1 sends
//     its own name: refused);
//   - when it comes from a TCP connection owned by this user (another local
//     user's process connecting to the port is refused: peer_uid());
//   - for /api/, when it carries the session cookie, which only the page
//     opened with the launch secret (in the URL's fragment, which browsers
//     never send over the network) could obtain, once;
//   - for a state-changing request (POST), when its Origin is the served
//     origin, so a page elsewhere cannot make the browser act.
// All comparisons of secrets are constant-time (libsodium).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::client::ui {

// The largest request body read (a 64 KiB reflection, URL-encoded, where
// every non-ASCII byte takes three): httplib refuses a longer one with 413
// before reading it.
inline constexpr size_t kMaxBodyBytes = 256 * 1024;
// The largest single form field accepted; longer ones are refused with a
// sentence, not cut.
inline constexpr size_t kMaxFieldBytes = 64 * 1024;
inline constexpr std::string_view kCookieName = "hearth_ui";

// "127.0.0.1:PORT": the only Host accepted, and the origin without scheme.
std::string served_host(int port);
// "http://127.0.0.1:PORT".
std::string served_origin(int port);

// Host must equal served_host(port) exactly (ASCII case-insensitively).
bool host_allowed(std::string_view host_header, int port);
// Origin must equal served_origin(port). An absent Origin is refused too:
// browsers send it on every POST made by fetch().
bool origin_allowed(std::string_view origin_header, int port);
// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);
// Set-Cookie for a session: HttpOnly, SameSite=Strict, Path=/, no expiry
// (it ends with the browser session, and the server's secret with the server).
std::string session_cookie(std::string_view token);

// The launch secret and the session token. Thread-safe.
class Sessions {
 public:
  // Makes a fresh random launch secret (32 bytes, hex) and session token.
  Sessions();
  // For tests: fixed values.
  Sessions(std::string launch_secret, std::string token);

  const std::string& launch_secret() const { return secret_; }
  // The launch secret works once: the first right one returns the session
  // token, every later attempt (right or wrong) nothing. A wrong one does not
  // use it up, so a guess cannot lock the person out, but it is 256 bits.
  std::optional<std::string> exchange(std::string_view secret);
  // Whether a Cookie header carries the session token.
  bool valid_cookie(std::string_view cookie_header) const;

 private:
  mutable std::mutex mu_;
  std::string secret_;
  std::string token_;
  bool exchanged_ = false;
};

// Finds, in the text of /proc/net/tcp, the socket whose local end is
// peer_ip:peer_port and whose remote end is 127.0.0.1:server_port (the
// client's end of a connection to us), and returns its owner's uid.
// peer_ip is dotted IPv4 ("127.0.0.1"). nullopt when not found.
std::optional<uid_t> peer_uid(std::string_view proc_net_tcp, std::string_view peer_ip,
                              int peer_port, int server_port);

}  // namespace hearth::client::ui
