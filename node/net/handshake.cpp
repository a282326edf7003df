#include "net/handshake.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "net/noise_stream.h"

namespace hearth::net {
namespace {

namespace noise = crypto::noise;
using namespace asio::experimental::awaitable_operators;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

// e (32) + s (32 + 16) + a 40-byte payload (32 + 8 + 16).
constexpr size_t kFirstPayloadBytes = sizeof(Key32) + kHandshakeTimestampBytes;
constexpr size_t kFirstMessageBytes = 32 + 48 + kFirstPayloadBytes + 16;
// e (32) + an empty payload (16).
constexpr size_t kSecondMessageBytes = 48;

Result<noise::HandshakeState> make_state(const crypto::DeviceIdentity& self, bool initiator,
                                         std::optional<Key32> remote_static) {
  HEARTH_ASSIGN_OR_RETURN(noise::Keypair keys, noise::Keypair::from_private(self.x25519_secret()));
  noise::HandshakeConfig config;
  config.pattern = noise::kIK;
  config.initiator = initiator;
  config.prologue = as_bytes(kSessionPrologue);
  config.static_keypair = std::move(keys);
  config.remote_static = remote_static;
  return noise::HandshakeState::create(std::move(config));
}

asio::awaitable<Status> initiate_steps(asio::ip::tcp::socket& socket,
                                       const crypto::DeviceIdentity& self, const Key32& partner,
                                       uint64_t timestamp, Authenticated& out) {
  auto initiator = SessionInitiator::create(self, partner);
  if (!initiator) co_return initiator.status();
  auto first = initiator->first_message(timestamp);
  if (!first) co_return first.status();
  Bytes opening{kPreludeSession};
  append(opening, frame_noise_message(*first));
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(opening), use_tuple);
  if (ec) co_return Status::unavailable(ec.message());
  Bytes second;
  Status st = co_await read_noise_message(socket, second, kSecondMessageBytes, kSecondMessageBytes);
  if (!st.is_ok()) {
    if (st.code() == Code::kUnavailable)
      co_return Status::unavailable(
          "the device there closed the connection without answering (has it paired with this "
          "device?)");
    co_return st;
  }
  auto transport = initiator->finish(second);
  if (!transport) co_return transport.status();
  out.transport = std::move(*transport);
  out.peer = partner;
  co_return Status::ok();
}

asio::awaitable<Status> read_prelude_steps(asio::ip::tcp::socket& socket, uint8_t& prelude) {
  auto [ec, n] = co_await asio::async_read(socket, asio::buffer(&prelude, 1), use_tuple);
  if (ec) co_return Status::unavailable("the connection closed before its prelude");
  co_return Status::ok();
}

asio::awaitable<Status> respond_after_prelude_steps(asio::ip::tcp::socket& socket,
                                                    const crypto::DeviceIdentity& self,
                                                    const std::optional<Key32>& partner,
                                                    ReplayGuard& guard, Authenticated& out) {
  Bytes first;
  Status st = co_await read_noise_message(socket, first, kFirstMessageBytes, kFirstMessageBytes);
  if (!st.is_ok()) co_return st;
  auto responder = SessionResponder::create(self);
  if (!responder) co_return responder.status();
  auto read = responder->read_first(first, partner);
  if (!read) co_return read.status();
  st = guard.admit(read->peer, read->timestamp);
  if (st.code() == Code::kRefused) {
    co_return Status::refused(
        "refused a handshake in your partner's device's name that it sent "
        "before (a replay: its timestamp is not newer than one accepted)");
  }
  if (!st.is_ok()) co_return st;
  auto second = responder->second_message();
  if (!second) co_return second.status();
  Bytes framed = frame_noise_message(*second);
  auto [ec2, n2] = co_await asio::async_write(socket, asio::buffer(framed), use_tuple);
  if (ec2) co_return Status::unavailable(ec2.message());
  auto transport = responder->split();
  if (!transport) co_return transport.status();
  out.transport = std::move(*transport);
  out.peer = read->peer;
  co_return Status::ok();
}

asio::awaitable<Status> respond_steps(asio::ip::tcp::socket& socket,
                                      const crypto::DeviceIdentity& self,
                                      const std::optional<Key32>& partner, ReplayGuard& guard,
                                      Authenticated& out) {
  uint8_t prelude = 0;
  Status st = co_await read_prelude_steps(socket, prelude);
  if (!st.is_ok()) co_return st;
  if (prelude == kPreludePairing)
    co_return Status::unavailable("a pairing connection, not a session");
  if (prelude != kPreludeSession) co_return Status::corrupt("an unknown prelude byte");
  co_return co_await respond_after_prelude_steps(socket, self, partner, guard, out);
}

asio::awaitable<Status> within(asio::awaitable<Status> steps,
                               std::chrono::steady_clock::duration timeout) {
  asio::steady_timer deadline(co_await asio::this_coro::executor, timeout);
  auto outcome = co_await (std::move(steps) || deadline.async_wait(use_tuple));
  if (outcome.index() == 1) co_return Status::unavailable("the handshake did not finish in time");
  co_return std::get<0>(std::move(outcome));
}

}  // namespace

Bytes first_payload(const Key32& device_key, uint64_t timestamp) {
  Bytes payload(device_key.begin(), device_key.end());
  put_u64_be(payload, timestamp);
  return payload;
}

Result<SessionInitiator> SessionInitiator::create(const crypto::DeviceIdentity& self,
                                                  const Key32& partner) {
  auto remote = crypto::x25519_public_from_device(partner);
  if (!remote) return Status::invalid("the partner's device key is not a valid key");
  HEARTH_ASSIGN_OR_RETURN(noise::HandshakeState hs, make_state(self, true, *remote));
  return SessionInitiator(std::move(hs), self.public_key());
}

Result<Bytes> SessionInitiator::first_message(uint64_t timestamp) {
  if (timestamp > kMaxHandshakeTimestamp)
    return Status::invalid("a handshake timestamp out of range");
  return hs_.write_message(first_payload(self_, timestamp));
}

Result<noise::TransportPair> SessionInitiator::finish(ByteView second_message) {
  if (second_message.size() != kSecondMessageBytes)
    return Status::corrupt("a session handshake reply of the wrong length");
  HEARTH_ASSIGN_OR_RETURN(Bytes payload, hs_.read_message(second_message));
  if (!payload.empty()) return Status::corrupt("a session handshake reply with a payload");
  return hs_.split();
}

Result<SessionResponder> SessionResponder::create(const crypto::DeviceIdentity& self) {
  HEARTH_ASSIGN_OR_RETURN(noise::HandshakeState hs, make_state(self, false, std::nullopt));
  return SessionResponder(std::move(hs));
}

Result<FirstMessage> SessionResponder::read_first(ByteView first_message,
                                                  const std::optional<Key32>& partner) {
  if (first_message.size() != kFirstMessageBytes)
    return Status::corrupt("a session handshake of the wrong length");
  HEARTH_ASSIGN_OR_RETURN(Bytes payload, hs_.read_message(first_message));
  if (payload.size() != kFirstPayloadBytes)
    return Status::corrupt("a session handshake without a device key and timestamp");
  const Key32 claimed = to_array<32>(ByteView(payload).first(sizeof(Key32)));
  const uint64_t timestamp = get_u64_be(payload.data() + sizeof(Key32));
  if (timestamp > kMaxHandshakeTimestamp)
    return Status::corrupt("a session handshake with a timestamp out of range");
  const std::optional<Key32> proved = hs_.remote_static();
  auto derived = crypto::x25519_public_from_device(claimed);
  if (!proved || !derived || *derived != *proved) {
    return Status::refused("refused a connection from an unknown device " +
                           crypto::short_device_id(claimed) +
                           " (its keys do not match the device it claims to be)");
  }
  if (!partner || *partner != claimed) {
    return Status::refused("refused a connection from an unknown device " +
                           crypto::short_device_id(claimed));
  }
  return FirstMessage{claimed, timestamp};
}

Result<Bytes> SessionResponder::second_message() { return hs_.write_message({}); }

Result<noise::TransportPair> SessionResponder::split() { return hs_.split(); }

asio::awaitable<Status> initiate_session(asio::ip::tcp::socket& socket,
                                         const crypto::DeviceIdentity& self, const Key32& partner,
                                         uint64_t timestamp, Authenticated& out,
                                         std::chrono::steady_clock::duration timeout) {
  co_return co_await within(initiate_steps(socket, self, partner, timestamp, out), timeout);
}

asio::awaitable<Status> respond_session(asio::ip::tcp::socket& socket,
                                        const crypto::DeviceIdentity& self,
                                        const std::optional<Key32>& partner, ReplayGuard& guard,
                                        Authenticated& out,
                                        std::chrono::steady_clock::duration timeout) {
  co_return co_await within(respond_steps(socket, self, partner, guard, out), timeout);
}

asio::awaitable<Result<uint8_t>> read_prelude(asio::ip::tcp::socket& socket,
                                              std::chrono::steady_clock::duration timeout) {
  uint8_t prelude = 0;
  Status st = co_await within(read_prelude_steps(socket, prelude), timeout);
  if (!st.is_ok()) co_return st;
  co_return prelude;
}

asio::awaitable<Status> respond_session_after_prelude(asio::ip::tcp::socket& socket,
                                                      const crypto::DeviceIdentity& self,
                                                      const std::optional<Key32>& partner,
                                                      ReplayGuard& guard, Authenticated& out,
                                                      std::chrono::steady_clock::duration timeout) {
  co_return co_await within(respond_after_prelude_steps(socket, self, partner, guard, out),
                            timeout);
}

}  // namespace hearth::net
