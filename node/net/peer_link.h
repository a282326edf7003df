// One authenticated connection with the partner's device: the sync Session
// over the Noise stream, with keepalive and idle timeouts.
//
// run() is the connection's coroutine. Inside it, a reader feeds every
// application message to the Session, a writer sends what the Session
// queues (all queued messages sealed together, one gathered write), and a
// keepalive sends Ping after `ping_after` of silence and ends the link with
// Bye{timeout} after `idle_timeout` without anything received. When the
// Session ends the link, or close() is called, the link sends Bye and closes;
// a received Bye, a message that does not decrypt or a broken stream close
// it at once.
//
// A link this device dialed is proven by the handshake (message 2 comes from
// the partner's key). A link the partner dialed is not: message 1 may be a
// recording. It is proven once the first transport message from the other
// end opens (only the device that made message 1 holds the keys for it); the
// on_proven hook runs then, before anything that message carries is read.
// One that is not proven within `prove_within` ends without a word.
//
// What waits to be sent is bounded: a Ping is answered by one Pong however
// many arrive before it goes out (the latest nonce), and a link whose
// queue passes LinkTimings::max_queued_bytes (the other end does not read)
// ends at once, without a Bye.
//
// Runs on the daemon's io thread only. A PeerLink is owned by shared_ptr;
// run() holds one for as long as it runs. The Unlocked state and the update
// hub must outlive it.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/noise.h"
#include "proto/noise_stream.h"
#include "sync/session.h"

namespace hearth::net {

struct LinkTimings {
  std::chrono::milliseconds ping_after{15'000};
  std::chrono::milliseconds idle_timeout{45'000};
  // How long a closing link may take to send its Bye.
  std::chrono::milliseconds close_flush{2'000};
  // How long a link the partner dialed has to prove itself (see above).
  std::chrono::milliseconds prove_within{10'000};
  // Bytes queued and not yet sealed past which the link ends: the Session
  // keeps at most 4 batches (about 8.5 MiB) unacknowledged; Acks and the one
  // Pong are small. Only tests lower it.
  size_t max_queued_bytes = size_t{12} << 20;
};

// Why a link ended.
struct LinkEnd {
  enum class How {
    kWeSaidBye,    // this side sent Bye{reason, detail}
    kPeerSaidBye,  // the partner's device sent Bye{reason}
    kPeerClosed,   // the stream ended or failed without a Bye
    kBroken,       // a message did not decrypt or broke the framing
  };
  How how = How::kPeerClosed;
  wire::ByeReason reason = wire::ByeReason::kNormal;
  std::string detail;  // Hearth's words; a received Bye's detail is made printable
};

class PeerLink : public std::enable_shared_from_this<PeerLink>, private sync::Outbox {
 public:
  // `remote` names the other end for logs ("192.0.2.4:7420").
  PeerLink(asio::ip::tcp::socket socket, crypto::noise::TransportPair transport,
           const Key32& partner, bool we_dialed, std::string remote,
           sync::SessionContext session, LinkTimings timings = {});

  // Sends Hello, runs the session and returns once the socket is closed.
  // Call once.
  asio::awaitable<LinkEnd> run();
  // Ends the link with Bye{reason, detail}; no-op once it is ending.
  void close(wire::ByeReason reason, std::string detail);
  // Ends the link at once without a word to the other device (unpairing is
  // silent): nothing more is read, written or stored. No-op once it is ending.
  void drop(wire::ByeReason reason, std::string detail);
  // This device committed a shared event: push it if the session can.
  void on_local_change();
  // Runs once when the link is proven (see above); never for a link this
  // device dialed. Set it before run().
  void set_on_proven(std::function<void()> hook) { on_proven_ = std::move(hook); }
  bool proven() const { return proven_; }

  // nullopt until the partner's Hello arrived (sync::Session::progress).
  std::optional<model::SyncFigures> figures() {
    if (!session_.hello_received()) return std::nullopt;
    return session_.progress();
  }
  bool we_dialed() const { return we_dialed_; }
  const Key32& peer() const { return peer_; }
  bool is_ending() const { return end_.has_value(); }
  const std::string& remote() const { return remote_; }
  std::chrono::steady_clock::time_point started() const { return started_; }

 private:
  void send(Bytes message) override;  // sync::Outbox
  void pong(uint64_t nonce) override;  // sync::Outbox
  // Records why the link ends (the first reason wins) and wakes the loops.
  void finish(LinkEnd end, bool send_bye);
  asio::awaitable<void> read_loop();
  asio::awaitable<void> write_loop();
  asio::awaitable<void> keepalive_loop();

  asio::ip::tcp::socket socket_;
  proto::StreamSealer sealer_;
  proto::StreamOpener opener_;
  Key32 peer_;
  bool we_dialed_;
  std::string remote_;
  LinkTimings timings_;
  sync::Session session_;
  std::vector<Bytes> queue_;
  size_t queued_bytes_ = 0;
  std::optional<uint64_t> pong_;  // the latest Ping's nonce, not answered yet
  bool proven_;
  std::function<void()> on_proven_;
  asio::steady_timer wake_writer_;
  asio::steady_timer keepalive_timer_;
  std::optional<LinkEnd> end_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_sent_;
  std::chrono::steady_clock::time_point last_received_;
};

}  // namespace hearth::net
