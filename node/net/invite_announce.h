// Invite announcements (schema/PROTOCOL.md §5.5): while `hearth pair
// invite` runs, the inviting daemon says on the local network that an
// invite is open, and on which TCP port; `hearth pair join CODE` without
// --address listens for that and tries the devices it heard.
//
// An announcement is 17 bytes of UDP payload, sent to the discovery targets
// (the local network's broadcast address, UDP 7420) at once and every
// `interval` while the invite is open:
//
//   "HEARTH-INVITE/1" (15 ASCII bytes) || TCP port (2, BE)
//
// It carries nothing derived from the code, the keys or the device: every
// inviter on one port sends the same bytes, so hearing one tells nothing a
// guess of the code could be checked against. Each join attempt is still
// the online CPace exchange, with the invite's 3 attempts (§5.2). What it
// does tell: that someone on this network has an invite open now.
//
// Single-threaded: the daemon's io thread.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/address.h"
#include "net/spawn.h"
#include "util/bytes.h"
#include "util/status.h"

namespace hearth::net {

inline constexpr std::string_view kInviteMagic = "HEARTH-INVITE/1";
inline constexpr size_t kInviteAnnouncementBytes = kInviteMagic.size() + 2;  // 17

Bytes make_invite_announcement(uint16_t port);
// The announced TCP port; nullopt unless `packet` is exactly an announcement
// with a port other than 0.
std::optional<uint16_t> read_invite_announcement(ByteView packet);

struct InviteAnnounceOptions {
  // Where announcements go (hearthd: the discovery targets).
  std::vector<asio::ip::udp::endpoint> targets;
  // The address to send from, so that joiners dial the address hearthd
  // listens on (a fixed listen-address); empty: the system chooses.
  std::string source;
  std::chrono::milliseconds interval{2000};
  // The UDP port a joiner listens on; nullopt: joining without an address
  // is not possible (`hearthd --discovery-port 0`). 0: any free port (tests).
  std::optional<uint16_t> listen_port = 7420;
  // How long a joiner listens for a first announcement...
  std::chrono::milliseconds find_timeout{30'000};
  // ...and for others after it, so that two invites on one network are both
  // tried rather than whichever was heard first.
  std::chrono::milliseconds settle{2'500};
  // At most this many inviters are tried, in the order heard: each try is
  // one online guess for whoever announced, so a network full of
  // announcements cannot turn one join into many guesses.
  size_t max_inviters = 3;
};

// Sends announcements while started. Created by create(); its coroutine
// holds a shared_ptr to it.
class InviteAnnouncer : public std::enable_shared_from_this<InviteAnnouncer> {
 public:
  static std::shared_ptr<InviteAnnouncer> create(asio::any_io_executor executor,
                                                 InviteAnnounceOptions options);
  // Announces `port` from now on, the first at once. Again with another port
  // replaces it.
  void start(uint16_t port);
  // No more announcements (the invite ended).
  void stop();
  // Ends its coroutine at once (the daemon locks).
  void cancel_pending() { tasks_.cancel_all(); }
  size_t sent() const { return sent_; }

 private:
  InviteAnnouncer(asio::any_io_executor executor, InviteAnnounceOptions options);
  asio::awaitable<void> send_loop();

  asio::any_io_executor executor_;
  TaskGroup tasks_;
  InviteAnnounceOptions options_;
  asio::ip::udp::socket socket_;
  asio::steady_timer wake_;
  uint16_t port_ = 0;  // 0: not announcing
  bool running_ = false;
  size_t sent_ = 0;
};

// Listens on options.listen_port for announcements: the addresses (sender IP
// and announced port) of up to max_inviters inviters heard within `settle`
// of the first, in the order heard. kUnavailable when none was heard in
// find_timeout, or the port cannot be listened on. Anything else heard on
// the port is ignored. Call it on the io thread; it ends early when its
// coroutine is cancelled.
asio::awaitable<Result<std::vector<Address>>> find_inviters(InviteAnnounceOptions options);

}  // namespace hearth::net
