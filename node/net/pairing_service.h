// Code pairing in the daemon (schema/PROTOCOL.md §5.2): the one open invite, the
// inviter's side of pairing connections from the listener, and joins.
//
// - An invite is valid until it expires (invite_ttl, 10 minutes), for
//   Invite::kMaxAttempts answered attempts, and for one success. Every P1
//   answered costs an attempt, whatever happens next; after the last failed
//   one the invite ends. It also ends when its client goes away.
// - Pairing connections wait for their P1 (at most proto::kPairingRequestTimeout
//   each) in a pool of their own: at most kMaxWaitingPerSource from one
//   source and kMaxWaiting in all, the oldest closed to make room for a new
//   one; while no invite is open they are closed at once, unanswered. One
//   exchange runs at a time: from the P1 it answers to its end, with at most
//   proto::kPairingReplyTimeout for each of the joiner's later messages; a P1 that
//   arrives meanwhile is not answered. One source may use at most
//   Invite::kMaxAttemptsPerSource of the attempts. So a connection that
//   sends nothing cannot keep a partner from joining, one that sends a bare
//   P1 holds the exchange for seconds and costs one attempt, and one address
//   alone cannot end the invite.
// - The invite's owner hears at once (InviteEvents::on_notice) of each
//   attempt, with the joiner's address, and of each joiner turned away
//   (busy, attempts of its address used up, too many waiting).
// - Either side stores the partner only once the exchange verified: the
//   inviter after N3, before it sends N4; the joiner after N4. Then the
//   activity log records it and `on_paired` runs (sync and discovery start).
//
// Single-threaded: the daemon's io thread. Created by create(); every
// coroutine it starts holds a shared_ptr to it. The Unlocked state must
// outlive the io_context's pending work.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "runtime/daemon_state.h"
#include "runtime/network.h"
#include "net/invite_announce.h"
#include "proto/pairing.h"
#include "net/spawn.h"
#include "net/pending_pool.h"

namespace hearth::net {

struct PairingOptions {
  uint16_t listen_port = 0;  // told to the partner; 0: not listening, invites refused
  std::chrono::milliseconds invite_ttl{10 * 60 * 1000};
  std::chrono::milliseconds exchange_timeout{proto::kPairingTimeout};
  // Invite announcements while an invite is open, and finding one for a join
  // without an address (net/invite_announce.h); both only while the
  // `discovery` setting is on.
  InviteAnnounceOptions announce;
  // Runs when an invite opens (true) and when it ends (false): hearthd then
  // listens where the partner's device can reach it (net/listen_control.h).
  std::function<void(bool open)> on_invite_change;
};

// The invite's rules, without sockets or timers.
class Invite {
 public:
  static constexpr int kMaxAttempts = 3;
  static constexpr int kMaxAttemptsPerSource = 2;

  Invite(uint64_t id, std::string code, int64_t expires_at_ms)
      : id_(id), code_(Secret::copy_of(code)), expires_at_ms_(expires_at_ms) {
    wipe(code);
  }

  uint64_t id() const { return id_; }
  const Secret& code() const { return code_; }
  int64_t expires_at_ms() const { return expires_at_ms_; }
  bool expired(int64_t now_ms) const { return now_ms >= expires_at_ms_; }
  int attempts_left() const { return kMaxAttempts - attempts_; }
  // Whether another attempt may be answered at now_ms.
  bool may_answer(int64_t now_ms) const { return !expired(now_ms) && attempts_left() > 0; }
  // Whether `source` used its share of the attempts.
  bool source_used_up(const std::string& source) const;
  // Counts one answered attempt from `source`; false (and nothing counted)
  // if none may be answered, or none for that source.
  bool use_attempt(int64_t now_ms, const std::string& source);

 private:
  uint64_t id_;
  Secret code_;
  int64_t expires_at_ms_;
  int attempts_ = 0;
  std::map<std::string, int> by_source_;  // at most kMaxAttempts entries
};

class PairingService : public runtime::PairingControl,
                       public std::enable_shared_from_this<PairingService> {
 public:
  static constexpr size_t kMaxWaiting = 16;
  static constexpr size_t kMaxWaitingPerSource = 4;
  // Joiners turned away that the invite's owner hears of one by one; after
  // that, no more notices for that invite.
  static constexpr size_t kMaxTurnedAwayNotices = 16;

  static std::shared_ptr<PairingService> create(asio::any_io_executor executor,
                                                runtime::Unlocked& unlocked,
                                                std::function<void()> on_paired,
                                                PairingOptions options = {});

  // A connection from the listener whose prelude (0x02) was read.
  void accept(asio::ip::tcp::socket socket);
  // Ends the invite (its client hears that hearthd is stopping) and refuses
  // everything from now on.
  void stop();
  // Ends at once every pairing exchange and join under way (after stop(),
  // when the daemon locks). Once they have unwound, nothing refers to this
  // service.
  void cancel_pending() {
    tasks_.cancel_all();
    if (announcer_) announcer_->cancel_pending();
  }
  bool invite_open() const { return invite_.has_value(); }

  // runtime::PairingControl
  Result<runtime::InviteTicket> invite(runtime::InviteEvents events) override;
  void cancel_invite(uint64_t id) override;
  void join(std::string code, std::string address, bool send_earlier,
            std::function<void(Result<runtime::PairedPartner>)> done) override;

 private:
  class Gate;
  PairingService(asio::any_io_executor executor, runtime::Unlocked& unlocked,
                 std::function<void()> on_paired, PairingOptions options);
  void spawn(asio::awaitable<void> task, const char* what);
  asio::awaitable<void> answer(asio::ip::tcp::socket socket);
  asio::awaitable<void> run_join(std::string code, std::string address,
                                 std::function<void(Result<runtime::PairedPartner>)> done);
  void on_expiry_timer(uint64_t id);
  proto::PairingIdentity my_identity();
  // Stores the partner (one transaction), records it and tells on_paired.
  Status store_partner(const proto::PairingResult& result, const std::string& address);
  // An invite opened or ended: announcements and on_invite_change follow.
  void invite_changed(bool open);
  // Ends the open invite with `outcome` (no-op if `id` is not the open one).
  void end_invite(uint64_t id, Result<runtime::PairedPartner> outcome);
  // Tells the invite's owner and the activity log that a joiner at `source`
  // was turned away, and why; once per source and invite.
  void turned_away(const std::string& source, const std::string& why);

  asio::any_io_executor executor_;
  TaskGroup tasks_;  // every coroutine it starts
  runtime::Unlocked& u_;
  std::function<void()> on_paired_;
  PairingOptions options_;
  std::optional<Invite> invite_;
  std::shared_ptr<InviteAnnouncer> announcer_;  // made at the first invite
  runtime::InviteEvents events_;
  asio::steady_timer expiry_;
  uint64_t next_invite_id_ = 1;
  PendingPool waiting_{kMaxWaitingPerSource, kMaxWaiting};  // connections before their P1
  std::set<std::string> turned_away_;  // sources the owner heard of, this invite
  bool answering_ = false;  // an exchange is past its P1 (admitted)
  bool joining_ = false;
  // For the pairing in progress: send what was shared while unpaired.
  bool send_earlier_ = false;
  bool stopped_ = false;
};

}  // namespace hearth::net
