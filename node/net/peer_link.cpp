#include "net/peer_link.h"

#include <sodium.h>

#include <asio/experimental/awaitable_operators.hpp>

#include "net/asio_util.h"
#include "net/noise_io.h"
#include "util/secret.h"

namespace hearth::net {
namespace {

using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

std::optional<wire::Bye> as_bye(ByteView message) {
  auto decoded = wire::decode_peer_message(message);
  if (!decoded || !std::holds_alternative<wire::Bye>(*decoded)) return std::nullopt;
  return std::get<wire::Bye>(std::move(*decoded));
}

// A received detail is the other daemon's text: keep printable ASCII only.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, wire::kMaxByeDetail)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

uint64_t random_nonce() {
  uint64_t nonce = 0;
  randombytes_buf(&nonce, sizeof nonce);
  return nonce;
}

}  // namespace

PeerLink::PeerLink(asio::ip::tcp::socket socket, crypto::noise::TransportPair transport,
                   const Key32& partner, bool we_dialed, std::string remote,
                   sync::SessionContext session, LinkTimings timings)
    : socket_(std::move(socket)),
      sealer_(std::move(transport.send)),
      opener_(std::move(transport.recv)),
      peer_(partner),
      we_dialed_(we_dialed),
      remote_(std::move(remote)),
      timings_(timings),
      session_(std::move(session), partner, *this),
      proven_(we_dialed),
      wake_writer_(socket_.get_executor(), Clock::time_point::max()),
      keepalive_timer_(socket_.get_executor(), Clock::time_point::max()),
      started_(Clock::now()),
      last_sent_(started_),
      last_received_(started_) {}

asio::awaitable<LinkEnd> PeerLink::run() {
  auto self = shared_from_this();  // the lifetime of this call
  started_ = last_sent_ = last_received_ = Clock::now();
  if (!end_) {
    if (auto ended = session_.start()) close(ended->reason, std::move(ended->detail));
  }
  co_await (read_loop() || write_loop() || keepalive_loop());
  session_.stop();
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (!end_) end_ = LinkEnd{LinkEnd::How::kPeerClosed, wire::ByeReason::kNormal, "closed"};
  co_return *end_;
}

void PeerLink::close(wire::ByeReason reason, std::string detail) {
  finish(LinkEnd{LinkEnd::How::kWeSaidBye, reason, std::move(detail)}, true);
}

void PeerLink::drop(wire::ByeReason reason, std::string detail) {
  if (end_) return;
  finish(LinkEnd{LinkEnd::How::kWeSaidBye, reason, std::move(detail)}, false);
  // Closing the socket cancels the reader and writer now rather than at the
  // next wake-up.
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void PeerLink::on_local_change() {
  if (end_) return;
  if (auto ended = session_.on_local_change()) close(ended->reason, std::move(ended->detail));
}

void PeerLink::send(Bytes message) {
  if (end_) return;
  queued_bytes_ += message.size();
  queue_.push_back(std::move(message));
  last_sent_ = Clock::now();
  wake_writer_.cancel();
  if (queued_bytes_ > timings_.max_queued_bytes) {
    finish(LinkEnd{LinkEnd::How::kBroken, wire::ByeReason::kProtocolError,
                   "it does not read what this device sends (more than " +
                       std::to_string(timings_.max_queued_bytes >> 10) + " KiB waiting)"},
           false);
  }
}

void PeerLink::pong(uint64_t nonce) {
  if (end_) return;
  pong_ = nonce;  // one answer, to the latest Ping, however many arrived
  last_sent_ = Clock::now();
  wake_writer_.cancel();
}

void PeerLink::finish(LinkEnd end, bool send_bye) {
  if (end_) return;
  const wire::Bye bye{end.reason, end.detail};
  end_ = std::move(end);
  // What was queued is not sent: the next session starts from the heads.
  for (Bytes& m : queue_) wipe(m);
  queue_.clear();
  queued_bytes_ = 0;
  pong_.reset();
  if (send_bye) queue_.push_back(wire::encode_peer_message(bye));
  wake_writer_.cancel();
  keepalive_timer_.cancel();
}

asio::awaitable<void> PeerLink::read_loop() {
  Bytes frame;
  for (;;) {
    Status st = co_await read_noise_message(socket_, frame, crypto::noise::kTagBytes);
    if (!st.is_ok()) {
      const bool broken = st.code() == Code::kCorrupt;
      finish(LinkEnd{broken ? LinkEnd::How::kBroken : LinkEnd::How::kPeerClosed,
                     broken ? wire::ByeReason::kProtocolError : wire::ByeReason::kNormal,
                     st.message()},
             false);
      co_return;
    }
    last_received_ = Clock::now();
    if (end_) continue;  // saying goodbye: what arrives now is not read
    st = opener_.open(frame);
    if (!st.is_ok()) {
      finish(LinkEnd{LinkEnd::How::kBroken, wire::ByeReason::kProtocolError, st.message()}, false);
      co_return;
    }
    if (!proven_) {
      proven_ = true;
      if (on_proven_) std::exchange(on_proven_, nullptr)();
      if (end_) continue;  // the hook closed it (another link is kept)
    }
    while (auto message = opener_.next()) {
      if (end_) {  // ended meanwhile (dropped, or it stopped reading): read no more
        wipe(*message);
        continue;
      }
      auto ended = session_.on_message(*message);
      const auto bye = ended ? as_bye(*message) : std::nullopt;
      wipe(*message);  // a Hello carries log keys
      if (!ended) continue;
      if (bye) {
        finish(LinkEnd{LinkEnd::How::kPeerSaidBye, bye->reason, printable(bye->detail)}, false);
        co_return;
      }
      finish(LinkEnd{LinkEnd::How::kWeSaidBye, ended->reason, std::move(ended->detail)}, true);
      break;
    }
  }
}

asio::awaitable<void> PeerLink::write_loop() {
  for (;;) {
    if (pong_) queue_.push_back(wire::encode_peer_message(wire::Pong{*std::exchange(pong_, {})}));
    if (!queue_.empty()) {
      std::vector<Bytes> framed;
      {
        std::vector<Bytes> batch;
        batch.swap(queue_);
        queued_bytes_ = 0;
        Status st = sealer_.seal(batch, framed);
        for (Bytes& m : batch) wipe(m);  // plaintext; a Hello carries log keys
        if (!st.is_ok()) {
          finish(LinkEnd{LinkEnd::How::kBroken, wire::ByeReason::kProtocolError, st.message()},
                 false);
          co_return;
        }
      }
      Status st = co_await write_framed(socket_, framed);
      if (!st.is_ok()) {
        finish(LinkEnd{LinkEnd::How::kPeerClosed, wire::ByeReason::kNormal, st.message()}, false);
        co_return;
      }
      continue;
    }
    if (end_) co_return;  // the Bye, if any, is out
    wake_writer_.expires_at(Clock::time_point::max());
    co_await wake_writer_.async_wait(use_tuple);
  }
}

asio::awaitable<void> PeerLink::keepalive_loop() {
  for (;;) {
    if (end_) {
      // Ending: the writer has this long to send the Bye.
      keepalive_timer_.expires_after(timings_.close_flush);
      co_await keepalive_timer_.async_wait(use_tuple);
      co_return;
    }
    const auto now = Clock::now();
    if (!proven_ && now - started_ >= timings_.prove_within) {
      // A replayed message 1 opens a link nobody at the other end can use.
      finish(LinkEnd{LinkEnd::How::kPeerClosed, wire::ByeReason::kTimeout,
                     "the device that dialed sent nothing this device could open"},
             false);
      continue;
    }
    if (now - last_received_ >= timings_.idle_timeout) {
      const auto ms = timings_.idle_timeout.count();
      finish(LinkEnd{LinkEnd::How::kWeSaidBye, wire::ByeReason::kTimeout,
                     "nothing received for " + (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s"
                                                               : std::to_string(ms) + " ms")},
             true);
      continue;
    }
    if (now - last_sent_ >= timings_.ping_after)
      send(wire::encode_peer_message(wire::Ping{random_nonce()}));
    auto wake = std::min(last_received_ + timings_.idle_timeout, last_sent_ + timings_.ping_after);
    if (!proven_) wake = std::min(wake, started_ + timings_.prove_within);
    keepalive_timer_.expires_at(wake);
    co_await keepalive_timer_.async_wait(use_tuple);
  }
}

}  // namespace hearth::net
